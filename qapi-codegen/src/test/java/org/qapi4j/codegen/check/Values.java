package org.qapi4j.codegen.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.qapi4j.codegen.ast.Expression;
import org.qapi4j.codegen.ast.QapiDoc;
import org.qapi4j.codegen.source.SourceInfo;

/**
 * Builds expression values for tests: mutable maps and lists as the parser makes them, either
 * piece by piece ({@link #obj}, {@link #arr}) or from a compact literal in QAPI's own notation
 * ({@link #parse}), which keeps the test tables readable.
 */
final class Values {

    private Values() {
    }

    /** A mutable, ordered object from alternating keys and values. */
    static Map<String, Object> obj(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** A mutable array. */
    static List<Object> arr(Object... elements) {
        return new ArrayList<>(Arrays.asList(elements));
    }

    /** A value known to be an object. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> dict(Object value) {
        return (Map<String, Object>) value;
    }

    /** A fresh location: every expression needs its own, since checking sets its definition. */
    static SourceInfo info() {
        return SourceInfo.startOf("test.json", null);
    }

    static Expression expr(Map<String, Object> data) {
        return new Expression(data, info(), null);
    }

    static Expression expr(Map<String, Object> data, QapiDoc doc) {
        return new Expression(data, info(), doc);
    }

    /**
     * Parses {@code {'key': 'value', 'list': ['a', true]}}: objects, arrays, single-quoted
     * strings without escapes, {@code true} and {@code false}. Test input only; no error
     * reporting beyond an exception.
     */
    static Map<String, Object> parse(String text) {
        Reader reader = new Reader(text);
        Object value = reader.value();
        reader.skipSpace();
        if (reader.pos != text.length() || !(value instanceof Map)) {
            throw new IllegalArgumentException("not one object: " + text);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) value;
        return map;
    }

    private static final class Reader {
        private final String text;
        private int pos;

        Reader(String text) {
            this.text = text;
        }

        void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        Object value() {
            skipSpace();
            char c = text.charAt(pos);
            if (c == '{') {
                pos++;
                Map<String, Object> map = new LinkedHashMap<>();
                if (!tryConsume('}')) {
                    do {
                        skipSpace();
                        String key = (String) value();
                        expect(':');
                        map.put(key, value());
                    } while (tryConsume(','));
                    expect('}');
                }
                return map;
            }
            if (c == '[') {
                pos++;
                List<Object> list = new ArrayList<>();
                if (!tryConsume(']')) {
                    do {
                        list.add(value());
                    } while (tryConsume(','));
                    expect(']');
                }
                return list;
            }
            if (c == '\'') {
                int end = text.indexOf('\'', pos + 1);
                String s = text.substring(pos + 1, end);
                pos = end + 1;
                return s;
            }
            if (text.startsWith("true", pos)) {
                pos += 4;
                return Boolean.TRUE;
            }
            if (text.startsWith("false", pos)) {
                pos += 5;
                return Boolean.FALSE;
            }
            throw new IllegalArgumentException("bad value at " + pos + ": " + text);
        }

        private boolean tryConsume(char c) {
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!tryConsume(c)) {
                throw new IllegalArgumentException("expected " + c + " at " + pos + ": " + text);
            }
        }
    }
}

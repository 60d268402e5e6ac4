package org.qapi4j.codegen.check;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The few pieces of Python semantics that QEMU's checker relies on, spelled out for the Java
 * value model of {@link org.qapi4j.codegen.ast.Expression} (map, list, string, boolean).
 *
 * <p>Kept in one place because the checker's behaviour on malformed input depends on them: QEMU
 * tests a value's truthiness ({@code if boxed:}), not its type, in a few spots, and its messages
 * list keys in Python's sort order (code points), which is not {@link String#compareTo}'s order
 * (UTF-16 units) outside the Basic Multilingual Plane.
 */
final class PyValues {

    private PyValues() {
    }

    /** Python {@code isinstance(value, str)}. */
    static boolean isStr(Object value) {
        return value instanceof String;
    }

    /** Python {@code isinstance(value, dict)}. */
    static boolean isDict(Object value) {
        return value instanceof Map;
    }

    /** Python {@code isinstance(value, list)}. */
    static boolean isList(Object value) {
        return value instanceof List;
    }

    /**
     * Python truthiness: {@code None}, {@code False} and empty strings, lists and dicts are false,
     * everything else is true.
     */
    static boolean truthy(Object value) {
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean) {
            return (Boolean) value;
        }
        if (value instanceof String) {
            return !((String) value).isEmpty();
        }
        if (value instanceof Collection) {
            return !((Collection<?>) value).isEmpty();
        }
        if (value instanceof Map) {
            return !((Map<?, ?>) value).isEmpty();
        }
        if (value instanceof Number) {
            return ((Number) value).doubleValue() != 0;
        }
        return true;
    }

    /**
     * A value known to be a dict, typed for reading and writing. The parser only ever creates
     * {@code Map<String, Object>}, so the unchecked view is safe.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> dict(Object value) {
        return (Map<String, Object>) value;
    }

    /** A value known to be a list, typed for in-place rewriting (Python {@code lst[:] = ...}). */
    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return (List<Object>) value;
    }

    /** Python {@code sorted()} of strings: by code point, not by UTF-16 unit. */
    static List<String> sorted(Collection<String> strings) {
        List<String> result = new ArrayList<>(strings);
        result.sort(PyValues::compareCodePoints);
        return result;
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    /** Python's {@code str(value)} for the values a message can mention ({@code None} included). */
    static String str(Object value) {
        return value == null ? "None" : value.toString();
    }
}

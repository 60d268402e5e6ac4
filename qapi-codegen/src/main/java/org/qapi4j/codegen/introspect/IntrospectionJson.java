package org.qapi4j.codegen.introspect;

import java.util.List;
import java.util.Map;

/**
 * Writes {@link Introspection} values as compact JSON text, the form the generated code ships as
 * a resource and a server sends on the wire.
 *
 * <p>Compact (no spaces, no newlines) because the answer is large (QEMU master's is about
 * 220 KB) and nobody reads it by eye. Object members keep the order of the maps, which is the
 * order QEMU's {@code introspect.py} builds them in; with Python's {@code json.dumps(value,
 * separators=(',', ':'))} the text is identical. A QEMU server itself sends the members in its
 * dictionaries' hash order, which carries no meaning: compare answers as JSON values, not text.
 * Only the value kinds {@link Introspection} produces are accepted.
 */
public final class IntrospectionJson {
    private IntrospectionJson() {
    }

    /** The JSON text of {@code entries}. */
    public static String write(List<Object> entries) {
        StringBuilder out = new StringBuilder(entries.size() * 96);
        writeValue(out, entries);
        return out.toString();
    }

    private static void writeValue(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String) {
            writeString(out, (String) value);
        } else if (value instanceof Boolean) {
            out.append(value.toString());
        } else if (value instanceof List) {
            out.append('[');
            boolean first = true;
            for (Object element : (List<?>) value) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                writeValue(out, element);
            }
            out.append(']');
        } else if (value instanceof Map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> member : ((Map<?, ?>) value).entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                writeString(out, (String) member.getKey());
                out.append(':');
                writeValue(out, member.getValue());
            }
            out.append('}');
        } else {
            throw new IllegalArgumentException("not an introspection value: " + value.getClass());
        }
    }

    /** A JSON string: quote, backslash and control characters escaped, the rest as is. */
    private static void writeString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                case '\b':
                    out.append("\\b");
                    break;
                case '\f':
                    out.append("\\f");
                    break;
                default:
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }
}

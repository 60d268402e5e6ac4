package org.qapi4j.codegen.fork;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of the child's answer ({@link ForkedGeneration}): a prefix that nothing else prints,
 * a kind, then fields, separated by tabs. Backslash, tab, carriage return and newline inside a
 * field are escaped, so that a field (a file name, a message) never breaks the line apart.
 *
 * @param kind one of the constants below
 * @param fields the kind's fields, unescaped
 */
record Record(String kind, List<String> fields) {
    static final String PREFIX = "qapi4j-fork";
    static final String SUMMARY = "summary";
    static final String SOURCE = "source";
    static final String RENDERED = "rendered";
    static final String LOCATION = "location";
    static final String FAILURE = "failure";

    String field(int index) {
        return fields.get(index);
    }

    static String line(String kind, String... fields) {
        StringBuilder line = new StringBuilder(PREFIX).append('\t').append(kind);
        for (String field : fields) {
            line.append('\t');
            escape(field, line);
        }
        return line.toString();
    }

    /** The record a line holds, or null when the line is not one (something else the child printed). */
    static Record parse(String line) {
        String[] parts = line.split("\t", -1);
        if (parts.length < 2 || !parts[0].equals(PREFIX)) {
            return null;
        }
        List<String> fields = new ArrayList<>();
        for (int i = 2; i < parts.length; i++) {
            fields.add(unescape(parts[i]));
        }
        return new Record(parts[1], fields);
    }

    private static void escape(String field, StringBuilder out) {
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
    }

    private static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c != '\\' || i + 1 == field.length()) {
                out.append(c);
                continue;
            }
            char next = field.charAt(++i);
            out.append(switch (next) {
                case 't' -> '\t';
                case 'n' -> '\n';
                case 'r' -> '\r';
                default -> next;
            });
        }
        return out.toString();
    }
}

package org.qapi4j.qmp.shell;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import org.qapi4j.qmp.json.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.UnexpectedEndOfInputException;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a line the user typed as raw JSON: one JSON object and nothing after it. A mistake is
 * told in the shell's own words with the column it is at (counted from 1, in characters), not
 * in the JSON library's: {@code incomplete JSON: the object at column 1 is not closed},
 * {@code invalid JSON at column 12: unexpected '"'}, {@code invalid JSON at column 9:
 * duplicate member "execute"}.
 */
final class RawJsonLine {
    /** An open object or array: where it starts, and for an object the member names seen. */
    private record Open(String kind, int column, Set<String> names) {}

    private RawJsonLine() {}

    /** The object {@code line} holds (it starts with <code>{</code>). */
    static ObjectNode parse(String line) throws ShellCommandLine.SyntaxError {
        Deque<Open> open = new ArrayDeque<>();
        try (JsonParser parser = Json.mapper().createParser(line)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                int column = parser.currentTokenLocation().getColumnNr();
                switch (token) {
                    case START_OBJECT -> open.push(new Open("object", column, new HashSet<>()));
                    case START_ARRAY -> open.push(new Open("array", column, new HashSet<>()));
                    case PROPERTY_NAME -> {
                        if (!open.element().names().add(parser.currentName())) {
                            throw invalid(column, "duplicate member \"" + parser.currentName() + "\"");
                        }
                    }
                    case END_OBJECT, END_ARRAY -> {
                        open.pop();
                        if (open.isEmpty()) {
                            nothingAfter(line, (int) parser.currentLocation().getCharOffset());
                            return (ObjectNode) Json.parse(line);
                        }
                    }
                    default -> {
                        // values: checked by the parser
                    }
                }
            }
        } catch (UnexpectedEndOfInputException e) {
            throw incomplete(line, open);
        } catch (JacksonException e) {
            int column = e.getLocation() != null ? e.getLocation().getColumnNr() : -1;
            if (column < 1 || column > line.length()) {
                throw incomplete(line, open);
            }
            throw invalid(column, "unexpected " + found(line, column - 1));
        }
        throw incomplete(line, open);
    }

    private static void nothingAfter(String line, int end) throws ShellCommandLine.SyntaxError {
        int next = end;
        while (next < line.length() && Character.isWhitespace(line.charAt(next))) {
            next++;
        }
        if (next < line.length()) {
            throw invalid(next + 1, "unexpected " + found(line, next) + " after the end of the object");
        }
    }

    private static ShellCommandLine.SyntaxError incomplete(String line, Deque<Open> open) {
        int string = unclosedString(line);
        if (string > 0) {
            return new ShellCommandLine.SyntaxError("incomplete JSON: the string at column " + string + " is not closed", string);
        }
        Open innermost = open.peek();
        if (innermost == null) {
            return new ShellCommandLine.SyntaxError("incomplete JSON: the line ends before the object", line.length() + 1);
        }
        return new ShellCommandLine.SyntaxError("incomplete JSON: the " + innermost.kind() + " at column "
                + innermost.column() + " is not closed", line.length() + 1);
    }

    private static ShellCommandLine.SyntaxError invalid(int column, String what) {
        return new ShellCommandLine.SyntaxError("invalid JSON at column " + column + ": " + what, column);
    }

    /** The column of the double-quoted string left open at the end of {@code line}, or 0. */
    private static int unclosedString(String line) {
        int start = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (start > 0 && c == '\\') {
                i++;
            } else if (c == '"') {
                start = start > 0 ? 0 : i + 1;
            }
        }
        return start;
    }

    /** What the user typed at {@code index}: a word whole, else the character. */
    private static String found(String line, int index) {
        char c = line.charAt(index);
        if (Character.isLetter(c)) {
            int end = index;
            while (end < line.length() && Character.isLetterOrDigit(line.charAt(end))) {
                end++;
            }
            return "'" + line.substring(index, end) + "'";
        }
        if (Character.isISOControl(c)) {
            return String.format("control character U+%04X", (int) c);
        }
        return "'" + c + "'";
    }
}

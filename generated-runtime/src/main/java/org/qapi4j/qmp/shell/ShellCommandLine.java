package org.qapi4j.qmp.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.qapi4j.qmp.json.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns what a user types into a QMP request, in the syntax of QEMU's {@code qmp-shell}:
 * {@code command key=value ...}, where a value is an integer, {@code true}/{@code false}, JSON
 * when it starts with a bracket, and a string otherwise; a dotted key ({@code a.b=1}) builds
 * nested objects; a line starting with <code>{</code> is sent as raw JSON, its {@code id}
 * included ({@code RawJsonLine} reads it); {@code transaction(} ... {@code )} collects actions
 * into one {@code transaction} command.
 */
public final class ShellCommandLine {
    private static final Pattern ARGUMENT = Pattern.compile("(?:[^\\s\"']|\"(?:\\\\.|[^\"])*\"|'(?:\\\\.|[^'])*')+");

    private boolean inTransaction;
    private final List<ObjectNode> actions = new ArrayList<>();

    /** A line the shell cannot turn into a request; its message is for the user. */
    public static final class SyntaxError extends Exception {
        private static final long serialVersionUID = 1L;

        private final int column;

        SyntaxError(String message) {
            this(message, 0);
        }

        SyntaxError(String message, int column) {
            super(message, null, false, false);
            this.column = column;
        }

        /** Where in the line the mistake is, counted from 1; 0 when the message says it all. */
        public int column() {
            return column;
        }
    }

    /** Whether a transaction is being collected (the prompt shows it). */
    public boolean inTransaction() {
        return inTransaction;
    }

    /**
     * The request for {@code line}, or null when there is nothing to send yet (an empty line,
     * or an action inside a transaction).
     */
    public ObjectNode parse(String line) throws SyntaxError {
        if (line.stripLeading().startsWith("{")) {
            return RawJsonLine.parse(line);
        }
        List<String> words = new ArrayList<>();
        Matcher matcher = ARGUMENT.matcher(line);
        while (matcher.find()) {
            words.add(matcher.group());
        }
        if (!words.isEmpty() && words.get(0).equals("transaction(")) {
            inTransaction = true;
            actions.clear();
            words.remove(0);
        }
        if (!words.isEmpty() && words.get(0).equals(")") && inTransaction) {
            if (words.size() > 1) {
                throw new SyntaxError("Unexpected input after close of Transaction sub-shell");
            }
            inTransaction = false;
            ObjectNode request = Json.object();
            request.put("execute", "transaction");
            ArrayNode list = Json.array();
            actions.forEach(list::add);
            request.set("arguments", Json.object().set("actions", list));
            return request;
        }
        if (words.isEmpty()) {
            return null;
        }
        if (inTransaction) {
            boolean last = words.get(words.size() - 1).equals(")");
            if (last) {
                words.remove(words.size() - 1);
            }
            ObjectNode action = Json.object();
            action.put("type", words.get(0));
            ObjectNode data = Json.object();
            arguments(words.subList(1, words.size()), data);
            action.set("data", data);
            actions.add(action);
            return last ? parse(")") : null;
        }
        ObjectNode request = Json.object();
        request.put("execute", words.get(0));
        ObjectNode arguments = Json.object();
        arguments(words.subList(1, words.size()), arguments);
        request.set("arguments", arguments);
        return request;
    }

    private static void arguments(List<String> words, ObjectNode into) throws SyntaxError {
        for (String word : words) {
            int equals = word.indexOf('=');
            if (equals < 0) {
                throw new SyntaxError("Expected a key=value pair, got '" + word + "'");
            }
            String key = word.substring(0, equals);
            JsonNode value = value(word.substring(equals + 1));
            String[] path = key.split("\\.", -1);
            ObjectNode parent = into;
            for (int i = 0; i < path.length - 1; i++) {
                JsonNode child = parent.get(path[i]);
                if (child == null) {
                    child = Json.object();
                    parent.set(path[i], child);
                } else if (!child.isObject()) {
                    throw new SyntaxError("Cannot use \"" + String.join(".", List.of(path).subList(0, i + 1))
                            + "\" as both leaf and non-leaf key");
                }
                parent = (ObjectNode) child;
            }
            String leaf = path[path.length - 1];
            if (parent.has(leaf)) {
                if (parent.get(leaf).isObject()) {
                    throw new SyntaxError("Cannot use \"" + key + "\" as both leaf and non-leaf key");
                }
                throw new SyntaxError("Cannot set \"" + key + "\" multiple times");
            }
            parent.set(leaf, value);
        }
    }

    /** qmp-shell's value rules: integer, boolean, JSON for brackets, else the text itself. */
    static JsonNode value(String text) {
        try {
            return Json.integer(Long.parseLong(text.strip().replace("_", "")));
        } catch (NumberFormatException notAnInteger) {
            // not an integer
        }
        if (text.equalsIgnoreCase("true")) {
            return Json.bool(true);
        }
        if (text.equalsIgnoreCase("false")) {
            return Json.bool(false);
        }
        if (text.startsWith("{") || text.startsWith("[")) {
            try {
                return Json.parse(text);
            } catch (JacksonException notJson) {
                // kept as a string, as qmp-shell does
            }
        }
        return Json.string(text);
    }
}

package org.qapi4j.qmp.shell;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import tools.jackson.databind.JsonNode;

/**
 * Completes command names, and the argument names of the command being typed, from the
 * server's own {@code query-qmp-schema} answer, so the shell knows exactly what this server
 * offers (a newer QEMU included) without a schema of its own. A server without
 * {@code query-qmp-schema} gets command names only, from {@code query-commands}, or nothing
 * ({@code Completions} chooses).
 */
public final class SchemaCompleter implements Completer {
    private final Map<String, List<String>> argumentsByCommand = new TreeMap<>();

    private SchemaCompleter() {}

    /** Builds the completions from the SchemaInfo list the server sent. */
    public SchemaCompleter(JsonNode schemaInfo) {
        Map<String, JsonNode> objects = new HashMap<>();
        for (JsonNode entry : schemaInfo) {
            if ("object".equals(text(entry, "meta-type"))) {
                objects.put(text(entry, "name"), entry);
            }
        }
        for (JsonNode entry : schemaInfo) {
            if ("command".equals(text(entry, "meta-type"))) {
                List<String> arguments = new ArrayList<>();
                JsonNode argType = objects.get(text(entry, "arg-type"));
                if (argType != null && argType.has("members")) {
                    for (JsonNode member : argType.get("members")) {
                        arguments.add(text(member, "name"));
                    }
                }
                argumentsByCommand.put(text(entry, "name"), arguments);
            }
        }
    }

    /** Command names only, from the answer to {@code query-commands} (a list of {@code {"name": ...}}). */
    public static SchemaCompleter ofCommandList(JsonNode commandInfo) {
        SchemaCompleter completer = new SchemaCompleter();
        for (JsonNode entry : commandInfo) {
            String name = text(entry, "name");
            if (name != null) {
                completer.argumentsByCommand.put(name, List.of());
            }
        }
        return completer;
    }

    /** Completes nothing. */
    public static SchemaCompleter none() {
        return new SchemaCompleter();
    }

    private static String text(JsonNode node, String member) {
        JsonNode value = node.get(member);
        return value != null && value.isString() ? value.stringValue() : null;
    }

    /** The commands the server has, sorted. */
    public List<String> commands() {
        return new ArrayList<>(argumentsByCommand.keySet());
    }

    /** The argument names of {@code command} (empty when unknown or without arguments). */
    public List<String> arguments(String command) {
        return argumentsByCommand.getOrDefault(command, List.of());
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        if (line.wordIndex() == 0) {
            for (String command : argumentsByCommand.keySet()) {
                candidates.add(new Candidate(command));
            }
            return;
        }
        String command = line.words().get(0);
        for (String argument : arguments(command)) {
            candidates.add(new Candidate(argument + "=", argument, null, null, null, null, false));
        }
    }
}

package org.qapi4j.qmp.monitor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.qapi4j.qmp.ErrorClass;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.qmp.codec.QapiReader;
import org.qapi4j.qmp.dispatch.CommandContext;
import org.qapi4j.qmp.dispatch.CommandDispatcher;
import org.qapi4j.qmp.dispatch.CommandSpec;
import org.qapi4j.qmp.dispatch.QmpSchema;
import org.qapi4j.qmp.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The commands QEMU's monitor serves itself, from the schema rather than from a machine:
 * {@code query-commands} and {@code query-qmp-schema} ({@code qmp_capabilities} is part of
 * negotiation, see {@link RequestDispatch}). Served whenever the schema has them; a handler a
 * machine wrote for them is never called.
 */
final class BuiltinCommands implements CommandDispatcher {
    static final String CAPABILITIES = "qmp_capabilities";
    static final String QUERY_COMMANDS = "query-commands";
    static final String QUERY_QMP_SCHEMA = "query-qmp-schema";

    private final QmpSchema schema;
    private final Map<String, CommandSpec> commands;
    private final JsonNode commandList;

    private BuiltinCommands(QmpSchema schema, Map<String, CommandSpec> commands, JsonNode commandList) {
        this.schema = schema;
        this.commands = commands;
        this.commandList = commandList;
    }

    /**
     * Everything {@code served} serves, plus the built-in commands of {@code schema}, as one
     * dispatcher; {@code served}'s own versions of the built-ins are left out.
     */
    static CommandDispatcher around(QmpSchema schema, CommandDispatcher served) {
        Map<String, CommandSpec> builtins = new LinkedHashMap<>();
        for (String name : List.of(QUERY_COMMANDS, QUERY_QMP_SCHEMA)) {
            CommandSpec spec = schema.commands().get(name);
            if (spec != null) {
                builtins.put(name, spec);
            }
        }
        List<String> listed = new ArrayList<>();
        for (String name : served.commands().keySet()) {
            if (!schema.commands().containsKey(name)) {
                // Not in the schema: as if registered after everything QEMU registers.
                listed.add(name);
            }
        }
        List<String> registered = new ArrayList<>(schema.commands().keySet());
        Collections.reverse(registered);
        for (String name : registered) {
            if (name.equals(CAPABILITIES) || builtins.containsKey(name) || served.commands().containsKey(name)) {
                listed.add(name);
            }
        }
        ArrayNode list = Json.array();
        for (String name : listed) {
            list.addObject().put("name", name);
        }
        BuiltinCommands self = new BuiltinCommands(schema, Collections.unmodifiableMap(builtins), list);
        return new Routed(self, served);
    }

    @Override
    public Map<String, CommandSpec> commands() {
        return commands;
    }

    @Override
    public CompletionStage<JsonNode> dispatch(String name, @Nullable ObjectNode arguments, CommandContext context) {
        QapiReader in = QapiReader.strict(arguments != null ? arguments : Json.object(), context.compatPolicy());
        in.beginObject(null);
        in.endObject();
        return switch (name) {
            // deepCopy: the answer is the caller's to change, the list stays ours.
            case QUERY_COMMANDS -> CompletableFuture.completedFuture(commandList.deepCopy());
            case QUERY_QMP_SCHEMA -> CompletableFuture.completedFuture(schema.schemaInfo());
            default -> throw new QmpException(ErrorClass.COMMAND_NOT_FOUND, "The command " + name + " has not been found");
        };
    }

    /** The built-ins first, then what the machine serves, in one map in schema order. */
    private static final class Routed implements CommandDispatcher {
        private final BuiltinCommands builtins;
        private final CommandDispatcher served;
        private final Map<String, CommandSpec> commands;

        Routed(BuiltinCommands builtins, CommandDispatcher served) {
            this.builtins = builtins;
            this.served = served;
            Map<String, CommandSpec> all = new LinkedHashMap<>();
            for (String name : builtins.schema.commands().keySet()) {
                CommandSpec spec = builtins.commands.containsKey(name) ? builtins.commands.get(name) : served.commands().get(name);
                if (spec != null) {
                    all.put(name, spec);
                }
            }
            served.commands().forEach(all::putIfAbsent);
            this.commands = Collections.unmodifiableMap(all);
        }

        @Override
        public Map<String, CommandSpec> commands() {
            return commands;
        }

        @Override
        public CompletionStage<JsonNode> dispatch(String name, @Nullable ObjectNode arguments, CommandContext context) {
            return builtins.commands.containsKey(name)
                    ? builtins.dispatch(name, arguments, context)
                    : served.dispatch(name, arguments, context);
        }
    }
}

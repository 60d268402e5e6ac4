package org.qapi4j.qmp.dispatch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.qapi4j.qmp.ErrorClass;
import org.qapi4j.qmp.QmpException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@link CommandDispatcher#compose}: routes each command to the one dispatcher serving it. */
final class ComposedDispatcher implements CommandDispatcher {
    private final Map<String, CommandSpec> commands;
    private final Map<String, CommandDispatcher> routes;

    private ComposedDispatcher(Map<String, CommandSpec> commands, Map<String, CommandDispatcher> routes) {
        this.commands = Collections.unmodifiableMap(commands);
        this.routes = routes;
    }

    static CommandDispatcher of(List<? extends CommandDispatcher> dispatchers) {
        if (dispatchers.size() == 1) {
            return dispatchers.get(0);
        }
        Map<String, CommandSpec> commands = new LinkedHashMap<>();
        Map<String, CommandDispatcher> routes = new HashMap<>();
        for (CommandDispatcher dispatcher : new ArrayList<>(dispatchers)) {
            for (CommandSpec spec : dispatcher.commands().values()) {
                if (routes.putIfAbsent(spec.name(), dispatcher) != null) {
                    throw new IllegalArgumentException("command " + spec.name() + " is served twice");
                }
                commands.put(spec.name(), spec);
            }
        }
        return new ComposedDispatcher(commands, routes);
    }

    @Override
    public Map<String, CommandSpec> commands() {
        return commands;
    }

    @Override
    public CompletionStage<JsonNode> dispatch(String name, @Nullable ObjectNode arguments, CommandContext context) {
        CommandDispatcher route = routes.get(name);
        if (route == null) {
            throw new QmpException(ErrorClass.COMMAND_NOT_FOUND, "The command " + name + " has not been found");
        }
        return route.dispatch(name, arguments, context);
    }
}

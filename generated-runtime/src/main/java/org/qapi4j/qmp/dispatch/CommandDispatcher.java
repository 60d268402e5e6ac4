package org.qapi4j.qmp.dispatch;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Serves some commands of a schema: the generated dispatcher of a schema module implements it
 * over that module's handler interface, and {@link #compose} joins several into one. See
 * {@link CommandContext} for the contract handlers follow.
 */
public interface CommandDispatcher {
    /** The commands served, by wire name, in schema order. */
    Map<String, CommandSpec> commands();

    /**
     * Runs command {@code name}: decodes {@code arguments} strictly (absent arguments count as
     * an empty object, as in QEMU), calls the handler, encodes its answer as the JSON value of
     * {@code "return"}. Failures are a {@link org.qapi4j.qmp.QmpException}, thrown or in the
     * stage: {@code CommandNotFound} for a command not served here, QEMU's argument errors, or
     * what the handler raised.
     */
    CompletionStage<JsonNode> dispatch(String name, @Nullable ObjectNode arguments, CommandContext context);

    /**
     * One dispatcher serving every command the given ones serve; a command served by none
     * answers {@code CommandNotFound} before its arguments are looked at, exactly as a name
     * the schema does not have.
     *
     * @throws IllegalArgumentException when two of them serve the same command
     */
    static CommandDispatcher compose(List<? extends CommandDispatcher> dispatchers) {
        return ComposedDispatcher.of(dispatchers);
    }

    /** {@link #compose(List)} of {@code dispatchers}. */
    static CommandDispatcher compose(CommandDispatcher... dispatchers) {
        return ComposedDispatcher.of(List.of(dispatchers));
    }
}

package org.qapi4j.qmp.dispatch;

import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Serves the commands of a schema: the generated dispatcher implements it over a handler
 * implementation. See {@link CommandContext} for the contract handlers follow.
 */
public interface CommandDispatcher {
    /** The commands served, by wire name, in schema order. */
    Map<String, CommandSpec> commands();

    /**
     * Runs command {@code name}: decodes {@code arguments} strictly (absent arguments count as
     * an empty object, as in QEMU), calls the handler, encodes its answer as the JSON value of
     * {@code "return"}. Failures are a {@link org.qapi4j.qmp.QmpException}, thrown or in the
     * stage: {@code CommandNotFound} for an unknown command, QEMU's argument errors, or what
     * the handler raised.
     */
    CompletionStage<JsonNode> dispatch(String name, @Nullable ObjectNode arguments, CommandContext context);
}

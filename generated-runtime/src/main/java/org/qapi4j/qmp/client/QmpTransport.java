package org.qapi4j.qmp.client;

import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a generated client sends commands through: a QMP connection that has completed
 * negotiation. It assigns ids, matches replies, and fails the future with a
 * {@link org.qapi4j.qmp.QmpException} when the server answers with an error.
 */
public interface QmpTransport {
    /**
     * Sends {@code {"execute": command, "arguments": arguments}}.
     *
     * @return the value of {@code "return"}
     */
    CompletableFuture<JsonNode> execute(String command, ObjectNode arguments);
}

package org.qapi4j.qmp.wire;

import tools.jackson.databind.JsonNode;

/**
 * What the QMP stream decoder produces for each top-level JSON value in the input: the value,
 * or the error QEMU reports for input it could not parse. A parse error is not the end of the
 * stream: the decoder resynchronises as QEMU does and goes on.
 */
public sealed interface JsonMessage permits JsonMessage.Value, JsonMessage.ParseError {

    /** A complete JSON value (any kind: QMP's own checks reject non-objects later). */
    record Value(JsonNode json) implements JsonMessage {}

    /**
     * Input that did not parse.
     *
     * @param description QEMU's whole text, e.g. {@code JSON parse error, expecting value}
     */
    record ParseError(String description) implements JsonMessage {}
}

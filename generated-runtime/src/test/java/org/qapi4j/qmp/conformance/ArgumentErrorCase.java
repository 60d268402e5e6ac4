package org.qapi4j.qmp.conformance;

import org.jspecify.annotations.Nullable;
import org.qapi4j.qmp.ErrorClass;
import org.qapi4j.qmp.json.Json;
import tools.jackson.databind.node.ObjectNode;

/**
 * One request and QEMU's error.
 *
 * @param id a short name for reports
 * @param command the command name
 * @param argumentsText the arguments with single quotes for double quotes, or null for none
 * @param errorClass QEMU's error class
 * @param description QEMU's error text, exactly
 */
record ArgumentErrorCase(String id, String command, @Nullable String argumentsText, ErrorClass errorClass,
        String description) {

    /** The arguments as JSON text, or null when the request has none. */
    @Nullable String argumentsJson() {
        return argumentsText == null ? null : argumentsText.replace('\'', '"');
    }

    @Nullable ObjectNode arguments() {
        String json = argumentsJson();
        return json == null ? null : (ObjectNode) Json.parse(json);
    }

    /** The request as sent to QEMU. */
    String request() {
        String json = argumentsJson();
        return "{\"execute\": \"" + command + "\"" + (json == null ? "" : ", \"arguments\": " + json) + "}";
    }

    @Override
    public String toString() {
        return id;
    }
}

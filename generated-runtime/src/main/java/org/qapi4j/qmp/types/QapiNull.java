package org.qapi4j.qmp.types;

import org.qapi4j.qmp.json.Json;
import tools.jackson.databind.JsonNode;

/** QAPI's built-in type {@code null}: the JSON value {@code null}, which has just one value. */
public enum QapiNull implements QapiValue {
    NULL;

    @Override
    public JsonNode toJson() {
        return Json.nullValue();
    }
}

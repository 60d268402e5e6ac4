package org.qapi4j.qmp.types;

import org.qapi4j.qmp.json.Json;
import tools.jackson.databind.JsonNode;

/**
 * A value of a QAPI enum. Generated enums are a sealed interface with two implementations: a
 * Java {@code enum} of the values the schema knows, and a record for a value it does not (sent
 * by a newer server), so that such a value survives decoding and encoding unchanged.
 */
public interface QapiEnum extends QapiValue {
    /** The value exactly as it appears on the wire. */
    String wireName();

    /** Whether the schema this type was generated from has this value. */
    boolean isKnown();

    @Override
    default JsonNode toJson() {
        return Json.string(wireName());
    }
}

package org.qapi4j.qmp.types;

import tools.jackson.databind.JsonNode;

/** A value of a generated QAPI type: it knows its JSON form. */
public interface QapiValue {
    /** The value as QMP sends it. */
    JsonNode toJson();
}

package org.qapi4j.qmp.types;

import tools.jackson.databind.node.ObjectNode;

/**
 * An asynchronous event, without its timestamp. Generated code has one record per event of the
 * schema under one sealed type, plus a record for events the schema does not know.
 */
public interface QmpEvent {
    /** The event's name on the wire, e.g. {@code STOP}. */
    String eventName();

    /** The event's {@code data} member; empty when the event has none. */
    ObjectNode toJson();
}

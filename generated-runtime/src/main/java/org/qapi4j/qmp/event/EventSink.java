package org.qapi4j.qmp.event;

import org.qapi4j.qmp.types.QmpEvent;

/**
 * Where a machine sends its QMP events: anything that holds one can emit a typed event (a
 * generated {@code Event} record) from any thread.
 */
@FunctionalInterface
public interface EventSink {
    /**
     * Sends {@code event}, time-stamped now, to every monitor that has completed negotiation,
     * subject to QEMU's rate limits. Events reach each client in the order of the calls, and
     * before any reply produced after the call.
     */
    void emit(QmpEvent event);
}

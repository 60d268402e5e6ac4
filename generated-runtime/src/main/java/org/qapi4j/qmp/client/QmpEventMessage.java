package org.qapi4j.qmp.client;

import java.time.Instant;
import java.util.Objects;
import tools.jackson.databind.node.ObjectNode;

/**
 * An event as it came off the wire: {@code {"timestamp": {"seconds": S, "microseconds": US},
 * "event": NAME, "data": {...}}}.
 *
 * @param name the event's name, e.g. {@code STOP}
 * @param data its {@code data} member; an empty object when the server sent none (QEMU leaves
 *     it out for events without members)
 * @param seconds the timestamp's seconds (wall clock, as QEMU sends it); {@code -1} if absent
 * @param microseconds the timestamp's microseconds; {@code -1} if absent
 * @param json the whole message, unknown members included
 */
public record QmpEventMessage(String name, ObjectNode data, long seconds, long microseconds, ObjectNode json) {

    public QmpEventMessage {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(json, "json");
    }

    /**
     * The timestamp as an instant: the epoch when the server sent none, or one that no instant
     * can hold (a negative or an absurdly large number).
     */
    public Instant timestamp() {
        if (seconds < 0 || microseconds < 0) {
            return Instant.EPOCH;
        }
        long wholeSeconds = microseconds / 1_000_000L;
        if (seconds > Instant.MAX.getEpochSecond() - wholeSeconds) {
            return Instant.EPOCH;
        }
        return Instant.ofEpochSecond(seconds + wholeSeconds, microseconds % 1_000_000L * 1_000L);
    }
}

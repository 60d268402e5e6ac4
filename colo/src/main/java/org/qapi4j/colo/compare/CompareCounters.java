package org.qapi4j.colo.compare;

import java.util.EnumMap;
import java.util.Map;

/**
 * The counters behind {@link CompareStats}. Separate so that the rules say what happened to an
 * output ({@code matched()}, {@code heldDiscarded(n)}) instead of adjusting several numbers by
 * hand, and so that gauges and totals that must move together ({@code secondaryQueued} down,
 * {@code secondaryDropped} up) do. Not thread-safe: used under the comparator's lock.
 */
final class CompareCounters {
    private long released;
    private int held;
    private long matched;
    private long mismatches;
    private int secondaryQueued;
    private long secondaryDropped;
    private long discarded;
    private final long[] requests = new long[Reason.values().length];

    /** A primary output was handed to the listener's {@code release}. */
    void released() {
        released++;
    }

    /** A checkpoint was requested for {@code reason}. */
    void requested(Reason reason) {
        requests[reason.ordinal()]++;
    }

    /** A primary output was queued. */
    void primaryHeld() {
        held++;
    }

    /** A queued primary output left the queue to be released. */
    void primaryUnheld() {
        held--;
    }

    void matched() {
        matched++;
    }

    void mismatched() {
        mismatches++;
    }

    /** A secondary output was queued. */
    void secondaryQueued() {
        secondaryQueued++;
    }

    /** A queued secondary output left the queue paired with a primary one. */
    void secondaryPaired() {
        secondaryQueued--;
    }

    /** {@code n} queued secondary outputs were dropped unpaired. */
    void secondaryDroppedFromQueue(int n) {
        secondaryDropped += n;
        secondaryQueued -= n;
    }

    /** {@code n} secondary outputs were dropped without ever being queued, or with the queue count reset. */
    void secondaryDropped(int n) {
        secondaryDropped += n;
    }

    /** {@code n} primary outputs were never released and were not queued (or the queue count is reset). */
    void discarded(int n) {
        discarded += n;
    }

    /** {@code n} queued primary outputs were discarded: their connection closed. */
    void heldDiscarded(int n) {
        discarded += n;
        held -= n;
    }

    /** Every queue was emptied at once (failover). */
    void queuesEmptied() {
        held = 0;
        secondaryQueued = 0;
    }

    CompareStats snapshot() {
        Map<Reason, Long> perReason = new EnumMap<>(Reason.class);
        for (Reason r : Reason.values()) {
            perReason.put(r, requests[r.ordinal()]);
        }
        return new CompareStats(released, held, matched, mismatches, secondaryQueued, secondaryDropped,
                discarded, perReason);
    }
}

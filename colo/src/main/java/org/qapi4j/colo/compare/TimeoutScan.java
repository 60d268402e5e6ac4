package org.qapi4j.colo.compare;

import java.util.ArrayDeque;
import java.util.Collection;

/**
 * Finds outputs that waited longer than the timeout for their counterpart. Separate from the
 * pairing because it runs on a timer rather than on an output, and because its one subtlety
 * (each output is reported at most once, and the scan may stop early since queues are in arrival
 * order) is independent of how outputs pair. Used under the comparator's lock.
 */
final class TimeoutScan {
    private final long timeoutNanos;

    TimeoutScan(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
    }

    /**
     * Marks every output of {@code connections} that waited at least the timeout as of
     * {@code nowNanos}, in the primary's waiting queue and the secondary's.
     *
     * @return whether one of them had not been reported before
     */
    boolean scan(Collection<Connection> connections, long nowNanos) {
        boolean stale = false;
        for (Connection c : connections) {
            // Not short-circuited: every stale output is marked, so none is reported twice.
            stale |= markStale(c.awaiting, nowNanos);
            stale |= markStale(c.secondary, nowNanos);
        }
        return stale;
    }

    private boolean markStale(ArrayDeque<Output> queue, long now) {
        boolean found = false;
        for (Output out : queue) {
            if (now - out.arrivedNanos < timeoutNanos) {
                break; // arrival order: the rest are younger
            }
            if (!out.timeoutReported) {
                out.timeoutReported = true;
                found = true;
            }
        }
        return found;
    }
}

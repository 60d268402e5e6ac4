package org.qapi4j.colo.compare;

import java.util.Map;

/**
 * Counters of an {@link OutputComparator}, taken atomically.
 *
 * @param released primary outputs handed to {@link OutputListener#release}
 * @param held primary outputs queued now (waiting for a counterpart or for a checkpoint)
 * @param matched primary outputs whose secondary counterpart was equal
 * @param mismatches primary outputs whose secondary counterpart differed
 * @param secondaryQueued secondary outputs queued now without a primary counterpart
 * @param secondaryDropped secondary outputs dropped unpaired (late epoch, epoch ended, diverged
 *     connection, full queue, closed connection, failover)
 * @param discarded primary outputs never released because no client could receive them (the
 *     connection closed, or {@code failover(SECONDARY)})
 * @param checkpointsRequested requests made per reason (every reason present)
 */
public record CompareStats(
        long released,
        int held,
        long matched,
        long mismatches,
        int secondaryQueued,
        long secondaryDropped,
        long discarded,
        Map<Reason, Long> checkpointsRequested) {

    public CompareStats {
        checkpointsRequested = Map.copyOf(checkpointsRequested);
    }

    /** Requests made for {@code reason}. */
    public long checkpointsRequested(Reason reason) {
        return checkpointsRequested.getOrDefault(reason, 0L);
    }
}

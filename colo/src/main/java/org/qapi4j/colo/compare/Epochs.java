package org.qapi4j.colo.compare;

/**
 * The epoch bookkeeping: the primary's current epoch and how far checkpoints are covered. Its own
 * class because every other part reads these two numbers, and the rules on them (they only move
 * forward; a covered checkpoint counts as started) must not be re-implemented at each call site.
 * What an epoch's end does to the queued outputs is {@link CompareState}'s job.
 */
final class Epochs {
    /** The primary's current epoch. */
    private long current;
    /** Outputs of epochs below this are safe to release. */
    private long covered;

    long current() {
        return current;
    }

    /** Whether {@code epoch} is after the current one, so that its checkpoint counts as started. */
    boolean isAhead(long epoch) {
        return epoch > current;
    }

    /** Whether {@code epoch} ended before the current one. */
    boolean hasEnded(long epoch) {
        return epoch < current;
    }

    /** Moves the current epoch to {@code n}, which the caller checked {@link #isAhead is ahead}. */
    void start(long n) {
        current = n;
    }

    /** Whether checkpoint {@code n} covers more than is covered already. */
    boolean coversMore(long n) {
        return n > covered;
    }

    /** Records that checkpoint {@code n} is covered; the caller checked it {@link #coversMore covers more}. */
    void cover(long n) {
        covered = n;
    }

    /** Whether the secondary has the state that produced an output of {@code epoch}. */
    boolean isCovered(long epoch) {
        return epoch < covered;
    }
}

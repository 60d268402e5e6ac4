package org.qapi4j.colo.compare;

import java.util.ArrayDeque;

/**
 * The queues and pairing state of one guest connection. Kept apart from the rules that act on it
 * ({@link Pairing}, {@link CompareState}) so that what a connection holds, and when it can be
 * forgotten, is in one place; the methods here only change this connection and report what they
 * dropped, leaving the counting to the caller.
 */
final class Connection {
    final int id;
    /** Primary outputs not yet released, in the order produced. */
    final ArrayDeque<Output> primary = new ArrayDeque<>();
    /** The part of {@link #primary} still waiting for a secondary counterpart, in order. */
    final ArrayDeque<Output> awaiting = new ArrayDeque<>();
    /** Secondary outputs not yet paired, in the order produced. */
    final ArrayDeque<Output> secondary = new ArrayDeque<>();
    /** The last epoch in which comparison stopped here (mismatch, full secondary queue). */
    long divergedEpoch = -1;
    boolean paused;
    boolean closed;
    long closedEpoch;

    Connection(int id) {
        this.id = id;
    }

    /** Whether forgetting this connection changes nothing, in {@code epoch}. */
    boolean idle(long epoch) {
        if (closed) {
            return closedEpoch < epoch;
        }
        return primary.isEmpty() && secondary.isEmpty() && !paused && divergedEpoch < epoch;
    }

    /**
     * Epochs below {@code n} ended: their outputs can no longer pair.
     *
     * @return the secondary outputs dropped
     */
    int endEpochsBefore(long n) {
        // Unpaired primary outputs of ended epochs stay in primary, held until covered.
        awaiting.removeIf(out -> out.epoch < n);
        int before = secondary.size();
        secondary.removeIf(out -> out.epoch < n);
        return before - secondary.size();
    }

    /**
     * Stops comparing in {@code e} and earlier: its lines wait for a checkpoint instead.
     *
     * @return the secondary outputs dropped
     */
    int divergeThrough(long e) {
        divergedEpoch = Math.max(divergedEpoch, e);
        awaiting.removeIf(out -> out.epoch <= e);
        int before = secondary.size();
        secondary.removeIf(out -> out.epoch <= e);
        return before - secondary.size();
    }

    /** Empties the queues for good; the caller counted them first. */
    void close(long epoch) {
        primary.clear();
        awaiting.clear();
        secondary.clear();
        paused = false;
        closed = true;
        closedEpoch = epoch;
    }
}

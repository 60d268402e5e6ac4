package org.qapi4j.colo.compare;

import java.util.Arrays;

/**
 * The per-connection rules: pairs a connection's waiting outputs in order, stops comparing it in
 * an epoch once a pair differs, releases its leading lines that are matched or covered, and
 * pushes back or resumes its client around the queue bound. These are the rules that decide
 * what a client receives and in what order; they are kept apart from the event routing in
 * {@link CompareState} so that they can be read, and checked against the class documentation
 * of {@link OutputComparator}, on their own. Used under the comparator's lock.
 */
final class Pairing {
    private final Epochs epochs;
    private final CompareCounters counters;
    private final CallbackOutbox outbox;
    private final int maxQueue;

    Pairing(Epochs epochs, CompareCounters counters, CallbackOutbox outbox, int maxQueue) {
        this.epochs = epochs;
        this.counters = counters;
        this.outbox = outbox;
        this.maxQueue = maxQueue;
    }

    /** Pairs the connection's waiting outputs, in order, within an epoch. */
    void compare(Connection c) {
        while (!c.awaiting.isEmpty() && !c.secondary.isEmpty()) {
            Output p = c.awaiting.peekFirst();
            Output s = c.secondary.peekFirst();
            if (s.epoch < p.epoch) {
                // The primary produced no more outputs in s's epoch.
                c.secondary.pollFirst();
                counters.secondaryDroppedFromQueue(1);
                continue;
            }
            if (p.epoch < s.epoch) {
                // The secondary moved on: p has no counterpart; it waits for coverage.
                c.awaiting.pollFirst();
                continue;
            }
            c.awaiting.pollFirst();
            c.secondary.pollFirst();
            counters.secondaryPaired();
            if (Arrays.equals(p.line, s.line)) {
                p.matched = true;
                counters.matched();
            } else {
                counters.mismatched();
                diverge(c, p.epoch, Reason.MISMATCH);
            }
        }
    }

    /** Stops comparing {@code c} in {@code e} and earlier, and requests the checkpoint that will release its lines. */
    void diverge(Connection c, long e, Reason reason) {
        counters.secondaryDroppedFromQueue(c.divergeThrough(e));
        outbox.requestCheckpoint(reason);
    }

    /** Releases the connection's leading lines that are matched or covered; resumes it once below the bound. */
    void releaseReady(Connection c) {
        while (!c.primary.isEmpty()) {
            Output out = c.primary.peekFirst();
            if (!out.matched && !epochs.isCovered(out.epoch)) {
                break;
            }
            c.primary.pollFirst();
            counters.primaryUnheld();
            outbox.release(c.id, out.line);
        }
        if (c.paused && c.primary.size() < maxQueue) {
            c.paused = false;
            outbox.backPressure(c.id, false);
        }
    }

    /**
     * Pushes the connection's client back, once, when its primary queue reached the bound; the
     * checkpoint requested with it is what releases the queue.
     *
     * @return whether the queue still has room
     */
    boolean pauseIfFull(Connection c) {
        boolean room = c.primary.size() < maxQueue;
        if (!room && !c.paused) {
            c.paused = true;
            outbox.requestCheckpoint(Reason.QUEUE_FULL);
            outbox.backPressure(c.id, true);
        }
        return room;
    }

    /** Whether the connection's secondary queue is at the bound, so a new secondary output cannot be kept. */
    boolean secondaryFull(Connection c) {
        return c.secondary.size() >= maxQueue;
    }
}

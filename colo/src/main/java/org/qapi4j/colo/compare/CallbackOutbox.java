package org.qapi4j.colo.compare;

import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The ordered delivery of the listener's callbacks outside the comparator's lock. The rules decide
 * callbacks under the lock and queue them here; {@link #drain()} then runs them one at a time, in
 * that order, without the lock, so that a callback may do I/O or call the comparator back. This
 * is separate from the rules because the hand-over (who drains, what a re-entrant call or a second
 * thread does) is subtle and has nothing to do with comparing.
 *
 * <p>Queuing a release or a checkpoint request also counts it, so that {@link CompareStats}'s
 * {@code released} and {@code checkpointsRequested} are by construction the callbacks decided.
 */
final class CallbackOutbox {
    // The comparator's name, so that the log stays where operators already look for it.
    private static final System.Logger LOG = System.getLogger(OutputComparator.class.getName());

    private final OutputListener listener;
    private final ReentrantLock lock;
    private final CompareCounters counters;
    /** Callbacks decided and not yet run, in order. */
    private final ArrayDeque<Callback> queue = new ArrayDeque<>();
    private boolean draining;

    /** @param lock the comparator's lock, under which callbacks are queued */
    CallbackOutbox(OutputListener listener, ReentrantLock lock, CompareCounters counters) {
        this.listener = listener;
        this.lock = lock;
        this.counters = counters;
    }

    /** Queues {@link OutputListener#release}. Under the lock. */
    void release(int connection, byte[] line) {
        counters.released();
        queue.add(new Release(connection, line));
    }

    /** Queues {@link OutputListener#requestCheckpoint}. Under the lock. */
    void requestCheckpoint(Reason reason) {
        counters.requested(reason);
        queue.add(new Request(reason));
    }

    /** Queues {@link OutputListener#backPressure}. Under the lock. */
    void backPressure(int connection, boolean paused) {
        queue.add(new Pressure(connection, paused));
    }

    /**
     * Runs queued callbacks in order, unless another frame (or thread) is already running them: that
     * one then runs these too before it returns. Outside the lock.
     */
    void drain() {
        lock.lock();
        try {
            if (draining || queue.isEmpty()) {
                return;
            }
            draining = true;
        } finally {
            lock.unlock();
        }
        boolean done = false;
        try {
            while (true) {
                Callback next;
                lock.lock();
                try {
                    next = queue.poll();
                    if (next == null) {
                        draining = false;
                        done = true;
                        return;
                    }
                } finally {
                    lock.unlock();
                }
                run(next);
            }
        } finally {
            if (!done) {
                // An Error escaped a callback: let the next caller drain instead of nobody.
                lock.lock();
                try {
                    draining = false;
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    private void run(Callback callback) {
        try {
            if (callback instanceof Release r) {
                listener.release(r.connection, r.line);
            } else if (callback instanceof Request q) {
                listener.requestCheckpoint(q.reason);
            } else if (callback instanceof Pressure p) {
                listener.backPressure(p.connection, p.paused);
            }
        } catch (RuntimeException e) {
            // One failing callback must not stop the ones after it (other clients' lines).
            LOG.log(System.Logger.Level.WARNING, "colo-compare: " + callback + " failed", e);
        }
    }

    private sealed interface Callback permits Release, Request, Pressure {
    }

    private record Release(int connection, byte[] line) implements Callback {
    }

    private record Request(Reason reason) implements Callback {
    }

    private record Pressure(int connection, boolean paused) implements Callback {
    }
}

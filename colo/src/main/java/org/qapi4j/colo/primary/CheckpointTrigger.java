package org.qapi4j.colo.primary;

import java.util.function.LongSupplier;

/**
 * When the primary takes its next checkpoint: after {@code x-checkpoint-delay} milliseconds, or
 * at once when something asks (an output mismatch, an output waiting too long, a full queue, a
 * change of the delay). Requests coalesce, as QEMU's do: however many arrive while a checkpoint
 * runs, one more follows it. A failover request wakes the waiter too.
 */
final class CheckpointTrigger {
    /** Why a checkpoint is taken, for the statistics and the timeline. */
    enum Reason { PERIODIC, MISMATCH, TIMEOUT, QUEUE_FULL, DELAY_CHANGED }

    private Reason requested;
    private boolean stopped;

    synchronized void request(Reason reason) {
        if (requested == null) {
            requested = reason;
        }
        notifyAll();
    }

    /** Forgets the requests so far: the checkpoint under way covers what they asked for. */
    synchronized void discardPending() {
        requested = null;
    }

    synchronized void stop() {
        stopped = true;
        notifyAll();
    }

    /**
     * Waits for the next checkpoint: the delay, read again at each wake-up, or a request.
     *
     * @return why, or null once stopped
     */
    synchronized Reason await(LongSupplier delayMillis) throws InterruptedException {
        long start = System.nanoTime();
        while (!stopped && requested == null) {
            long left = delayMillis.getAsLong() - (System.nanoTime() - start) / 1_000_000;
            if (left <= 0) {
                return Reason.PERIODIC;
            }
            wait(left);
        }
        if (stopped) {
            return null;
        }
        Reason reason = requested;
        requested = null;
        return reason;
    }
}

package org.qapi4j.colo.compare;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The comparator's state and what each event does to it, without any locking: routes an output
 * to its connection, ends epochs, applies coverage, closes connections and fails over, leaving
 * the per-connection rules to {@link Pairing} and the callbacks to the {@link CallbackOutbox}.
 * Kept apart from {@link OutputComparator} so that the public class is only the thread-safe
 * front (lock, then drain the callbacks) and this class can assume it runs alone. Every method
 * is called under the comparator's lock.
 */
final class CompareState {
    private final LongSupplier nanoClock;
    private final Epochs epochs;
    private final CompareCounters counters;
    private final CallbackOutbox outbox;
    private final Pairing pairing;
    private final TimeoutScan timeouts;

    /** Connections with something queued, diverged in the current epoch, paused, or closed in it. */
    private final Map<Integer, Connection> connections = new LinkedHashMap<>();
    private Side failedOver;

    CompareState(long timeoutNanos, int maxQueue, LongSupplier nanoClock, CompareCounters counters,
            CallbackOutbox outbox) {
        this.nanoClock = nanoClock;
        this.epochs = new Epochs();
        this.counters = counters;
        this.outbox = outbox;
        this.pairing = new Pairing(epochs, counters, outbox, maxQueue);
        this.timeouts = new TimeoutScan(timeoutNanos);
    }

    /** @see OutputComparator#primaryOutput */
    boolean primaryOutput(int connection, long epoch, byte[] line) {
        if (failedOver == Side.SECONDARY) {
            counters.discarded(1);
            return true;
        }
        if (failedOver == Side.PRIMARY) {
            outbox.release(connection, line);
            return true;
        }
        if (epochs.isAhead(epoch)) {
            startEpoch(epoch);
        }
        boolean room = true;
        Connection c = connections.computeIfAbsent(connection, Connection::new);
        if (c.closed) {
            counters.discarded(1);
        } else {
            Output out = new Output(epoch, line, nanoClock.getAsLong());
            c.primary.add(out);
            counters.primaryHeld();
            if (!epochs.hasEnded(epoch) && epoch > c.divergedEpoch) {
                c.awaiting.add(out);
                pairing.compare(c);
            }
            pairing.releaseReady(c);
            room = pairing.pauseIfFull(c);
        }
        forgetIfIdle(c);
        return room;
    }

    /** @see OutputComparator#secondaryOutput */
    void secondaryOutput(int connection, long epoch, byte[] line) {
        if (failedOver != null || epochs.hasEnded(epoch)) {
            counters.secondaryDropped(1);
            return;
        }
        Connection c = connections.computeIfAbsent(connection, Connection::new);
        if (c.closed || epoch <= c.divergedEpoch) {
            counters.secondaryDropped(1);
        } else if (pairing.secondaryFull(c)) {
            // Pairing by position is lost for this epoch: treat it as a divergence.
            counters.secondaryDropped(1);
            pairing.diverge(c, epoch, Reason.QUEUE_FULL);
            pairing.releaseReady(c);
        } else {
            c.secondary.add(new Output(epoch, line, nanoClock.getAsLong()));
            counters.secondaryQueued();
            pairing.compare(c);
            pairing.releaseReady(c);
        }
        forgetIfIdle(c);
    }

    /** @see OutputComparator#checkpointStarted */
    void checkpointStarted(long n) {
        if (failedOver == null && epochs.isAhead(n)) {
            startEpoch(n);
        }
    }

    /** @see OutputComparator#checkpointCovered */
    void checkpointCovered(long n) {
        if (failedOver != null || !epochs.coversMore(n)) {
            return;
        }
        if (epochs.isAhead(n)) {
            startEpoch(n); // a covered checkpoint counts as started
        }
        epochs.cover(n);
        for (Iterator<Connection> it = connections.values().iterator(); it.hasNext(); ) {
            Connection c = it.next();
            pairing.releaseReady(c);
            if (c.idle(epochs.current())) {
                it.remove();
            }
        }
    }

    /** @see OutputComparator#connectionClosed */
    void connectionClosed(int connection) {
        if (failedOver != null) {
            return;
        }
        // Kept, closed, until its epoch ends, so that late outputs for it are dropped.
        Connection c = connections.computeIfAbsent(connection, Connection::new);
        counters.heldDiscarded(c.primary.size());
        counters.secondaryDroppedFromQueue(c.secondary.size());
        c.close(epochs.current());
    }

    /**
     * @see OutputComparator#failover
     * @return whether this call failed over (rather than repeating the failover already done)
     */
    boolean failover(Side survivor) {
        if (failedOver != null) {
            if (failedOver != survivor) {
                throw new IllegalStateException(
                        "failover to the " + failedOver.name().toLowerCase() + " already happened");
            }
            return false;
        }
        failedOver = survivor;
        for (Connection c : connections.values()) {
            if (survivor == Side.PRIMARY) {
                for (Output out : c.primary) {
                    outbox.release(c.id, out.line);
                }
                if (c.paused) {
                    outbox.backPressure(c.id, false);
                }
            } else {
                counters.discarded(c.primary.size());
            }
            counters.secondaryDropped(c.secondary.size());
        }
        connections.clear();
        counters.queuesEmptied();
        return true;
    }

    /** @see OutputComparator#poll(long) */
    boolean poll(long nowNanos) {
        if (failedOver != null) {
            return false;
        }
        boolean stale = timeouts.scan(connections.values(), nowNanos);
        if (stale) {
            outbox.requestCheckpoint(Reason.TIMEOUT);
        }
        return stale;
    }

    /** Ends the primary's epochs below {@code n}: their unpaired secondary outputs can no longer pair. */
    private void startEpoch(long n) {
        epochs.start(n);
        for (Iterator<Connection> it = connections.values().iterator(); it.hasNext(); ) {
            Connection c = it.next();
            counters.secondaryDroppedFromQueue(c.endEpochsBefore(n));
            if (c.idle(n)) {
                it.remove();
            }
        }
    }

    private void forgetIfIdle(Connection c) {
        if (c.idle(epochs.current())) {
            connections.remove(c.id);
        }
    }
}

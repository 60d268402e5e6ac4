package org.qapi4j.colo.compare;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * COLO's output comparison (QEMU's {@code colo-compare}) for line-based guest connections: the
 * primary's outputs are held here instead of going to their clients, and compared with the
 * secondary's outputs for the same inputs; a primary output reaches its client once the secondary
 * produced the same line, or once a checkpoint carried the state that produced it to the
 * secondary.
 *
 * <h2>Epochs</h2>
 * Outputs are tagged with an epoch: the primary's outputs produced after checkpoint N stopped it,
 * and the secondary's produced after it loaded checkpoint N, are of epoch N (epoch 0 before the
 * first checkpoint). {@link #checkpointStarted(long) checkpointStarted(n)} ends the primary's
 * epoch n-1; {@link #checkpointCovered(long) checkpointCovered(n)} says the secondary received
 * checkpoint n, so every primary output of an epoch below n may be released. A primary output of
 * an epoch above the current one counts as that checkpoint having started; a covered checkpoint
 * counts as started too.
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>Per connection, the k-th primary output of an epoch pairs with the k-th secondary output of
 *       that epoch. An equal pair releases the primary's line (the secondary's is dropped), but
 *       never ahead of an earlier line of the same connection that is still held: per connection,
 *       lines are released in the order the primary produced them.
 *   <li>A differing pair requests a checkpoint ({@link Reason#MISMATCH}); the connection is then
 *       <em>diverged</em> for that epoch: the line and all later lines of the connection are held
 *       until a checkpoint after that epoch is covered, the connection's secondary outputs of that
 *       epoch are dropped, and the rest of the epoch is not compared there. Later epochs are
 *       compared again (their matches wait only for the lines ahead of them).
 *   <li>An output waiting for its counterpart longer than the timeout requests a checkpoint
 *       ({@link Reason#TIMEOUT}) when {@link #poll(long)} finds it; each output causes at most one
 *       such request. As in QEMU, this applies to both sides: a secondary output the primary never
 *       produced means the secondary diverged. An output whose epoch already ended waits for a
 *       checkpoint that is under way, so it causes none.
 *   <li>Secondary outputs of an epoch older than the primary's current one are dropped on arrival;
 *       unpaired secondary outputs are kept until their epoch ends ({@code checkpointStarted}),
 *       then dropped. Primary outputs whose epoch ended unpaired are held until covered.
 *   <li>{@code checkpointCovered(n)} releases, per connection in order, every held output of an
 *       epoch below n (and any matched lines behind them).
 * </ul>
 *
 * <h2>Bounds</h2>
 * At most {@link CompareOptions#maxQueue()} (1024, as QEMU) outputs per connection and side. QEMU
 * drops a packet arriving at a full queue; we never drop a primary output, because the guest
 * already considers it sent and TCP-like line streams have no retransmission. Instead:
 * <ul>
 *   <li>Primary: the output is always queued; once the connection's queue holds {@code maxQueue}
 *       outputs, {@link #primaryOutput} returns {@code false}, a checkpoint is requested once
 *       ({@link Reason#QUEUE_FULL}, which releases the queue when covered), and
 *       {@link OutputListener#backPressure backPressure(connection, true)} tells the caller to stop
 *       reading that client. Every line the guest answers comes from a client line, so the queue
 *       then grows only by what was already read; {@code backPressure(connection, false)} follows
 *       once the queue is below the bound again.
 *   <li>Secondary: a secondary output never reaches a client, so at a full queue it is dropped;
 *       as pairing by position is then lost for that epoch, the connection becomes diverged for the
 *       epoch (as on a mismatch) and a checkpoint is requested ({@link Reason#QUEUE_FULL}).
 * </ul>
 *
 * <h2>Failover</h2>
 * {@link #failover(Side) failover(PRIMARY)}: the primary goes on alone: everything held is
 * released in order, and from then on primary outputs pass straight through, secondary outputs
 * and checkpoint events are ignored. {@code failover(SECONDARY)}: this comparator's primary is
 * dead (its clients reconnect to the survivor): everything held is dropped, and so are all later
 * outputs. A second failover to the same side is ignored; to the other side it is refused.
 *
 * <h2>Threads</h2>
 * Every method may be called from any thread. State changes under one lock; the callbacks they
 * cause are queued under it and run after it is released, one at a time, in the order they were
 * decided: by the calling thread, or, when another thread is already running callbacks (or this
 * thread is, in a callback that calls the comparator back), by that thread before it returns.
 */
public final class OutputComparator {
    private static final System.Logger LOG = System.getLogger(OutputComparator.class.getName());

    private final OutputListener listener;
    private final long timeoutNanos;
    private final int maxQueue;
    private final LongSupplier nanoClock;

    private final ReentrantLock lock = new ReentrantLock();
    /** Connections with something queued, diverged in the current epoch, paused, or closed in it. */
    private final Map<Integer, Conn> connections = new LinkedHashMap<>();
    /** Callbacks decided and not yet run, in order. */
    private final ArrayDeque<Callback> outbox = new ArrayDeque<>();
    private boolean draining;

    /** The primary's current epoch. */
    private long epoch;
    /** Outputs of epochs below this are safe to release. */
    private long covered;
    private Side failedOver;

    private long released;
    private int held;
    private long matched;
    private long mismatches;
    private int secondaryQueued;
    private long secondaryDropped;
    private long discarded;
    private final long[] requests = new long[Reason.values().length];

    /** A comparator with QEMU's defaults, timed by {@link System#nanoTime()}. */
    public OutputComparator(OutputListener listener) {
        this(listener, CompareOptions.defaults(), System::nanoTime);
    }

    /**
     * @param listener where released lines, checkpoint requests and back-pressure go
     * @param options timeout and queue bound
     * @param nanoClock stamps outputs as they arrive, on the same scale as {@link #poll(long)}'s
     *     argument ({@link System#nanoTime()} in production, a fake clock in tests)
     */
    public OutputComparator(OutputListener listener, CompareOptions options, LongSupplier nanoClock) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.timeoutNanos = options.timeout().toNanos();
        this.maxQueue = options.maxQueue();
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    // ---- inputs ----

    /**
     * An output of the primary's guest: {@code line} (without its newline) for {@code connection},
     * produced in {@code epoch}. The line is copied. Never dropped while comparing: it is released
     * or, if its connection closes first, discarded.
     *
     * @return {@code false} when the connection's queue is at its bound: stop reading that client
     *     until {@link OutputListener#backPressure backPressure(connection, false)}; the output was
     *     queued all the same
     */
    public boolean primaryOutput(int connection, long epoch, byte[] line) {
        requireEpoch(epoch);
        byte[] copy = line.clone();
        boolean room = true;
        lock.lock();
        try {
            if (failedOver == Side.SECONDARY) {
                discarded++;
            } else if (failedOver == Side.PRIMARY) {
                emitRelease(connection, copy);
            } else {
                if (epoch > this.epoch) {
                    startEpoch(epoch);
                }
                Conn c = connections.computeIfAbsent(connection, Conn::new);
                if (c.closed) {
                    discarded++;
                } else {
                    Output out = new Output(epoch, copy, nanoClock.getAsLong());
                    c.primary.add(out);
                    held++;
                    if (epoch >= this.epoch && epoch > c.divergedEpoch) {
                        c.awaiting.add(out);
                        compare(c);
                    }
                    releaseReady(c);
                    room = c.primary.size() < maxQueue;
                    if (!room && !c.paused) {
                        c.paused = true;
                        request(Reason.QUEUE_FULL);
                        outbox.add(new Pressure(connection, true));
                    }
                }
                forgetIfIdle(c);
            }
        } finally {
            lock.unlock();
        }
        runCallbacks();
        return room;
    }

    /** An output of the secondary's guest, produced in {@code epoch} (the checkpoint it last loaded). */
    public void secondaryOutput(int connection, long epoch, byte[] line) {
        requireEpoch(epoch);
        byte[] copy = line.clone();
        lock.lock();
        try {
            if (failedOver != null || epoch < this.epoch) {
                secondaryDropped++;
            } else {
                Conn c = connections.computeIfAbsent(connection, Conn::new);
                if (c.closed || epoch <= c.divergedEpoch) {
                    secondaryDropped++;
                } else if (c.secondary.size() >= maxQueue) {
                    secondaryDropped++;
                    diverge(c, epoch, Reason.QUEUE_FULL);
                    releaseReady(c);
                } else {
                    c.secondary.add(new Output(epoch, copy, nanoClock.getAsLong()));
                    secondaryQueued++;
                    compare(c);
                    releaseReady(c);
                }
                forgetIfIdle(c);
            }
        } finally {
            lock.unlock();
        }
        runCallbacks();
    }

    /** The primary stopped for checkpoint {@code n}: its epoch n-1 is complete. Older or repeated n are ignored. */
    public void checkpointStarted(long n) {
        requireCheckpoint(n);
        lock.lock();
        try {
            if (failedOver == null && n > epoch) {
                startEpoch(n);
            }
        } finally {
            lock.unlock();
        }
        runCallbacks();
    }

    /**
     * The secondary confirmed {@code vmstate-received} for checkpoint {@code n}: every held primary
     * output of an epoch below n is released, per connection in order.
     */
    public void checkpointCovered(long n) {
        requireCheckpoint(n);
        lock.lock();
        try {
            if (failedOver == null && n > covered) {
                if (n > epoch) {
                    startEpoch(n);
                }
                covered = n;
                for (Iterator<Conn> it = connections.values().iterator(); it.hasNext(); ) {
                    Conn c = it.next();
                    releaseReady(c);
                    if (c.idle(epoch)) {
                        it.remove();
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        runCallbacks();
    }

    /**
     * The connection is gone for good (its client disconnected and the guest saw it close): what
     * is held for it can reach no one and is discarded, and outputs still arriving for it in this
     * epoch are dropped.
     */
    public void connectionClosed(int connection) {
        lock.lock();
        try {
            if (failedOver == null) {
                Conn c = connections.computeIfAbsent(connection, Conn::new);
                discarded += c.primary.size();
                held -= c.primary.size();
                secondaryDropped += c.secondary.size();
                secondaryQueued -= c.secondary.size();
                c.primary.clear();
                c.awaiting.clear();
                c.secondary.clear();
                c.paused = false;
                c.closed = true;
                c.closedEpoch = epoch;
            }
        } finally {
            lock.unlock();
        }
        runCallbacks();
    }

    /**
     * Failover: {@code PRIMARY} survives, so everything held is released in order and outputs pass
     * through from now on; {@code SECONDARY} survives, so this side drops everything, now and later.
     *
     * @throws IllegalStateException if a failover to the other side already happened
     */
    public void failover(Side survivor) {
        Objects.requireNonNull(survivor, "survivor");
        lock.lock();
        try {
            if (failedOver != null) {
                if (failedOver != survivor) {
                    throw new IllegalStateException(
                            "failover to the " + failedOver.name().toLowerCase() + " already happened");
                }
                return;
            }
            failedOver = survivor;
            for (Conn c : connections.values()) {
                if (survivor == Side.PRIMARY) {
                    for (Output out : c.primary) {
                        emitRelease(c.id, out.line);
                    }
                    if (c.paused) {
                        outbox.add(new Pressure(c.id, false));
                    }
                } else {
                    discarded += c.primary.size();
                }
                secondaryDropped += c.secondary.size();
            }
            connections.clear();
            held = 0;
            secondaryQueued = 0;
        } finally {
            lock.unlock();
        }
        runCallbacks();
    }

    /**
     * Looks for outputs that waited at least the timeout for their counterpart, as of
     * {@code nowNanos} (on the scale of the clock given at construction); if there is one not yet
     * reported, requests a checkpoint ({@link Reason#TIMEOUT}). Call it from a timer (QEMU scans
     * every 1000 ms).
     *
     * @return whether a checkpoint was requested
     */
    public boolean poll(long nowNanos) {
        boolean stale = false;
        lock.lock();
        try {
            if (failedOver == null) {
                for (Conn c : connections.values()) {
                    stale |= markStale(c.awaiting, nowNanos);
                    stale |= markStale(c.secondary, nowNanos);
                }
                if (stale) {
                    request(Reason.TIMEOUT);
                }
            }
        } finally {
            lock.unlock();
        }
        runCallbacks();
        return stale;
    }

    /** {@link #poll(long)} at the clock's current time. */
    public boolean poll() {
        return poll(nanoClock.getAsLong());
    }

    /** The counters, taken atomically. */
    public CompareStats stats() {
        lock.lock();
        try {
            Map<Reason, Long> perReason = new EnumMap<>(Reason.class);
            for (Reason r : Reason.values()) {
                perReason.put(r, requests[r.ordinal()]);
            }
            return new CompareStats(released, held, matched, mismatches, secondaryQueued, secondaryDropped,
                    discarded, perReason);
        } finally {
            lock.unlock();
        }
    }

    // ---- under the lock ----

    private void startEpoch(long n) {
        epoch = n;
        for (Iterator<Conn> it = connections.values().iterator(); it.hasNext(); ) {
            Conn c = it.next();
            // Unpaired primary outputs of ended epochs stay in c.primary, held until covered.
            c.awaiting.removeIf(out -> out.epoch < n);
            int before = c.secondary.size();
            c.secondary.removeIf(out -> out.epoch < n);
            secondaryDropped += before - c.secondary.size();
            secondaryQueued -= before - c.secondary.size();
            if (c.idle(n)) {
                it.remove();
            }
        }
    }

    /** Pairs the connection's waiting outputs, in order, within an epoch. */
    private void compare(Conn c) {
        while (!c.awaiting.isEmpty() && !c.secondary.isEmpty()) {
            Output p = c.awaiting.peekFirst();
            Output s = c.secondary.peekFirst();
            if (s.epoch < p.epoch) {
                // The primary produced no more outputs in s's epoch.
                c.secondary.pollFirst();
                secondaryQueued--;
                secondaryDropped++;
                continue;
            }
            if (p.epoch < s.epoch) {
                // The secondary moved on: p has no counterpart; it waits for coverage.
                c.awaiting.pollFirst();
                continue;
            }
            c.awaiting.pollFirst();
            c.secondary.pollFirst();
            secondaryQueued--;
            if (Arrays.equals(p.line, s.line)) {
                p.matched = true;
                matched++;
            } else {
                mismatches++;
                diverge(c, p.epoch, Reason.MISMATCH);
            }
        }
    }

    /** Stops comparing {@code c} in {@code e} and earlier: its lines wait for a checkpoint. */
    private void diverge(Conn c, long e, Reason reason) {
        c.divergedEpoch = Math.max(c.divergedEpoch, e);
        c.awaiting.removeIf(out -> out.epoch <= e);
        int before = c.secondary.size();
        c.secondary.removeIf(out -> out.epoch <= e);
        secondaryDropped += before - c.secondary.size();
        secondaryQueued -= before - c.secondary.size();
        request(reason);
    }

    /** Releases the connection's leading lines that are matched or covered. */
    private void releaseReady(Conn c) {
        while (!c.primary.isEmpty()) {
            Output out = c.primary.peekFirst();
            if (!out.matched && out.epoch >= covered) {
                break;
            }
            c.primary.pollFirst();
            held--;
            emitRelease(c.id, out.line);
        }
        if (c.paused && c.primary.size() < maxQueue) {
            c.paused = false;
            outbox.add(new Pressure(c.id, false));
        }
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

    private void forgetIfIdle(Conn c) {
        if (c.idle(epoch)) {
            connections.remove(c.id);
        }
    }

    private void emitRelease(int connection, byte[] line) {
        released++;
        outbox.add(new Release(connection, line));
    }

    private void request(Reason reason) {
        requests[reason.ordinal()]++;
        outbox.add(new Request(reason));
    }

    // ---- outside the lock ----

    /** Runs queued callbacks in order, unless another frame (or thread) is already running them. */
    private void runCallbacks() {
        lock.lock();
        try {
            if (draining || outbox.isEmpty()) {
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
                    next = outbox.poll();
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

    private static void requireEpoch(long epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("an epoch is at least 0, not " + epoch);
        }
    }

    private static void requireCheckpoint(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("checkpoints are numbered from 1, not " + n);
        }
    }

    private static final class Output {
        final long epoch;
        final byte[] line;
        final long arrivedNanos;
        boolean matched;
        boolean timeoutReported;

        Output(long epoch, byte[] line, long arrivedNanos) {
            this.epoch = epoch;
            this.line = line;
            this.arrivedNanos = arrivedNanos;
        }
    }

    private static final class Conn {
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

        Conn(int id) {
            this.id = id;
        }

        /** Whether forgetting this connection changes nothing, in {@code epoch}. */
        boolean idle(long epoch) {
            if (closed) {
                return closedEpoch < epoch;
            }
            return primary.isEmpty() && secondary.isEmpty() && !paused && divergedEpoch < epoch;
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

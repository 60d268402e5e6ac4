package org.qapi4j.colo.compare;

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
 *
 * <p>This class is only that thread-safe front: each method takes the lock, lets
 * {@code CompareState} apply the event, releases the lock and drains the {@code CallbackOutbox}.
 */
public final class OutputComparator {
    private final LongSupplier nanoClock;
    private final ReentrantLock lock = new ReentrantLock();
    private final CompareCounters counters = new CompareCounters();
    private final CallbackOutbox outbox;
    /** Guarded by {@link #lock}. */
    private final CompareState state;

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
        Objects.requireNonNull(listener, "listener");
        long timeoutNanos = options.timeout().toNanos();
        int maxQueue = options.maxQueue();
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.outbox = new CallbackOutbox(listener, lock, counters);
        this.state = new CompareState(timeoutNanos, maxQueue, nanoClock, counters, outbox);
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
        boolean room;
        lock.lock();
        try {
            room = state.primaryOutput(connection, epoch, copy);
        } finally {
            lock.unlock();
        }
        outbox.drain();
        return room;
    }

    /** An output of the secondary's guest, produced in {@code epoch} (the checkpoint it last loaded). */
    public void secondaryOutput(int connection, long epoch, byte[] line) {
        requireEpoch(epoch);
        byte[] copy = line.clone();
        lock.lock();
        try {
            state.secondaryOutput(connection, epoch, copy);
        } finally {
            lock.unlock();
        }
        outbox.drain();
    }

    /** The primary stopped for checkpoint {@code n}: its epoch n-1 is complete. Older or repeated n are ignored. */
    public void checkpointStarted(long n) {
        requireCheckpoint(n);
        lock.lock();
        try {
            state.checkpointStarted(n);
        } finally {
            lock.unlock();
        }
        outbox.drain();
    }

    /**
     * The secondary confirmed {@code vmstate-received} for checkpoint {@code n}: every held primary
     * output of an epoch below n is released, per connection in order.
     */
    public void checkpointCovered(long n) {
        requireCheckpoint(n);
        lock.lock();
        try {
            state.checkpointCovered(n);
        } finally {
            lock.unlock();
        }
        outbox.drain();
    }

    /**
     * The connection is gone for good (its client disconnected and the guest saw it close): what
     * is held for it can reach no one and is discarded, and outputs still arriving for it in this
     * epoch are dropped.
     */
    public void connectionClosed(int connection) {
        lock.lock();
        try {
            state.connectionClosed(connection);
        } finally {
            lock.unlock();
        }
        outbox.drain();
    }

    /**
     * Failover: {@code PRIMARY} survives, so everything held is released in order and outputs pass
     * through from now on; {@code SECONDARY} survives, so this side drops everything, now and later.
     *
     * @throws IllegalStateException if a failover to the other side already happened
     */
    public void failover(Side survivor) {
        Objects.requireNonNull(survivor, "survivor");
        boolean failedOver;
        lock.lock();
        try {
            failedOver = state.failover(survivor);
        } finally {
            lock.unlock();
        }
        // A repeated failover decided nothing, so it has nothing to deliver.
        if (failedOver) {
            outbox.drain();
        }
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
        boolean stale;
        lock.lock();
        try {
            stale = state.poll(nowNanos);
        } finally {
            lock.unlock();
        }
        outbox.drain();
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
            return counters.snapshot();
        } finally {
            lock.unlock();
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
}

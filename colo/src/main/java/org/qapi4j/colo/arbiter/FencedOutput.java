package org.qapi4j.colo.arbiter;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;
import org.qapi4j.colo.compare.OutputListener;
import org.qapi4j.vmm.machine.device.Nic;
import org.qapi4j.vmm.machine.device.NicFrame;
import org.qapi4j.vmm.machine.device.NicReplication;

/**
 * The gate between a guest's answers and its clients when COLO has an arbiter: an answer goes out
 * ({@link Nic#release}) only while this process's {@link Lease} is {@link Lease#valid() valid};
 * otherwise it is held, in order, and goes out when the lease is confirmed again; once the lease
 * is {@link Lease#lost() lost} nothing goes out any more (the held answers are dropped: the
 * other side took over, and the clients retry there).
 *
 * <p>It sits in two places: as the {@link OutputComparator}'s release callback while COLO runs on
 * the primary (what the comparator releases passes through here on its way to the NIC), and as
 * the NIC's {@link NicReplication} once this process serves alone (after a failover), so that a
 * survivor is fenced by its lease too.
 *
 * <p>Thread-safe: answers go out under one lock, so per connection they keep their order.
 */
public final class FencedOutput implements OutputListener.Releaser, NicReplication {
    private record Held(int connection, byte[] line) {}

    private final Lease lease;
    private final OutputListener.Releaser nic;
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private final AtomicLong released = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    public FencedOutput(Lease lease, Nic nic) {
        this(lease, nic::release);
    }

    /** A gate in front of {@code sink} (a NIC's {@link Nic#release}, or a test's recorder). */
    public FencedOutput(Lease lease, OutputListener.Releaser sink) {
        this.lease = lease;
        this.nic = sink;
        lease.onChange(this::flush);
    }

    @Override
    public synchronized void release(int connection, byte[] line) {
        if (lease.lost()) {
            dropped.incrementAndGet();
            return;
        }
        if (held.isEmpty() && lease.valid()) {
            released.incrementAndGet();
            nic.release(connection, line);
            return;
        }
        held.add(new Held(connection, line));
    }

    /** Sends what was held while the lease is valid; drops it once the lease is lost. */
    public synchronized void flush() {
        if (lease.lost()) {
            dropped.addAndGet(held.size());
            held.clear();
            return;
        }
        while (!held.isEmpty() && lease.valid()) {
            Held h = held.poll();
            released.incrementAndGet();
            nic.release(h.connection(), h.line());
        }
    }

    /** Answers held now, waiting for the lease. */
    public synchronized int heldCount() {
        return held.size();
    }

    public long releasedCount() {
        return released.get();
    }

    public long droppedCount() {
        return dropped.get();
    }

    @Override
    public void queued(long seq, NicFrame frame) {
        // input is not fenced: the guest may go on computing, only its answers wait
    }

    @Override
    public boolean answered(int connection, byte[] line) {
        release(connection, line);
        return true;
    }
}

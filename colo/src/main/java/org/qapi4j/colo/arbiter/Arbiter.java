package org.qapi4j.colo.arbiter;

import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.api.CuratorWatcher;
import org.apache.zookeeper.data.Stat;
import org.qapi4j.vmm.cli.ColoArbiter;
import org.qapi4j.vmm.machine.device.Nic;

/**
 * COLO's arbiter for one VMM process ({@code --colo-arbiter}): its {@link Lease} and what each
 * COLO role does with it.
 * <ul>
 *   <li>Primary: {@link #primaryEntry} takes the lease at COLO's entry (waiting up to two session
 *       timeouts for an earlier holder's session to end, else COLO does not start) and returns
 *       the {@link FencedOutput} its answers pass through.
 *   <li>Secondary: {@link #watchAsSecondary} watches the lease node; once it has seen the
 *       primary hold it and then seen it disappear (the primary's session expired: it is dead, or
 *       cut off from ZooKeeper and already fenced), it creates the lease for itself and only then
 *       asks for the failover, the path {@code x-colo-lost-heartbeat} takes. It never takes over
 *       without the lease; after any failover its answers go through its own {@link
 *       FencedOutput}, so a survivor is fenced by its lease as well.
 * </ul>
 * Without {@code --colo-arbiter} none of this exists and nothing takes over by itself, as in
 * QEMU 7.2: without a third party a cut link looks like a dead peer, and a side that took over
 * on a timeout could serve beside a live one.
 *
 * <p>Each step is reported on standard error with its wall-clock time in milliseconds ({@code
 * at=EPOCH_MS}), so that failover time can be split into its parts.
 */
public final class Arbiter implements AutoCloseable {
    private final Lease lease;
    private final String owner;
    private final int sessionTimeoutMillis;
    private final PrintStream stderr;
    private final String program;
    private FencedOutput output;
    private Thread watcher;
    private volatile boolean closed;

    private Arbiter(Lease lease, String owner, int sessionTimeoutMillis, PrintStream stderr, String program) {
        this.lease = lease;
        this.owner = owner;
        this.sessionTimeoutMillis = sessionTimeoutMillis;
        this.stderr = stderr;
        this.program = program;
    }

    /** Connects to the ensemble; {@code owner} describes this process in the lease node. */
    public static Arbiter connect(ColoArbiter config, String owner, PrintStream stderr, String program)
            throws IOException {
        return new Arbiter(Lease.connect(config), owner, config.sessionTimeoutMillis(), stderr, program);
    }

    public Lease lease() {
        return lease;
    }

    /** This process's output gate on {@code nic} (one per process). */
    public synchronized FencedOutput output(Nic nic) {
        if (output == null) {
            output = new FencedOutput(lease, nic);
        }
        return output;
    }

    /**
     * The primary enters COLO: the lease is taken (or found ours), and its gate returned.
     *
     * @throws IOException when another process keeps the lease, or ZooKeeper fails
     */
    public FencedOutput primaryEntry(Nic nic) throws IOException {
        try {
            if (!lease.acquire(owner, 2L * sessionTimeoutMillis)) {
                throw new IOException("COLO arbiter: the lease " + lease.nodePath() + " is held by " + describe(lease.holder()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("COLO arbiter: interrupted while taking the lease", e);
        }
        report("primary holds the lease " + lease.nodePath());
        return output(nic);
    }

    /**
     * The secondary enters COLO: a thread watches the lease and, once the primary's is gone and
     * this process holds it, runs {@code takeover} (which asks for the failover).
     */
    public synchronized void watchAsSecondary(Runnable takeover) {
        if (watcher != null) {
            return;
        }
        watcher = new Thread(() -> watch(takeover), "colo-arbiter-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    private void watch(Runnable takeover) {
        boolean seenPrimary = false;
        long poll = Math.max(20, sessionTimeoutMillis / 4);
        while (!closed) {
            try {
                if (lease.state() != Lease.State.NOT_HELD) {
                    return;
                }
                CountDownLatch changed = new CountDownLatch(1);
                long[] eventAt = {0};
                CuratorWatcher onChange = event -> {
                    eventAt[0] = System.currentTimeMillis();
                    changed.countDown();
                };
                Stat stat = lease.client().checkExists().usingWatcher(onChange).forPath(lease.nodePath());
                if (stat != null) {
                    seenPrimary = true;
                    changed.await(poll, TimeUnit.MILLISECONDS);
                    continue;
                }
                if (!seenPrimary) {
                    changed.await(poll, TimeUnit.MILLISECONDS);
                    continue;
                }
                long seen = eventAt[0] != 0 ? eventAt[0] : System.currentTimeMillis();
                report("the primary's lease is gone, seen at=" + seen);
                if (lease.tryAcquire(owner)) {
                    report("secondary holds the lease " + lease.nodePath() + ", taking over");
                    takeover.run();
                    return;
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (closed) {
                    return;
                }
                try {
                    Thread.sleep(poll);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** One line on standard error, with the wall-clock time. */
    public void report(String what) {
        stderr.println(program + ": COLO arbiter: " + what + " at=" + System.currentTimeMillis());
    }

    private static String describe(String holder) {
        return holder == null ? "nobody now (try again)" : "'" + holder + "'";
    }

    @Override
    public void close() {
        closed = true;
        Thread w = watcher;
        if (w != null) {
            w.interrupt();
        }
        lease.close();
    }
}

package org.qapi4j.colo.arbiter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.RetryForever;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.qapi4j.vmm.cli.ColoArbiter;

/**
 * COLO's lease in ZooKeeper: one ephemeral znode, {@code PATH/lease}, whose owner is the ZooKeeper
 * session of the one process allowed to release output to clients. The primary creates it at
 * COLO's entry; the secondary creates it only once the primary's has gone, which ZooKeeper does
 * when the primary's session expires: the primary died, or cannot reach ZooKeeper, for a whole
 * session timeout.
 *
 * <h2>Why a plain ephemeral znode</h2>
 * Curator's {@code LeaderLatch} re-runs its election on every reconnection (it deletes and
 * recreates its node), so a primary that merely lost its connection for a moment could hand the
 * lease to the secondary while still alive; {@code InterProcessMutex} ties ownership to a thread
 * and a sequential node, and its holder cannot ask "is my lock still mine?". One ephemeral node
 * answers that with one read: it exists and its {@code ephemeralOwner} is our session id. Its
 * lifetime is exactly the session's, which is what the secondary waits for.
 *
 * <h2>Fencing: when the holder may release output</h2>
 * {@link #valid()} is true only while the lease is <em>certainly</em> still ours. A renewal thread
 * reads the node every {@code T/6} ({@code T} the negotiated session timeout); a read sent at
 * time {@code s} that shows our session as owner proves the server heard from us at or after
 * {@code s}, so it cannot expire the session before {@code s + T}. The lease counts as valid
 * until {@code s + T/2} only: the other half covers a thread preempted between the check and the
 * send, and the tick rounding of ZooKeeper's expiry works only in our favour. On top of that:
 * <ul>
 *   <li>Curator's {@code SUSPENDED} (the connection is in doubt) makes the lease invalid at once;
 *       it becomes valid again only after {@code RECONNECTED} and a read showing the node still
 *       ours.
 *   <li>{@code LOST} (the session expired, or Curator believes it did), or a read showing the node
 *       gone or another owner, ends the lease for good: this object never reports it valid
 *       again. The process must not release output any more; the other side will take over.
 * </ul>
 * The time bound, not only {@code SUSPENDED}, is what makes this safe: ZooKeeper's client
 * notices a silent server only after {@code 2T/3}, about when the server may expire the
 * session, and a process that was frozen (SIGSTOP, a long GC) wakes up still believing it is
 * connected. Consequence: <b>a ZooKeeper that cannot be reached stalls the holder's output</b>
 * (answers are held, not lost, until the lease is confirmed again) rather than risk two replicas
 * serving.
 *
 * <p>Thread-safe.
 */
public final class Lease implements AutoCloseable {
    /** The lease's state as this process knows it. */
    public enum State {
        /** Not ours: not acquired yet, or held by another process. */
        NOT_HELD,
        /** Ours, confirmed within the bound (see {@link #valid()} for the time check). */
        HELD,
        /** Ours as far as we know, but the connection is in doubt: no output. */
        SUSPENDED,
        /** Gone for good in this session: never output again. */
        LOST
    }

    private final CuratorFramework client;
    private final String path;
    private final String nodePath;
    private final int requestedTimeoutMillis;
    private final LongSupplier nanoClock;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    private State state = State.NOT_HELD;
    private long sessionId;
    /** The lease is certainly ours until this {@link #nanoClock} time. */
    private long validUntil;
    private boolean recheck;
    private Thread renewer;
    private volatile boolean closed;

    private Lease(CuratorFramework client, String path, int requestedTimeoutMillis, LongSupplier nanoClock) {
        this.client = client;
        this.path = path;
        this.nodePath = path + "/lease";
        this.requestedTimeoutMillis = requestedTimeoutMillis;
        this.nanoClock = nanoClock;
    }

    /**
     * A client of the ensemble {@code arbiter} names, connected (waits up to the session timeout,
     * at least 5 s, for it), holding nothing yet.
     *
     * @throws IOException when ZooKeeper cannot be reached in that time
     */
    public static Lease connect(ColoArbiter arbiter) throws IOException {
        int timeout = arbiter.sessionTimeoutMillis();
        CuratorFramework client = CuratorFrameworkFactory.builder()
                .connectString(arbiter.connectString())
                .sessionTimeoutMs(timeout)
                .connectionTimeoutMs(Math.max(100, Math.min(timeout, 15_000)))
                .retryPolicy(new RetryForever(Math.max(20, timeout / 10)))
                .build();
        Lease lease = new Lease(client, arbiter.path(), timeout, System::nanoTime);
        client.getConnectionStateListenable().addListener((c, newState) -> lease.connectionState(newState));
        client.start();
        try {
            if (!client.blockUntilConnected(Math.max(5000, timeout), TimeUnit.MILLISECONDS)) {
                client.close();
                throw new IOException("COLO arbiter: ZooKeeper " + arbiter.connectString() + " cannot be reached");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.close();
            throw new IOException("COLO arbiter: interrupted while connecting to ZooKeeper", e);
        }
        return lease;
    }

    /** The lease's znode, {@code PATH/lease}. */
    public String nodePath() {
        return nodePath;
    }

    public State state() {
        synchronized (lock) {
            return state;
        }
    }

    /**
     * Whether this process may release output now: the lease is held, not suspended, and was
     * confirmed less than half a session timeout ago.
     */
    public boolean valid() {
        synchronized (lock) {
            return state == State.HELD && nanoClock.getAsLong() - validUntil < 0;
        }
    }

    /** Whether the lease ended for good in this process. */
    public boolean lost() {
        synchronized (lock) {
            return state == State.LOST;
        }
    }

    /** Told (on Curator's or the renewal thread) whenever the lease may have become valid or lost. */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /**
     * Creates the lease for this process, or finds it ours already; if another session holds it,
     * waits up to {@code waitMillis} for that session to end.
     *
     * @return true once the lease is ours; false if another holds it after the wait
     * @throws IOException if ZooKeeper fails, or the lease was lost here before
     */
    public boolean acquire(String owner, long waitMillis) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        while (true) {
            if (tryAcquire(owner)) {
                return true;
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(Math.max(10, requestedTimeoutMillis / 20));
        }
    }

    /**
     * One attempt: creates the lease node if it is absent (or finds it ours).
     *
     * @return whether the lease is ours
     */
    public boolean tryAcquire(String owner) throws IOException {
        synchronized (lock) {
            if (state == State.LOST) {
                throw new IOException("COLO arbiter: this process lost its lease " + nodePath + " and may not take it again");
            }
            if (state == State.HELD || state == State.SUSPENDED) {
                return true;
            }
        }
        try {
            long session = client.getZookeeperClient().getZooKeeper().getSessionId();
            long sent = nanoClock.getAsLong();
            try {
                client.create().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL)
                        .forPath(nodePath, owner.getBytes(StandardCharsets.UTF_8));
            } catch (KeeperException.NodeExistsException e) {
                Stat stat = client.checkExists().forPath(nodePath);
                if (stat == null || stat.getEphemeralOwner() != session) {
                    return false;
                }
            }
            synchronized (lock) {
                sessionId = session;
                state = State.HELD;
                confirmed(sent);
                startRenewer();
            }
            fire();
            return true;
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("COLO arbiter: " + e.getMessage(), e);
        }
    }

    /** Who holds the lease (its node's data), or null when nobody does. */
    public String holder() throws IOException {
        try {
            return new String(client.getData().forPath(nodePath), StandardCharsets.UTF_8);
        } catch (KeeperException.NoNodeException e) {
            return null;
        } catch (Exception e) {
            throw new IOException("COLO arbiter: " + e.getMessage(), e);
        }
    }

    /** The Curator client, for watching the lease node. */
    CuratorFramework client() {
        return client;
    }

    /** A read proved our ownership as of {@code sentNanos}. Holds the lock. */
    private void confirmed(long sentNanos) {
        long timeout = Math.min(requestedTimeoutMillis, negotiatedTimeoutMillis());
        long until = sentNanos + TimeUnit.MILLISECONDS.toNanos(timeout / 2);
        if (until - validUntil > 0 || state != State.HELD) {
            validUntil = until;
        }
    }

    private int negotiatedTimeoutMillis() {
        try {
            int negotiated = client.getZookeeperClient().getZooKeeper().getSessionTimeout();
            return negotiated > 0 ? negotiated : requestedTimeoutMillis;
        } catch (Exception e) {
            return requestedTimeoutMillis;
        }
    }

    private void startRenewer() {
        if (renewer == null) {
            renewer = new Thread(this::renew, "colo-arbiter-renew");
            renewer.setDaemon(true);
            renewer.start();
        }
    }

    /** Reads the node every T/6 while the lease is not lost; each read that shows it ours confirms it. */
    private void renew() {
        long period = Math.max(10, requestedTimeoutMillis / 6);
        while (!closed) {
            try {
                synchronized (lock) {
                    if (state == State.LOST) {
                        return;
                    }
                    if (!recheck) {
                        lock.wait(period);
                    }
                    recheck = false;
                    if (state == State.LOST || closed) {
                        return;
                    }
                }
                check();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void check() {
        long sent = nanoClock.getAsLong();
        Stat stat;
        long session;
        try {
            session = client.getZookeeperClient().getZooKeeper().getSessionId();
            stat = client.checkExists().forPath(nodePath);
        } catch (Exception e) {
            return; // not confirmed: the bound runs out by itself
        }
        boolean fire;
        synchronized (lock) {
            if (state == State.LOST) {
                return;
            }
            if (stat == null || stat.getEphemeralOwner() != sessionId || session != sessionId) {
                state = State.LOST;
                fire = true;
            } else {
                boolean wasValid = state == State.HELD && sent - validUntil < 0;
                if (state == State.SUSPENDED && !client.getZookeeperClient().isConnected()) {
                    return;
                }
                state = State.HELD;
                confirmed(sent);
                fire = !wasValid;
            }
        }
        if (fire) {
            fire();
        }
    }

    private void connectionState(ConnectionState newState) {
        boolean fire = false;
        synchronized (lock) {
            switch (newState) {
                case SUSPENDED -> {
                    if (state == State.HELD) {
                        state = State.SUSPENDED;
                    }
                }
                case RECONNECTED -> {
                    if (state == State.SUSPENDED || state == State.HELD) {
                        recheck = true; // valid again only once a read shows the node still ours
                        lock.notifyAll();
                    }
                }
                case LOST -> {
                    if (state != State.NOT_HELD) {
                        state = State.LOST;
                        fire = true;
                    }
                }
                default -> { }
            }
        }
        if (fire) {
            fire();
        }
    }

    private void fire() {
        for (Runnable listener : listeners) {
            listener.run();
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (lock) {
            lock.notifyAll();
        }
        client.close();
    }
}

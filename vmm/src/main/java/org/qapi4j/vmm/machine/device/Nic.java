package org.qapi4j.vmm.machine.device;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A network card whose host side is a TCP listener. Each client connection is a stream of
 * lines; the guest receives them as {@link NicFrame}s tagged with the connection's id (plus one
 * frame when a connection opens and one when it closes) and sends answers to an id.
 *
 * <p>Bounded everywhere: a line holds at most {@value #MAX_LINE} bytes (longer ones reach the
 * guest as {@link NicFrame.Kind#LINE_TOO_LONG}), the guest's receive queue at most {@value
 * #QUEUE_FRAMES} frames (when it is full the NIC stops reading sockets until the guest catches
 * up, so a paused guest's clients wait and lose nothing), at most {@value #MAX_CONNECTIONS}
 * connections (more are refused with a line {@code ERR too many connections}), and each
 * connection's unsent answers: a client that does not read them stops having its requests read
 * (see {@link NicConnection}).
 *
 * <p>Device state is the receive queue (input the guest has not consumed moves with the guest),
 * which connections the guest has seen open, and the id numbering. TCP connections do not move:
 * loading state closes this NIC's connections, and each connection open in the saved state
 * reaches the guest as closed once the queued frames are consumed. Answers to it are dropped.
 * A client reconnects, to whichever machine now runs the guest, and retries.
 *
 * <p>A connection stays open for answers until the guest has consumed its {@code CLOSED}
 * frame, so a client that half-closes still gets the answers to what it sent.
 */
public final class Nic implements Device, AutoCloseable {
    public static final int MAX_LINE = 1024;
    public static final int QUEUE_FRAMES = 256;
    public static final int MAX_CONNECTIONS = 64;
    /** The longest answer the guest may send. */
    public static final int MAX_ANSWER = 4096;

    private final ServerSocket listener;
    private final Runnable interrupt;
    private final Thread acceptor;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private final NicInbox inbox = new NicInbox();
    /** Connections with a socket here, by id: answers reach them. */
    private final Map<Integer, NicConnection> live = new HashMap<>();
    private int nextId = 1;
    private boolean closed;
    private volatile NicReplication replication;
    /** Whether clients are served; a COLO secondary refuses them until it takes over. */
    private boolean servingClients = true;
    /**
     * A COLO secondary's policy on loading state: its connections are the primary's, mirrored,
     * so they stay open, and mirrored frames newer than the loaded state stay queued.
     */
    private boolean mirrored;

    private Nic(ServerSocket listener, Runnable interrupt) {
        this.listener = listener;
        this.interrupt = interrupt;
        this.acceptor = new Thread(this::acceptClients, "vmm-nic-accept");
        acceptor.setDaemon(true);
    }

    /**
     * A NIC listening on {@code host:port} (port 0: any free port), accepting clients at once.
     *
     * @param interrupt wakes the vCPU when a frame arrives
     * @throws IOException if the address cannot be bound
     */
    public static Nic listen(String host, int port, Runnable interrupt) throws IOException {
        ServerSocket listener = new ServerSocket();
        try {
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(host, port));
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
        Nic nic = new Nic(listener, interrupt);
        nic.acceptor.start();
        return nic;
    }

    /** Where clients connect. */
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    // ---- guest side ----

    /** The next frame for the guest, or {@code null} when none is waiting. */
    public NicFrame receive() {
        lock.lock();
        try {
            NicFrame frame = inbox.poll();
            if (frame != null) {
                notFull.signalAll();
                if (frame.kind() == NicFrame.Kind.CLOSED) {
                    NicConnection connection = live.remove(frame.connection());
                    if (connection != null) {
                        connection.finish();
                    }
                }
            }
            return frame;
        } finally {
            lock.unlock();
        }
    }

    /** Sends {@code line} (a newline is added) to connection {@code connection}; dropped if it is gone. */
    public void transmit(int connection, byte[] line) {
        if (line.length > MAX_ANSWER) {
            throw new IllegalArgumentException("an answer holds at most " + MAX_ANSWER + " bytes, not " + line.length);
        }
        NicReplication hook = replication;
        if (hook != null && hook.answered(connection, line)) {
            return;
        }
        release(connection, line);
    }

    /**
     * Sends an answer the guest gave earlier to its client, bypassing the replication hook: how
     * COLO releases an answer it held. Dropped if the connection is gone.
     */
    public void release(int connection, byte[] line) {
        NicConnection target;
        lock.lock();
        try {
            target = live.get(connection);
        } finally {
            lock.unlock();
        }
        if (target != null) {
            target.send(line);
        }
    }

    // ---- host side ----

    /**
     * Queues {@code frame} for the guest, waiting while the queue is full. Returns {@code false},
     * dropping the frame, once {@code from} is no longer attached (a reset, a load, a close).
     */
    boolean deliver(NicConnection from, NicFrame frame) throws InterruptedException {
        lock.lock();
        try {
            while (inbox.size() >= QUEUE_FRAMES && live.get(from.id) == from) {
                notFull.await();
            }
            if (live.get(from.id) != from) {
                return false;
            }
            enqueue(frame);
        } finally {
            lock.unlock();
        }
        interrupt.run();
        return true;
    }

    /** Queues a frame for the guest, numbering it and telling the replication. Holds the lock. */
    private void enqueue(NicFrame frame) {
        long seq = inbox.add(frame);
        NicReplication hook = replication;
        if (hook != null) {
            hook.queued(seq, frame);
        }
    }

    // ---- COLO ----

    /**
     * Routes the guest's input and answers through {@code hook} (null: plain NIC again). The
     * frames already queued are handed to the hook first, in order: a COLO primary installs it
     * while its guest is stopped after the switch-over, and the lines its clients sent since the
     * device state was saved are in the queue, not yet in the secondary's state.
     */
    public void replicate(NicReplication hook) {
        lock.lock();
        try {
            if (hook != null) {
                inbox.forEachQueued((frame, seq) -> hook.queued(seq, frame));
            }
            replication = hook;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Makes this NIC a COLO secondary's (true) or a plain one (false). A secondary refuses
     * clients (they reach the primary), takes its input from {@link #inject}, and keeps its
     * mirrored connections across a loaded checkpoint. Turning it off, at failover, closes the
     * mirrored connections as the guest sees them (each gets its {@code CLOSED} frame) and serves
     * clients again: they reconnect here.
     */
    public void mirrored(boolean on) {
        lock.lock();
        try {
            mirrored = on;
            servingClients = !on;
            if (!on) {
                for (int id : inbox.openConnections()) {
                    enqueue(NicFrame.of(NicFrame.Kind.CLOSED, id));
                }
            }
        } finally {
            lock.unlock();
        }
        interrupt.run();
    }

    /**
     * A COLO secondary's input: the frame the primary queued as number {@code seq}. One this
     * NIC already holds (it came with a loaded checkpoint) is dropped; a gap in the numbering is
     * an error. Waits while the guest's queue is full.
     *
     * @throws java.io.IOException if frames are missing before {@code seq}
     */
    public void inject(long seq, NicFrame frame) throws IOException, InterruptedException {
        lock.lock();
        try {
            while (inbox.size() >= QUEUE_FRAMES && !closed) {
                notFull.await();
            }
            if (seq < inbox.nextSeq()) {
                return;
            }
            if (seq > inbox.nextSeq()) {
                throw new IOException("mirrored frame " + seq + " arrived, frame " + inbox.nextSeq() + " is missing");
            }
            // A connection the primary opened since the last checkpoint is known here only by its
            // frames: a client after a failover must not get its number (the guest would close it).
            nextId = Math.max(nextId, frame.connection() + 1);
            enqueue(frame);
        } finally {
            lock.unlock();
        }
        interrupt.run();
    }

    private void acceptClients() {
        while (true) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            try {
                socket.setTcpNoDelay(true);
            } catch (IOException ignored) {
                // Only latency suffers.
            }
            NicConnection connection = attach(socket);
            if (connection != null) {
                connection.start();
            }
        }
    }

    private NicConnection attach(Socket socket) {
        boolean full;
        boolean notServing = false;
        lock.lock();
        try {
            full = live.size() >= MAX_CONNECTIONS;
            if (!servingClients) {
                notServing = true;
            } else if (!closed && !full) {
                NicConnection connection = new NicConnection(nextId++, socket, this);
                live.put(connection.id, connection);
                return connection;
            }
        } finally {
            lock.unlock();
        }
        NicConnection.refuse(socket, notServing ? "ERR not serving: this is a COLO secondary\n"
                : full ? "ERR too many connections\n" : "");
        return null;
    }

    /** Closes every connection here without telling the guest. Holds the lock. */
    private void detachAll() {
        for (NicConnection connection : live.values()) {
            connection.abort();
        }
        live.clear();
        notFull.signalAll(); // readers waiting for room give up: their connection is detached
    }

    // ---- device state ----

    @Override
    public String name() {
        return "nic";
    }

    @Override
    public int stateVersion() {
        return 2;
    }

    @Override
    public void save(DataOutput out) throws IOException {
        lock.lock();
        try {
            out.writeInt(nextId);
            inbox.save(out);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void load(DataInput in) throws IOException {
        int savedNextId = in.readInt();
        if (savedNextId < 1) {
            throw new IOException("NIC state is malformed (next id " + savedNextId + ")");
        }
        NicInbox.Saved saved = NicInbox.read(in, MAX_CONNECTIONS * 4, QUEUE_FRAMES + MAX_CONNECTIONS * 4);
        lock.lock();
        try {
            if (mirrored) {
                inbox.loadMirrored(saved);
                notFull.signalAll();
            } else {
                detachAll();
                inbox.load(saved);
                // The saved connections did not come along: the guest sees each one close.
                for (int id : saved.open()) {
                    enqueue(NicFrame.of(NicFrame.Kind.CLOSED, id));
                }
            }
            nextId = Math.max(nextId, savedNextId);
        } finally {
            lock.unlock();
        }
        if (!saved.frames().isEmpty() || !saved.open().isEmpty()) {
            interrupt.run();
        }
    }

    /** A reset takes the link down: every connection is closed, queued input dropped. */
    @Override
    public void reset() {
        lock.lock();
        try {
            detachAll();
            inbox.clear();
        } finally {
            lock.unlock();
        }
    }

    /** Frames waiting for the guest (for tests and diagnostics). */
    public int queuedFrames() {
        lock.lock();
        try {
            return inbox.size();
        } finally {
            lock.unlock();
        }
    }

    /** Stops listening and closes every connection. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            detachAll();
        } finally {
            lock.unlock();
        }
        try {
            listener.close();
        } catch (IOException e) {
            // The logger asked for only now: see Machine.log().
            System.getLogger(Nic.class.getName()).log(System.Logger.Level.DEBUG, "closing the NIC listener", e);
        }
    }
}

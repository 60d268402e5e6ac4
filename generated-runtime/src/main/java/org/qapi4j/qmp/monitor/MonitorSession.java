package org.qapi4j.qmp.monitor;

import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;
import org.qapi4j.qmp.codec.CompatPolicy;
import org.qapi4j.qmp.dispatch.CommandContext;
import org.qapi4j.qmp.dispatch.Monitor;
import org.qapi4j.qmp.event.EventSubscriber;
import org.qapi4j.qmp.json.Json;
import org.qapi4j.qmp.types.QmpEvent;
import org.qapi4j.qmp.wire.JsonMessage;
import org.qapi4j.qmp.wire.QemuJson;
import tools.jackson.databind.node.ObjectNode;

/**
 * One QMP monitor: a connection's negotiation state and request queue, served on the hub's
 * main loop, QEMU 7.2's {@code monitor/qmp.c}:
 *
 * <ul>
 *   <li>A decoded object with {@code exec-oob} and no {@code execute} runs at once, on the I/O
 *       thread ({@code handle_qmp_command}); everything else, parse errors and non-objects
 *       included, joins the monitor's in-band queue.
 *   <li>The queue is served on the main loop. Without oob, queuing one request suspends input
 *       until it has been answered; with oob, queuing the 8th suspends input until the main
 *       loop takes one out. What was decoded but not yet "read" waits in {@link #inbox}, as
 *       unread bytes wait in QEMU's socket.
 * </ul>
 *
 * <p><b>Fewer thread hand-offs, same order.</b> When the main loop answers a command of a
 * monitor without oob, it takes in that monitor's next messages itself (what QEMU's
 * {@code monitor_resume} lets the I/O thread read next can only be an in-band request, or an
 * {@code exec-oob} that is rejected without running a handler); only when nothing waits does
 * the I/O thread start reading again. Output goes through {@link SessionOutput}, which writes
 * what gathered with one flush. Neither changes what a client sees.
 */
public final class MonitorSession implements Monitor, EventSubscriber {
    private static final System.Logger LOG = System.getLogger(MonitorSession.class.getName());

    private final MonitorHub hub;
    private final MonitorConnection connection;
    private final String id;
    private final SessionOutput output;

    private volatile boolean negotiated;
    private volatile boolean oob;

    // ---- guarded by this
    /** Decoded messages not yet taken in, because input is suspended. */
    private final ArrayDeque<JsonMessage> inbox = new ArrayDeque<>();
    /** QEMU's {@code suspend_cnt}: nothing is taken in while it is above zero. */
    private int suspendCount;
    /** Whether the connection reads input; the I/O thread turns it on. */
    private boolean reading = true;
    /** In-band requests waiting for the main loop. */
    private final ArrayDeque<JsonMessage> queue = new ArrayDeque<>();
    /** Whether a main-loop task serves this monitor now (running or scheduled). */
    private boolean running;
    private boolean gone;

    MonitorSession(MonitorHub hub, MonitorConnection connection, String id) {
        this.hub = hub;
        this.connection = connection;
        this.id = id;
        this.output = new SessionOutput(connection, this::takeInWaiting);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean oobEnabled() {
        return oob;
    }

    @Override
    public boolean negotiated() {
        return negotiated;
    }

    @Override
    public String toString() {
        return "QMP monitor " + id;
    }

    // ---- the connection's life ---------------------------------------------------------------

    /** Sends QEMU's greeting. */
    void greet() {
        ObjectNode greeting = Json.object();
        ObjectNode qmp = greeting.putObject("QMP");
        qmp.set("version", hub.version().toJson());
        qmp.putArray("capabilities");
        if (hub.offerOob()) {
            qmp.withArray("capabilities").add("oob");
        }
        send(QemuJson.line(greeting));
        LOG.log(Level.DEBUG, () -> id + ": connected");
    }

    /** The connection is gone: drops what waits and leaves the hub. From any thread. */
    public void disconnected() {
        synchronized (this) {
            gone = true;
            queue.clear();
            inbox.clear();
        }
        output.discard();
        hub.closed(this);
        LOG.log(Level.DEBUG, () -> id + ": disconnected");
    }

    /** Sends what was produced before this call, then closes the connection. */
    public void closeGracefully() {
        output.closeAfterPending();
    }

    // ---- input: QEMU's handle_qmp_command ----------------------------------------------------

    /**
     * One decoded message from the client, on the I/O thread, in the order of the input. Taken
     * in at once unless input is suspended, in which case it waits its turn.
     */
    public void received(JsonMessage message) {
        boolean takeIn;
        synchronized (this) {
            takeIn = suspendCount == 0 && inbox.isEmpty();
            if (!takeIn) {
                inbox.add(message);
            }
        }
        if (takeIn) {
            accept(message);
        }
    }

    /**
     * Takes in one decoded message: runs it at once if it is out-of-band, else queues it for the
     * main loop. On the I/O thread, or on the thread that ended a suspension of a monitor without
     * oob (see {@link #resume()}).
     */
    private void accept(JsonMessage message) {
        if (RequestDispatch.isOutOfBand(message)) {
            // At once, whether or not oob is enabled (when it is not, the answer is that
            // exec-oob is unexpected, at once as well, and no handler runs).
            hub.requests().execute(this, message, oob).whenComplete(this::deliver);
            return;
        }
        boolean kick;
        synchronized (this) {
            if (gone) {
                return;
            }
            if (!oob || queue.size() == MonitorHub.QUEUE_LIMIT - 1) {
                suspend();
            }
            queue.add(message);
            kick = !running;
            running = true;
        }
        if (kick) {
            toMainLoop(this::serveNext);
        }
    }

    /** Caller holds the lock. */
    private void suspend() {
        if (suspendCount++ == 0 && reading) {
            // Only the I/O thread finds reading on here: a suspension that ends elsewhere leaves
            // reading off until the I/O thread has taken in what waits.
            reading = false;
            connection.setReading(false);
        }
    }

    /**
     * QEMU's {@code monitor_resume}, from any thread. When the suspension ends, the messages
     * that wait are taken in, in order, until one suspends the monitor again; if none does,
     * reading resumes. For a monitor without oob, a thread other than the I/O thread does this
     * itself: those messages can only be in-band requests, which it queues, or exec-oob
     * requests, which are rejected without running a handler. With oob, an exec-oob runs its
     * handler, which belongs on the I/O thread, so the I/O thread does it.
     */
    private void resume() {
        boolean here = connection.inIoThread() || !oob;
        synchronized (this) {
            if (suspendCount == 0 || --suspendCount > 0) {
                return;
            }
            if (!here) {
                output.resumeOnIoThread();
                return;
            }
        }
        takeInWaiting();
    }

    /** Takes in waiting messages while nothing suspends the monitor; then reading resumes. */
    private void takeInWaiting() {
        if (!connection.inIoThread()) {
            takeInWaitingElsewhere();
            return;
        }
        while (true) {
            JsonMessage next;
            synchronized (this) {
                if (suspendCount > 0 || gone) {
                    return;
                }
                next = inbox.poll();
                if (next == null) {
                    if (reading) {
                        return;
                    }
                    reading = true;
                    break;
                }
            }
            accept(next);
        }
        connection.setReading(true);
    }

    /**
     * {@link #takeInWaiting()} off the I/O thread, for a monitor without oob. The I/O thread may
     * still be handing over messages it decoded before reading stopped; holding the lock from
     * each message taken out to its place in the queue keeps a newer message from overtaking
     * it ({@link #received} takes a message in directly only when the inbox is empty and
     * nothing suspends the monitor). Holding it is safe here: such a monitor's messages only go
     * into the queue or are rejected, and no handler runs.
     */
    private void takeInWaitingElsewhere() {
        synchronized (this) {
            while (suspendCount == 0 && !gone) {
                JsonMessage next = inbox.poll();
                if (next == null) {
                    if (!reading) {
                        output.resumeOnIoThread();
                    }
                    return;
                }
                accept(next);
            }
        }
    }

    // ---- the main loop: QEMU's monitor_qmp_dispatcher_co -------------------------------------

    private void toMainLoop(Runnable task) {
        try {
            hub.mainLoop().execute(task);
        } catch (RejectedExecutionException e) {
            synchronized (this) {
                running = false;
            }
        }
    }

    /** Serves the next in-band request of this monitor. Main loop. */
    private void serveNext() {
        JsonMessage message;
        boolean oobAtStart;
        boolean queueWasFull;
        synchronized (this) {
            message = queue.poll();
            if (message == null) {
                running = false;
                return;
            }
            oobAtStart = oob;
            queueWasFull = oobAtStart && queue.size() == MonitorHub.QUEUE_LIMIT - 1;
        }
        if (queueWasFull) {
            // The queue was full: take input again, so oob commands can get through while this
            // one runs.
            resume();
        }
        CompletionStage<@Nullable ObjectNode> answer;
        try {
            answer = hub.requests().execute(this, message, oobAtStart);
        } catch (Throwable t) {
            answer = CompletableFuture.failedFuture(t);
        }
        answer.whenComplete((reply, failure) -> {
            deliver(reply, failure);
            if (!oobAtStart) {
                resume();
            }
            // To the back of the main loop's line: monitors take turns, as in QEMU.
            toMainLoop(this::serveNext);
        });
    }

    private void deliver(@Nullable ObjectNode reply, @Nullable Throwable failure) {
        if (failure != null) {
            // RequestDispatch answers every failure itself; this is a bug there.
            LOG.log(Level.ERROR, id + ": request failed unanswered", failure);
            return;
        }
        if (reply != null) {
            send(QemuJson.line(reply));
        }
    }

    // ---- for RequestDispatch -----------------------------------------------------------------

    /** Ends negotiation, with {@code oob} or without, and sends {@code reply} before any event. */
    void negotiate(boolean enableOob, byte[] reply) {
        hub.broadcaster().whileNegotiating(() -> {
            oob = enableOob;
            negotiated = true;
            send(reply);
        });
        LOG.log(Level.DEBUG, () -> id + ": negotiated" + (enableOob ? " with oob" : ""));
    }

    CommandContext context(boolean outOfBand) {
        return new Context(this, outOfBand);
    }

    // ---- output ------------------------------------------------------------------------------

    /** Queues one output line ({@code \r\n} included), from any thread; lines keep their order. */
    @Override
    public void send(byte[] line) {
        output.send(line);
    }

    /** What a handler sees. */
    private record Context(MonitorSession monitor, boolean outOfBand) implements CommandContext {
        @Override
        public void emit(QmpEvent event) {
            monitor.hub.events().emit(event);
        }

        @Override
        public CompatPolicy compatPolicy() {
            return monitor.hub.compatPolicy();
        }
    }
}

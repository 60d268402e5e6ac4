package org.qapi4j.qmp.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;
import org.qapi4j.qmp.ErrorClass;
import org.qapi4j.qmp.QmpError;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.qmp.codec.CompatPolicy;
import org.qapi4j.qmp.codec.QapiReader;
import org.qapi4j.qmp.dispatch.CommandContext;
import org.qapi4j.qmp.dispatch.CommandSpec;
import org.qapi4j.qmp.dispatch.Monitor;
import org.qapi4j.qmp.json.Json;
import org.qapi4j.qmp.types.QmpEvent;
import org.qapi4j.qmp.wire.JsonMessage;
import org.qapi4j.qmp.wire.QDictOrder;
import org.qapi4j.qmp.wire.QemuJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One QMP monitor: a connection's negotiation state, request queue and output, and the
 * handler at the end of its pipeline. The logic is QEMU 7.2's {@code monitor/qmp.c} and
 * {@code qapi/qmp-dispatch.c}:
 *
 * <ul>
 *   <li>A decoded object with {@code exec-oob} and no {@code execute} is dispatched at once, on
 *       the I/O thread ({@code handle_qmp_command}); everything else, parse errors and
 *       non-objects included, joins the monitor's in-band queue.
 *   <li>The queue is served on the main loop. Without oob, queuing one request suspends
 *       reading until it has been answered; with oob, queuing the 8th suspends reading until
 *       the main loop takes one out. What was decoded but not yet "read" waits in
 *       {@link #inbox}, as unread bytes wait in QEMU's socket.
 *   <li>The request checks run in the order QEMU's {@code QDict} iterates the members, so that
 *       with several problems the same one is reported.
 * </ul>
 *
 * <p><b>Fewer thread hand-offs, same order.</b> Two things keep a busy monitor from crossing
 * between the I/O thread and the main loop once per message; neither changes what a client
 * sees. When the main loop answers a command of a monitor without oob, it takes in that
 * monitor's next messages itself (what QEMU's {@code monitor_resume} lets the I/O thread read
 * next can only be an in-band request, or an {@code exec-oob} that is rejected without running
 * a handler); only when nothing waits does the I/O thread start reading again. And output
 * lines go through one queue per monitor, {@link #outbox}, which the I/O thread writes out
 * with one flush for everything that gathered since it last ran.
 */
final class QmpMonitor extends ChannelInboundHandlerAdapter implements Monitor {
    private static final String CAPABILITIES = "qmp_capabilities";
    private static final CommandSpec CAPABILITIES_SPEC = new CommandSpec(CAPABILITIES, false, true, true, false, false, false);
    private static final String EXPECTING = "Expecting capabilities negotiation with 'qmp_capabilities'";

    private final QmpServer server;
    private final Channel channel;
    private final String id;

    private volatile boolean negotiated;
    private volatile boolean oob;

    // ---- guarded by this
    /** Decoded messages not yet taken in, because reading is suspended. */
    private final ArrayDeque<JsonMessage> inbox = new ArrayDeque<>();
    /** QEMU's {@code suspend_cnt}: nothing is taken in while it is above zero. */
    private int suspendCount;
    /** Whether the channel reads from its socket (Netty's auto-read); the I/O thread turns it on. */
    private boolean reading = true;
    /** In-band requests waiting for the main loop. */
    private final ArrayDeque<JsonMessage> queue = new ArrayDeque<>();
    /** Whether a main-loop task serves this monitor now (running or scheduled). */
    private boolean running;
    private boolean gone;
    /** Output lines not yet handed to the channel, in the order they were produced. */
    private ArrayDeque<byte[]> outbox = new ArrayDeque<>();
    /** Whether an I/O-thread task is scheduled to write {@link #outbox} out and resume reading. */
    private boolean ioTaskScheduled;
    /** Suspension ended off the I/O thread with nothing left to take in: the I/O task reads on. */
    private boolean resumeReading;

    // ---- I/O thread only
    private boolean overflowed;

    QmpMonitor(QmpServer server, Channel channel, String id) {
        this.server = server;
        this.channel = channel;
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean oobEnabled() {
        return oob;
    }

    boolean negotiated() {
        return negotiated;
    }

    @Override
    public String toString() {
        return "QMP monitor " + id;
    }

    // ---- connection events -------------------------------------------------------------------

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        try {
            server.register(this);
            ObjectNode greeting = Json.object();
            ObjectNode qmp = greeting.putObject("QMP");
            qmp.set("version", server.version().toJson());
            qmp.putArray("capabilities");
            if (server.offerOob()) {
                qmp.withArray("capabilities").add("oob");
            }
            send(QemuJson.line(greeting));
            LOG().log(Level.DEBUG, () -> id + ": connected");
        } catch (Throwable t) {
            LOG().log(Level.ERROR, id + ": cannot greet", t);
            ctx.close();
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        synchronized (this) {
            gone = true;
            queue.clear();
            inbox.clear();
            outbox.clear();
        }
        server.unregister(this);
        LOG().log(Level.DEBUG, () -> id + ": disconnected");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            JsonMessage message = toMessage(msg);
            if (message == null) {
                return;
            }
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
        } catch (Throwable t) {
            LOG().log(Level.ERROR, id + ": failed to handle input", t);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private @Nullable JsonMessage toMessage(Object msg) {
        if (msg instanceof JsonMessage message) {
            return message;
        }
        if (msg instanceof JsonNode node) {
            return new JsonMessage.Value(node);
        }
        LOG().log(Level.WARNING, () -> id + ": the decoder passed " + msg.getClass().getName() + ", not a JsonMessage; ignored");
        return null;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (!channel.isWritable()) {
            overflow();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            LOG().log(Level.DEBUG, () -> id + ": " + cause);
        } else {
            LOG().log(Level.WARNING, id + ": closing after an error in the pipeline", cause);
        }
        ctx.close();
    }

    // ---- input: QEMU's handle_qmp_command ----------------------------------------------------

    /**
     * Takes in one decoded message: runs it at once if it is out-of-band, else queues it for the
     * main loop. On the I/O thread, or on the thread that ended a suspension of a monitor without
     * oob (see {@link #resume()}).
     */
    private void accept(JsonMessage message) {
        if (message instanceof JsonMessage.Value value && value.json().isObject()
                && value.json().has("exec-oob") && !value.json().has("execute")) {
            // Out-of-band: at once, whether or not oob is enabled (when it is not, the answer is
            // that exec-oob is unexpected, at once as well, and no handler runs).
            execute(message, oob).whenComplete((reply, failure) -> deliver(reply, failure));
            return;
        }
        boolean kick;
        synchronized (this) {
            if (gone) {
                return;
            }
            if (!oob || queue.size() == QmpServer.QUEUE_LIMIT - 1) {
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
            channel.config().setAutoRead(false);
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
        boolean here = channel.eventLoop().inEventLoop() || !oob;
        synchronized (this) {
            if (suspendCount == 0 || --suspendCount > 0) {
                return;
            }
            if (!here) {
                resumeReading = true;
                scheduleIoTask();
                return;
            }
        }
        takeInWaiting();
    }

    /** Takes in waiting messages while nothing suspends the monitor; then reading resumes. */
    private void takeInWaiting() {
        if (!channel.eventLoop().inEventLoop()) {
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
        if (channel.isActive()) {
            channel.config().setAutoRead(true);
        }
    }

    /**
     * {@link #takeInWaiting()} off the I/O thread, for a monitor without oob. The I/O thread may
     * still be handing over messages it decoded before reading stopped; holding the lock from
     * each message taken out to its place in the queue keeps a newer message from overtaking
     * it (channelRead takes a message in directly only when the inbox is empty and nothing
     * suspends the monitor). Holding it is safe here: such a monitor's messages only go into
     * the queue or are rejected, and no handler runs.
     */
    private void takeInWaitingElsewhere() {
        synchronized (this) {
            while (suspendCount == 0 && !gone) {
                JsonMessage next = inbox.poll();
                if (next == null) {
                    if (!reading) {
                        resumeReading = true;
                        scheduleIoTask();
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
            server.mainLoopExecutor().execute(task);
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
            queueWasFull = oobAtStart && queue.size() == QmpServer.QUEUE_LIMIT - 1;
        }
        if (queueWasFull) {
            // The queue was full: take input again, so oob commands can get through while this
            // one runs.
            resume();
        }
        CompletionStage<@Nullable ObjectNode> answer;
        try {
            answer = execute(message, oobAtStart);
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
            // execute() answers every failure itself; this is a bug here.
            LOG().log(Level.ERROR, id + ": request failed unanswered", failure);
            return;
        }
        if (reply != null) {
            send(QemuJson.line(reply));
        }
    }

    // ---- QEMU's qmp_dispatch -----------------------------------------------------------------

    /**
     * Checks and runs one request; completes with the reply, or null when there is none to
     * send (a {@code success-response: false} command succeeded, or the reply was sent
     * already). Never completes exceptionally.
     */
    private CompletionStage<@Nullable ObjectNode> execute(JsonMessage message, boolean allowOob) {
        if (message instanceof JsonMessage.ParseError error) {
            return done(errorReply(QmpError.generic(error.description()), null));
        }
        JsonNode request = ((JsonMessage.Value) message).json();
        if (!request.isObject()) {
            return done(errorReply(QmpError.generic("QMP input must be a JSON object"), null));
        }
        JsonNode requestId = request.get("id");
        String problem = checkShape(request, allowOob);
        if (problem != null) {
            return done(errorReply(QmpError.generic(problem), requestId));
        }
        boolean outOfBand = !request.has("execute");
        String command = request.get(outOfBand ? "exec-oob" : "execute").stringValue();
        boolean negotiating = !negotiated;
        CommandSpec spec = findCommand(command, negotiating);
        if (spec == null) {
            return done(errorReply(new QmpError(ErrorClass.COMMAND_NOT_FOUND,
                    negotiating ? EXPECTING : "The command " + command + " has not been found"), requestId));
        }
        String refused = server.compatPolicyRefusal(spec);
        if (refused != null) {
            return done(errorReply(new QmpError(ErrorClass.COMMAND_NOT_FOUND, refused), requestId));
        }
        if (outOfBand && !spec.allowOob()) {
            return done(errorReply(QmpError.generic("The command " + command + " does not support OOB"), requestId));
        }
        if (!spec.allowPreconfig() && !server.machineReady()) {
            // QEMU's qmp_command_available.
            return done(errorReply(QmpError.generic("The command '" + command
                    + "' is permitted only after machine initialization has completed"), requestId));
        }
        ObjectNode arguments = (ObjectNode) request.get("arguments");
        if (command.equals(CAPABILITIES)) {
            return done(capabilities(arguments, requestId, negotiating));
        }
        CompletionStage<JsonNode> answer;
        try {
            answer = server.dispatcher().dispatch(command, arguments, new Context(this, outOfBand));
            if (answer == null) {
                answer = CompletableFuture.completedFuture(null);
            }
        } catch (Throwable t) {
            answer = CompletableFuture.failedFuture(t);
        }
        return answer.handle((value, failure) -> {
            try {
                if (failure != null) {
                    QmpError error = toError(failure, command);
                    if (negotiating && error.errorClass().equals(ErrorClass.COMMAND_NOT_FOUND)) {
                        error = new QmpError(ErrorClass.COMMAND_NOT_FOUND, EXPECTING);
                    }
                    return errorReply(error, requestId);
                }
                if (!spec.successResponse()) {
                    return null;
                }
                ObjectNode reply = Json.object();
                reply.set("return", value == null || value.isNull() || value.isMissingNode() ? Json.object() : value);
                if (requestId != null) {
                    reply.set("id", requestId);
                }
                return reply;
            } catch (Throwable t) {
                LOG().log(Level.ERROR, id + ": cannot answer " + command, t);
                return errorReply(QmpError.generic("Internal error answering " + command), requestId);
            }
        });
    }

    /** QEMU's {@code qmp_dispatch_check_obj}: the first problem, in QDict order, or null. */
    private static @Nullable String checkShape(JsonNode request, boolean allowOob) {
        List<String> names = new ArrayList<>(request.size());
        request.propertyNames().forEach(names::add);
        String execKey = null;
        for (String name : QDictOrder.of(names)) {
            JsonNode value = request.get(name);
            if (name.equals("execute") || (name.equals("exec-oob") && allowOob)) {
                if (!value.isString()) {
                    return "QMP input member '" + name + "' must be a string";
                }
                if (execKey != null) {
                    return "QMP input member '" + name + "' clashes with '" + execKey + "'";
                }
                execKey = name;
            } else if (name.equals("arguments")) {
                if (!value.isObject()) {
                    return "QMP input member 'arguments' must be an object";
                }
            } else if (!name.equals("id")) {
                return "QMP input member '" + name + "' is unexpected";
            }
        }
        return execKey == null ? "QMP input lacks member 'execute'" : null;
    }

    private @Nullable CommandSpec findCommand(String command, boolean negotiating) {
        if (command.equals(CAPABILITIES)) {
            CommandSpec spec = server.dispatcher().commands().get(CAPABILITIES);
            return spec != null ? spec : CAPABILITIES_SPEC;
        }
        return negotiating ? null : server.dispatcher().commands().get(command);
    }

    /**
     * {@code qmp_capabilities}, as QEMU's monitor serves it: arguments decoded strictly first,
     * then the state checked. On success the reply is sent here, under the event lock, so
     * that no event reaches the client before it.
     */
    private @Nullable ObjectNode capabilities(@Nullable ObjectNode arguments, @Nullable JsonNode requestId, boolean negotiating) {
        try {
            QapiReader in = QapiReader.strict(arguments != null ? arguments : Json.object());
            in.beginObject(null);
            List<String> enable = List.of();
            if (in.has("enable")) {
                enable = in.readList("enable", (reader, name) -> {
                    String value = reader.readEnum(name);
                    if (!value.equals("oob")) {
                        reader.unknownEnumValue(name, value);
                    }
                    return value;
                });
            }
            in.endObject();
            if (!negotiating) {
                throw new QmpException(ErrorClass.COMMAND_NOT_FOUND,
                        "Capabilities negotiation is already complete, command ignored");
            }
            List<String> unavailable = new ArrayList<>();
            for (String capability : enable) {
                if (!server.offerOob()) {
                    unavailable.add(capability);
                }
            }
            if (!unavailable.isEmpty()) {
                throw QmpException.generic("Capability " + String.join(", ", unavailable) + " not available");
            }
            ObjectNode reply = Json.object();
            reply.set("return", Json.object());
            if (requestId != null) {
                reply.set("id", requestId);
            }
            byte[] line = QemuJson.line(reply);
            boolean enableOob = enable.contains("oob");
            synchronized (server.eventLock) {
                oob = enableOob;
                negotiated = true;
                send(line);
            }
            LOG().log(Level.DEBUG, () -> id + ": negotiated" + (enableOob ? " with oob" : ""));
            return null;
        } catch (QmpException e) {
            return errorReply(e.error(), requestId);
        }
    }

    private QmpError toError(Throwable failure, String command) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof QmpException qmp) {
            return qmp.error();
        }
        LOG().log(Level.ERROR, id + ": handler of " + command + " failed", cause);
        String message = cause.getMessage();
        return QmpError.generic(message != null && !message.isBlank() ? message : cause.getClass().getName());
    }

    private static CompletionStage<@Nullable ObjectNode> done(@Nullable ObjectNode reply) {
        return CompletableFuture.completedFuture(reply);
    }

    /** {@code {"error": {"class": ..., "desc": ...}, "id": ...}} in QEMU's insertion order. */
    private static ObjectNode errorReply(QmpError error, @Nullable JsonNode requestId) {
        ObjectNode reply = Json.object();
        ObjectNode body = reply.putObject("error");
        body.put("class", error.errorClass().name());
        body.put("desc", error.description());
        if (requestId != null) {
            reply.set("id", requestId);
        }
        return reply;
    }

    // ---- output ------------------------------------------------------------------------------

    /**
     * Queues one output line, from any thread. Lines reach the client in the order of the
     * calls; on the I/O thread the line is written at once, elsewhere by an I/O-thread task that
     * writes everything queued by then with one flush.
     */
    void send(byte[] line) {
        boolean onIoThread = channel.eventLoop().inEventLoop();
        synchronized (this) {
            if (gone) {
                return;
            }
            outbox.add(line);
            if (!onIoThread) {
                scheduleIoTask();
                return;
            }
        }
        writeOut();
    }

    /** Caller holds the lock. Schedules {@link #runIoTask()} unless it is scheduled already. */
    private void scheduleIoTask() {
        if (ioTaskScheduled) {
            return;
        }
        ioTaskScheduled = true;
        try {
            channel.eventLoop().execute(this::runIoTask);
        } catch (RejectedExecutionException e) {
            // Shutting down: what is queued is lost with the connection.
            ioTaskScheduled = false;
        }
    }

    /** I/O thread: writes what is queued, then resumes reading if a suspension ended elsewhere. */
    private void runIoTask() {
        boolean resumeNow;
        synchronized (this) {
            ioTaskScheduled = false;
            resumeNow = resumeReading;
            resumeReading = false;
        }
        writeOut();
        if (resumeNow) {
            takeInWaiting();
        }
    }

    /** I/O thread: hands every queued line to the channel and flushes once. */
    private void writeOut() {
        ArrayDeque<byte[]> lines;
        synchronized (this) {
            if (outbox.isEmpty()) {
                return;
            }
            lines = outbox;
            outbox = new ArrayDeque<>();
        }
        if (!overflowed && channel.isActive()) {
            for (byte[] line : lines) {
                channel.write(Unpooled.wrappedBuffer(line), channel.voidPromise());
            }
            channel.flush();
            if (!channel.isWritable()) {
                overflow();
            }
        }
    }

    private void overflow() {
        if (overflowed) {
            return;
        }
        overflowed = true;
        long pending = channel.unsafe().outboundBuffer() == null ? -1
                : channel.unsafe().outboundBuffer().totalPendingWriteBytes();
        LOG().log(Level.WARNING, () -> id + ": the client leaves " + pending + " bytes of output unread, more than "
                + server.maxUnreadOutput() + ": disconnecting it");
        channel.close();
    }

    /** Sends what was queued before this call, then closes. */
    ChannelFuture closeGracefully() {
        EventLoop loop = channel.eventLoop();
        Runnable close = () -> {
            writeOut();
            if (channel.isActive() && !overflowed) {
                channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> channel.close());
            } else {
                channel.close();
            }
        };
        try {
            loop.execute(close);
        } catch (RejectedExecutionException e) {
            channel.close();
        }
        return channel.closeFuture();
    }

    private static System.Logger LOG() {
        return QmpServer.LOG;
    }

    /** What a handler sees. */
    private record Context(QmpMonitor monitor, boolean outOfBand) implements CommandContext {
        @Override
        public void emit(QmpEvent event) {
            monitor.server.emit(event);
        }

        @Override
        public CompatPolicy compatPolicy() {
            return monitor.server.compatPolicy();
        }
    }
}

package org.qapi4j.qmp.client;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.qapi4j.qmp.client.PendingCommands.Pending;
import org.qapi4j.qmp.json.Json;
import org.qapi4j.qmp.transport.Transport;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The life of one client connection behind its public face, {@link QmpConnection}: connect,
 * greeting and negotiation under one deadline, sending, and the close that fails whatever
 * still waits. It ties together the parts that each do one thing: {@link ClientPipeline}
 * (the channel's handlers, which call back here on the event loop), {@link PendingCommands}
 * (ids, replies, timeouts), {@link EventListeners} and {@link CallbackExecutor} (where
 * callbacks run). Thread-safe: state read across threads is volatile, and the close cause is
 * set once under the lock.
 */
final class ClientSession {
    static final System.Logger LOG = QmpConnection.LOG;

    private static final AtomicInteger CONNECTIONS = new AtomicInteger();

    private final SocketAddress address;
    private final Duration commandTimeout;
    private final boolean wantOob;
    private final CallbackExecutor callbacks;
    private final PendingCommands pending;
    private final EventListeners listeners;
    private final Transport transport;
    private final @Nullable EventLoopGroup ownGroup;
    private final QmpConnection connection;
    private final CompletableFuture<QmpConnection> connected = new CompletableFuture<>();
    private final CompletableFuture<@Nullable Void> closed = new CompletableFuture<>();
    private final AtomicBoolean closing = new AtomicBoolean();

    private volatile @Nullable Channel channel;
    private volatile @Nullable QmpGreeting greeting;
    private volatile boolean oobEnabled;
    /** Why the connection is closed or closing; null while it is open. */
    private volatile @Nullable QmpConnectionClosedException closeCause;

    ClientSession(QmpConnection connection, QmpConnection.Builder builder) {
        this.connection = connection;
        this.address = Objects.requireNonNull(builder.address, "address: call unix(...) or tcp(...)");
        this.commandTimeout = builder.commandTimeout;
        this.wantOob = builder.enableOob;
        int number = CONNECTIONS.incrementAndGet();
        this.callbacks = new CallbackExecutor("qmp-client-" + number + "-callbacks", builder.callbacksOnEventLoop);
        this.pending = new PendingCommands(builder.maxInFlight, callbacks);
        this.listeners = new EventListeners(builder.listeners);
        if (builder.group == null) {
            this.transport = Transport.best();
            this.ownGroup = new MultiThreadIoEventLoopGroup(1,
                    new DefaultThreadFactory("qmp-client-" + number, true), transport.ioHandlerFactory());
        } else {
            // The channel must be of the group's transport, or it cannot register there.
            this.transport = Transport.of(builder.group).orElse(Transport.NIO);
            this.ownGroup = null;
        }
    }

    SocketAddress address() {
        return address;
    }

    Duration commandTimeout() {
        return commandTimeout;
    }

    PendingCommands pending() {
        return pending;
    }

    EventListeners listeners() {
        return listeners;
    }

    Transport transport() {
        return transport;
    }

    @Nullable QmpGreeting greeting() {
        return greeting;
    }

    boolean oobEnabled() {
        return oobEnabled;
    }

    boolean isOpen() {
        return closeCause == null && !closed.isDone();
    }

    CompletableFuture<@Nullable Void> closeFuture() {
        return closed.copy();
    }

    @Nullable QmpConnectionClosedException closeCause() {
        return closeCause;
    }

    CompletableFuture<JsonNode> send(String verb, String command, @Nullable ObjectNode arguments,
            Duration timeout, boolean noReply) {
        Objects.requireNonNull(command, "command");
        ObjectNode request = Json.object();
        request.put(verb, command);
        // QEMU reads its input a byte per system call: leave out what it does not need.
        if (arguments != null && !arguments.isEmpty()) {
            request.set("arguments", arguments);
        }
        return transmit(command, request, timeout, noReply, false);
    }

    /** See {@link QmpConnection#exchange}. */
    CompletableFuture<ObjectNode> exchange(ObjectNode message, Duration timeout) {
        ObjectNode request = message.deepCopy();
        JsonNode verb = request.has("exec-oob") ? request.get("exec-oob") : request.get("execute");
        String command = verb != null && verb.isString() ? verb.stringValue() : "request";
        JsonNode theirId = request.get("id");
        return transmit(command, request, timeout, false, true).thenApply(reply -> {
            ObjectNode whole = (ObjectNode) reply;
            if (theirId == null) {
                whole.remove("id");
            } else {
                whole.set("id", theirId); // in the place the server gave it
            }
            return whole;
        });
    }

    /** Sends {@code request} under a new id (set in place of any it has) and waits for its reply. */
    private CompletableFuture<JsonNode> transmit(String command, ObjectNode request, Duration timeout,
            boolean noReply, boolean wholeReply) {
        Objects.requireNonNull(timeout, "timeout");
        QmpConnectionClosedException cause = closeCause;
        if (cause != null) {
            return CompletableFuture.failedFuture(
                    new QmpConnectionClosedException("'" + command + "' not sent: the connection is closed", cause));
        }
        Channel ch = channel;
        if (ch == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("not connected yet"));
        }
        Pending p = pending.open(command, noReply, wholeReply);
        if (p == null) {
            return CompletableFuture.failedFuture(new QmpClientException("'" + command + "' not sent: "
                    + pending.max() + " commands are already waiting for replies"));
        }
        request.put("id", p.id);
        if (!noReply) {
            try {
                pending.await(p, ch.eventLoop(), timeout);
            } catch (RejectedExecutionException loopGone) {
                // The connection closed since the check above, and its own event loop is gone.
                if (pending.remove(p)) {
                    QmpConnectionClosedException why = closeCause;
                    pending.fail(p, closedBeforeReply(p, why != null ? why
                            : new QmpConnectionClosedException("the connection's event loop has shut down")));
                }
                return p.future;
            }
            // The connection may have closed between the check above and the await: the
            // closing side may have drained the waiting commands already.
            cause = closeCause;
            if (cause != null && pending.remove(p)) {
                pending.fail(p, closedBeforeReply(p, cause));
                return p.future;
            }
        }
        byte[] bytes = Json.mapper().writeValueAsBytes(request);
        // The outcome is handled on whichever thread it comes: when the connection closes
        // meanwhile and its own event loop is gone, the write fails here, and a listener that
        // waited for that loop would never run (a command without reply would never complete).
        ChannelPromise written = new DefaultChannelPromise(ch, ImmediateEventExecutor.INSTANCE);
        written.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                if (noReply || pending.remove(p)) {
                    QmpConnectionClosedException why = closeCause;
                    pending.fail(p, why != null ? closedBeforeReply(p, why)
                            : new QmpClientException("could not send '" + command + "'", f.cause()));
                }
            } else if (noReply) {
                pending.complete(p, Json.object());
            }
        });
        ch.writeAndFlush(Unpooled.wrappedBuffer(bytes), written);
        return p.future;
    }

    /** See {@link QmpConnection#close()}. */
    void close() {
        shutDown(new QmpConnectionClosedException("the client closed the connection"));
        Channel ch = channel;
        if (ch != null && !callbacks.isCallbackThread(ch)) {
            ch.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            try {
                closed.get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing " + address + " took long", e);
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // Connection set-up and incoming messages (on the event loop).

    CompletableFuture<QmpConnection> start(QmpConnection.Builder builder) {
        EventLoopGroup group = builder.group != null ? builder.group : ownGroup;
        ChannelFuture connecting = ClientPipeline.bootstrap(this, transport, group,
                        builder.connectTimeout, builder.maxMessageBytes, this::adopt)
                .connect(ClientPipeline.remote(transport, address));
        Channel ch = connecting.channel();
        adopt(ch);
        // The connect's failure first: when a connect fails at once, the channel's close can
        // be reported in the same breath, and the reason to give is the connect's.
        connecting.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                shutDown(couldNotConnect(f.cause()));
            }
        });
        // Epoll closes a channel whose connect failed before it fails the connect's future
        // (NIO the other way round): wait for the connect's outcome, which a close always
        // brings, so that its reason is the one reported.
        ch.closeFuture().addListener(f -> connecting.addListener((ChannelFuture c) -> {
            if (!c.isSuccess()) {
                recordCloseCause(couldNotConnect(c.cause()));
            }
            onClosed();
        }));
        // One deadline for socket, greeting and negotiation.
        ScheduledFuture<?> deadline;
        try {
            deadline = ch.eventLoop().schedule(() -> {
                if (!connected.isDone()) {
                    QmpGreeting g = greeting;
                    shutDown(new QmpConnectionClosedException("no " + (g == null ? "QMP greeting" : "answer to qmp_capabilities")
                            + " from " + address + " within " + QmpTimeoutException.millis(builder.connectTimeout)));
                }
            }, builder.connectTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // The connect failed at once and the connection's own event loop is gone already:
            // connected holds that failure.
            return connected.copy();
        }
        connected.whenComplete((c, e) -> deadline.cancel(false));
        return connected.copy();
    }

    /**
     * Makes {@code ch} this connection's channel. Done twice: in the channel's initializer, on
     * the event loop, because the greeting can arrive and be answered there before
     * bootstrap.connect() has returned to the caller; and when it has returned, because the
     * initializer runs only once the channel is registered, which may be later still.
     */
    private void adopt(Channel ch) {
        channel = ch;
        callbacks.adopt(ch);
    }

    void onGreeting(ObjectNode message) {
        if (greeting != null) {
            LOG.log(System.Logger.Level.WARNING, "ignoring a second greeting from " + address + ": "
                    + ClientPipeline.abbreviate(message));
            return;
        }
        QmpGreeting g = QmpGreeting.parse(message);
        greeting = g;
        boolean oob = wantOob && g.offers("oob");
        ObjectNode arguments = Json.object();
        if (oob) {
            arguments.set("enable", Json.array().add("oob"));
        }
        send("execute", "qmp_capabilities", arguments, Duration.ofDays(1), false).whenComplete((value, error) -> {
            if (error != null) {
                shutDown(new QmpConnectionClosedException("negotiation with " + address + " failed: " + error.getMessage(), error));
            } else {
                oobEnabled = oob;
                connected.complete(connection);
            }
        });
    }

    void onEvent(ObjectNode message) {
        listeners.deliver(message, callbacks);
    }

    void onReply(ObjectNode message) {
        if (!pending.answer(message)) {
            // No id (QEMU's answer to input it could not parse), or a command that timed out.
            LOG.log(System.Logger.Level.WARNING, "reply from " + address + " matches no command waiting: "
                    + ClientPipeline.abbreviate(message));
        }
    }

    private static QmpConnectionClosedException closedBeforeReply(Pending p, QmpConnectionClosedException cause) {
        return new QmpConnectionClosedException("the connection closed before '" + p.command + "' (id " + p.id
                + ") was answered: " + cause.getMessage(), cause);
    }

    /** Records why the connection goes away (the first reason wins) and closes the socket. */
    void shutDown(QmpConnectionClosedException cause) {
        recordCloseCause(cause);
        Channel ch = channel;
        if (ch != null) {
            ch.close(); // onClosed runs when it is
        } else {
            onClosed();
        }
    }

    /** The first reason given for the connection's end is the one reported. */
    private synchronized void recordCloseCause(QmpConnectionClosedException cause) {
        if (closeCause == null) {
            closeCause = cause;
        }
    }

    private QmpConnectionClosedException couldNotConnect(Throwable cause) {
        return new QmpConnectionClosedException("could not connect to " + address + ": " + cause, cause);
    }

    /** Once the socket closed: fails what waits, releases the threads. */
    private void onClosed() {
        QmpConnectionClosedException cause;
        synchronized (this) {
            if (closeCause == null) {
                QmpGreeting g = greeting;
                closeCause = new QmpConnectionClosedException("the server closed the connection"
                        + (g == null ? " before its greeting" : connected.isDone() ? "" : " during negotiation"));
            }
            cause = closeCause;
        }
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        for (Pending p : pending.drain()) {
            pending.fail(p, closedBeforeReply(p, cause));
        }
        callbacks.deliver(() -> {
            connected.completeExceptionally(cause);
            closed.complete(null);
        });
        callbacks.shutdown(); // after the tasks above
        if (ownGroup != null) {
            ownGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    /** Whether the calling thread is one that delivers this connection's callbacks. */
    boolean onCallbackThread() {
        return callbacks.isCallbackThread(channel);
    }
}

package org.qapi4j.qmp.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.qapi4j.qmp.ErrorClass;
import org.qapi4j.qmp.QmpError;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.qmp.json.Json;
import org.qapi4j.qmp.transport.Transport;
import org.qapi4j.qmp.wire.JsonMessage;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A negotiated QMP connection: the asynchronous client generated code sends its commands
 * through ({@code new QmpClient(connection)}).
 *
 * <pre>{@code
 * try (QmpConnection qmp = QmpConnection.builder().unix(socket)
 *         .eventListener(QmpEventListener.typed(Event::decode, event -> ...))
 *         .connect().get()) {
 *     QmpClient client = new QmpClient(qmp);
 *     StatusInfo status = client.queryStatus().get();
 * }
 * }</pre>
 *
 * <p><b>Connecting.</b> {@link Builder#connect()} opens the socket (Unix or TCP), reads the
 * greeting ({@link #greeting()}), sends {@code qmp_capabilities} (with {@code oob} enabled when
 * asked for and offered) and completes when the server accepted it, all within the connect
 * timeout. Listeners given to the builder receive every event from the first byte on, including
 * events that arrive during negotiation.
 *
 * <p><b>Commands.</b> Each command gets a numeric {@code id}, unique on this connection; replies
 * are matched by it, so they may come in any order. At most {@link Builder#maxInFlight} commands
 * wait for replies; beyond that {@code execute} fails at once. Each command has a timeout (the
 * default, or {@link #execute(String, ObjectNode, Duration)}); when it passes, the future fails
 * with {@link QmpTimeoutException} and a late reply is dropped. An error reply fails the future
 * with a {@link QmpException} carrying the server's class and text, unchanged. When the
 * connection closes, every command in flight fails with {@link QmpConnectionClosedException}.
 * Replies up to {@link Builder#maxMessageBytes} (64 MiB, QEMU's limit) are read.
 *
 * <p><b>Threads and order.</b> Futures complete and listeners run on one callback thread per
 * connection, in the order the messages came off the wire: an event that came before a reply
 * has been delivered to every listener when that reply's future completes (QEMU sends STOP
 * before the reply to {@code stop}). Code running there must not block waiting for this
 * connection ({@link QmpBlockingClient} refuses to); {@link Builder#callbacksOnEventLoop}
 * moves callbacks onto the Netty event loop instead, which saves a thread switch per message
 * for callers that never block.
 *
 * <p>All methods are thread-safe.
 */
public final class QmpConnection implements QmpTransport, AutoCloseable {
    static final System.Logger LOG = System.getLogger(QmpConnection.class.getName());

    /** QEMU's limit for one JSON value; its replies stay below it. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

    private static final AtomicInteger CONNECTIONS = new AtomicInteger();

    private final SocketAddress address;
    private final Duration commandTimeout;
    private final int maxInFlight;
    private final boolean wantOob;
    private final List<QmpEventListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final Semaphore inFlight;
    private final AtomicLong nextId = new AtomicLong();
    private final Transport transport;
    private final @Nullable EventLoopGroup ownGroup;
    private final @Nullable ExecutorService ownCallbacks;
    private final Executor callbacks;
    private volatile @Nullable Thread callbackThread;
    private final CompletableFuture<QmpConnection> connected = new CompletableFuture<>();
    private final CompletableFuture<@Nullable Void> closed = new CompletableFuture<>();
    private final AtomicBoolean closing = new AtomicBoolean();

    private volatile @Nullable Channel channel;
    private volatile @Nullable QmpGreeting greeting;
    private volatile boolean oobEnabled;
    /** Why the connection is closed or closing; null while it is open. */
    private volatile @Nullable QmpConnectionClosedException closeCause;

    private QmpConnection(Builder builder) {
        this.address = Objects.requireNonNull(builder.address, "address: call unix(...) or tcp(...)");
        this.commandTimeout = builder.commandTimeout;
        this.maxInFlight = builder.maxInFlight;
        this.wantOob = builder.enableOob;
        this.inFlight = new Semaphore(builder.maxInFlight);
        this.listeners.addAll(builder.listeners);
        int number = CONNECTIONS.incrementAndGet();
        if (builder.group == null) {
            this.transport = Transport.best();
            this.ownGroup = new MultiThreadIoEventLoopGroup(1,
                    new DefaultThreadFactory("qmp-client-" + number, true), transport.ioHandlerFactory());
        } else {
            // The channel must be of the group's transport, or it cannot register there.
            this.transport = Transport.of(builder.group).orElse(Transport.NIO);
            this.ownGroup = null;
        }
        if (builder.callbacksOnEventLoop) {
            this.ownCallbacks = null;
            this.callbacks = null; // set once the channel exists: its event loop
        } else {
            this.ownCallbacks = Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "qmp-client-" + number + "-callbacks");
                thread.setDaemon(true);
                callbackThread = thread;
                return thread;
            });
            this.callbacks = ownCallbacks;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What the server said on connect. */
    public QmpGreeting greeting() {
        QmpGreeting g = greeting;
        if (g == null) {
            throw new IllegalStateException("not connected yet");
        }
        return g;
    }

    /** Whether {@code oob} was enabled at negotiation, so {@link #executeOob} may be used. */
    public boolean oobEnabled() {
        return oobEnabled;
    }

    public SocketAddress address() {
        return address;
    }

    /** The timeout of commands sent without one. */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /** Commands sent and not yet answered. */
    public int inFlight() {
        return maxInFlight - inFlight.availablePermits();
    }

    /** The socket layer this connection runs on. */
    Transport transport() {
        return transport;
    }

    /** Whether the connection is still open. */
    public boolean isOpen() {
        return closeCause == null && !closed.isDone();
    }

    /**
     * Completes when the connection has closed, by either side, after every command in flight
     * failed; never exceptionally. {@link #closeCause()} says why.
     */
    public CompletableFuture<@Nullable Void> closeFuture() {
        return closed.copy();
    }

    /** Why the connection closed; null while it is open. */
    public @Nullable QmpConnectionClosedException closeCause() {
        return closeCause;
    }

    /**
     * Adds a listener for events from now on.
     *
     * @return closing it removes the listener
     */
    public AutoCloseable addEventListener(QmpEventListener listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public CompletableFuture<JsonNode> execute(String command, ObjectNode arguments) {
        return execute(command, arguments, commandTimeout);
    }

    /** As {@link #execute(String, ObjectNode)}, with its own timeout. */
    public CompletableFuture<JsonNode> execute(String command, @Nullable ObjectNode arguments, Duration timeout) {
        return send("execute", command, arguments, timeout, false);
    }

    /**
     * Sends the command with {@code exec-oob}: the server runs it at once, ahead of queued
     * commands. Only for commands the schema marks {@code allow-oob}, and only when
     * {@link #oobEnabled()}.
     */
    public CompletableFuture<JsonNode> executeOob(String command, @Nullable ObjectNode arguments) {
        if (!oobEnabled) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "out-of-band execution was not enabled at negotiation"));
        }
        return send("exec-oob", command, arguments, commandTimeout, false);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Completes once the command was written. A server answers such commands only when they
     * fail, and nothing says when it will not: an error that comes later is logged.
     */
    @Override
    public CompletableFuture<Void> executeWithoutReply(String command, ObjectNode arguments) {
        return send("execute", command, arguments, commandTimeout, true).thenApply(ignored -> null);
    }

    private CompletableFuture<JsonNode> send(String verb, String command, @Nullable ObjectNode arguments,
            Duration timeout, boolean noReply) {
        Objects.requireNonNull(command, "command");
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
        if (!inFlight.tryAcquire()) {
            return CompletableFuture.failedFuture(new QmpClientException("'" + command + "' not sent: "
                    + maxInFlight + " commands are already waiting for replies"));
        }
        long id = nextId.getAndIncrement();
        ObjectNode request = Json.object();
        request.put(verb, command);
        // QEMU reads its input a byte per system call: leave out what it does not need.
        if (arguments != null && !arguments.isEmpty()) {
            request.set("arguments", arguments);
        }
        request.put("id", id);
        Pending p = new Pending(id, command, noReply);
        // Also when the caller cancels the future.
        p.future.whenComplete((value, error) -> settle(p));
        if (!noReply) {
            pending.put(id, p);
            p.timer = ch.eventLoop().schedule(() -> {
                if (pending.remove(id, p)) {
                    fail(p, new QmpTimeoutException(command, id, timeout));
                }
            }, timeout.toNanos(), TimeUnit.NANOSECONDS);
            // The connection may have closed between the check above and the put: the closing
            // side may have drained the map already.
            cause = closeCause;
            if (cause != null && pending.remove(id, p)) {
                fail(p, closedBeforeReply(p, cause));
                return p.future;
            }
        }
        byte[] bytes = Json.mapper().writeValueAsBytes(request);
        ch.writeAndFlush(Unpooled.wrappedBuffer(bytes)).addListener((ChannelFuture written) -> {
            if (!written.isSuccess()) {
                if (noReply || pending.remove(id, p)) {
                    QmpConnectionClosedException why = closeCause;
                    fail(p, why != null ? closedBeforeReply(p, why)
                            : new QmpClientException("could not send '" + command + "'", written.cause()));
                }
            } else if (noReply) {
                complete(p, Json.object());
            }
        });
        return p.future;
    }

    /**
     * Closes the connection (without {@code quit}: the server keeps running). Commands in flight
     * fail with {@link QmpConnectionClosedException}. Waits until the socket is closed unless
     * called on the connection's own threads. Idempotent.
     */
    @Override
    public void close() {
        shutDown(new QmpConnectionClosedException("the client closed the connection"));
        Channel ch = channel;
        if (ch != null && !ch.eventLoop().inEventLoop() && Thread.currentThread() != callbackThread) {
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

    private CompletableFuture<QmpConnection> start(Builder builder) {
        EventLoopGroup group = builder.group != null ? builder.group : ownGroup;
        boolean unix = address instanceof UnixDomainSocketAddress;
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(unix ? transport.unixChannel() : transport.tcpChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, builder.connectTimeout.toMillis()))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        adopt(ch);
                        JsonInput.install(ch.pipeline(), builder.maxMessageBytes);
                        ch.pipeline().addLast("qmp-client", new Inbound());
                    }
                });
        if (!unix) {
            bootstrap.option(ChannelOption.TCP_NODELAY, true);
        }
        ChannelFuture connecting = bootstrap.connect(
                address instanceof UnixDomainSocketAddress u ? transport.unixAddress(u.getPath()) : address);
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
        if (callbacks == null) {
            callbackExecutor = ch.eventLoop();
        }
    }

    /** Set when callbacks run on the event loop. */
    private volatile @Nullable Executor callbackExecutor;

    /** Runs {@code task} where callbacks run, in order; inline once those threads are gone. */
    private void deliver(Runnable task) {
        Executor e = callbacks != null ? callbacks : callbackExecutor;
        if (e != null) {
            try {
                e.execute(task);
                return;
            } catch (RejectedExecutionException shutDown) {
                // closed: run it here
            }
        }
        task.run();
    }

    private final class Inbound extends SimpleChannelInboundHandler<JsonMessage> {
        Inbound() {
            super(JsonMessage.class);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, JsonMessage message) {
            if (message instanceof JsonMessage.ParseError error) {
                LOG.log(System.Logger.Level.WARNING, "unreadable message from " + address + ": " + error.description());
                return;
            }
            JsonNode json = ((JsonMessage.Value) message).json();
            if (!(json instanceof ObjectNode object)) {
                LOG.log(System.Logger.Level.WARNING, "ignoring a message that is not an object from " + address + ": " + abbreviate(json));
                return;
            }
            if (object.has("event")) {
                onEvent(object);
            } else if (object.has("return") || object.has("error")) {
                onReply(object);
            } else if (object.has("QMP")) {
                onGreeting(object);
            } else {
                LOG.log(System.Logger.Level.WARNING, "ignoring a message of unknown kind from " + address + ": " + abbreviate(object));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            String why = cause instanceof TooLongFrameException
                    ? "a message from the server exceeded the limit (" + cause.getMessage() + ")"
                    : cause instanceof IOException
                    ? "the server closed the connection (" + cause.getMessage() + ")"
                    : "reading from the server failed: " + cause;
            shutDown(new QmpConnectionClosedException(why, cause));
        }
    }

    private void onGreeting(ObjectNode message) {
        if (greeting != null) {
            LOG.log(System.Logger.Level.WARNING, "ignoring a second greeting from " + address + ": " + abbreviate(message));
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
                connected.complete(this);
            }
        });
    }

    private void onEvent(ObjectNode message) {
        JsonNode name = message.get("event");
        JsonNode data = message.get("data");
        JsonNode timestamp = message.path("timestamp");
        QmpEventMessage event = new QmpEventMessage(name.isString() ? name.asString() : name.toString(),
                data instanceof ObjectNode o ? o : Json.object(),
                timestamp.path("seconds").asLong(-1), timestamp.path("microseconds").asLong(-1), message);
        deliver(() -> {
            for (QmpEventListener listener : listeners) {
                try {
                    listener.onEvent(event);
                } catch (RuntimeException | Error e) {
                    LOG.log(System.Logger.Level.WARNING, "event listener " + listener + " failed on " + event.name(), e);
                }
            }
        });
    }

    private void onReply(ObjectNode message) {
        JsonNode id = message.get("id");
        Pending p = id != null && id.isIntegralNumber() && id.canConvertToLong() ? pending.remove(id.asLong()) : null;
        if (p == null) {
            // No id (QEMU's answer to input it could not parse), or a command that timed out.
            LOG.log(System.Logger.Level.WARNING, "reply from " + address + " matches no command waiting: " + abbreviate(message));
            return;
        }
        JsonNode error = message.get("error");
        if (error != null) {
            JsonNode errorClass = error.path("class");
            JsonNode desc = error.path("desc");
            fail(p, new QmpException(new QmpError(
                    new ErrorClass(errorClass.isString() ? errorClass.asString() : "GenericError"),
                    desc.isString() ? desc.asString() : error.toString())));
        } else {
            complete(p, message.get("return"));
        }
    }

    private void complete(Pending p, JsonNode value) {
        deliver(() -> {
            settle(p);
            p.future.complete(value);
        });
    }

    private void fail(Pending p, Throwable error) {
        deliver(() -> {
            settle(p);
            p.future.completeExceptionally(error);
        });
    }

    /**
     * Forgets {@code p} and frees its place, once, before its future completes: whoever sees it
     * complete may send the next command at once.
     */
    private void settle(Pending p) {
        if (!p.settled.compareAndSet(false, true)) {
            return;
        }
        pending.remove(p.id, p);
        ScheduledFuture<?> timer = p.timer;
        if (timer != null) {
            timer.cancel(false);
        }
        inFlight.release();
    }

    private static QmpConnectionClosedException closedBeforeReply(Pending p, QmpConnectionClosedException cause) {
        return new QmpConnectionClosedException("the connection closed before '" + p.command + "' (id " + p.id
                + ") was answered: " + cause.getMessage(), cause);
    }

    /** Records why the connection goes away (the first reason wins) and closes the socket. */
    private void shutDown(QmpConnectionClosedException cause) {
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
        List<Pending> waiting = new ArrayList<>(pending.values());
        for (Pending p : waiting) {
            if (pending.remove(p.id, p)) {
                fail(p, closedBeforeReply(p, cause));
            }
        }
        deliver(() -> {
            connected.completeExceptionally(cause);
            closed.complete(null);
        });
        if (ownCallbacks != null) {
            ownCallbacks.shutdown(); // after the tasks above
        }
        if (ownGroup != null) {
            ownGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    /** Whether the calling thread is one that delivers this connection's callbacks. */
    boolean onCallbackThread() {
        Channel ch = channel;
        return Thread.currentThread() == callbackThread || (ch != null && ch.eventLoop().inEventLoop());
    }

    private static String abbreviate(JsonNode json) {
        String text = json.toString();
        return text.length() <= 500 ? text : text.substring(0, 500) + "... (" + text.length() + " characters)";
    }

    private static final class Pending {
        final long id;
        final String command;
        final boolean noReply;
        final CompletableFuture<JsonNode> future = new CompletableFuture<>();
        final AtomicBoolean settled = new AtomicBoolean();
        volatile @Nullable ScheduledFuture<?> timer;

        Pending(long id, String command, boolean noReply) {
            this.id = id;
            this.command = command;
            this.noReply = noReply;
        }
    }

    /** How to reach the server and how to behave there. */
    public static final class Builder {
        private @Nullable SocketAddress address;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration commandTimeout = Duration.ofSeconds(30);
        private int maxInFlight = 1024;
        private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
        private boolean enableOob;
        private boolean callbacksOnEventLoop;
        private @Nullable EventLoopGroup group;
        private final List<QmpEventListener> listeners = new ArrayList<>();

        private Builder() {}

        /** A Unix socket (QEMU's {@code -qmp unix:PATH,server=on}). */
        public Builder unix(Path socket) {
            return address(UnixDomainSocketAddress.of(socket));
        }

        /** A TCP socket (QEMU's {@code -qmp tcp:HOST:PORT,server=on}). */
        public Builder tcp(String host, int port) {
            return address(new InetSocketAddress(host, port));
        }

        /** A {@link UnixDomainSocketAddress} or an {@link InetSocketAddress}. */
        public Builder address(SocketAddress address) {
            if (!(address instanceof UnixDomainSocketAddress) && !(address instanceof InetSocketAddress)) {
                throw new IllegalArgumentException("neither a Unix nor a TCP address: " + address);
            }
            this.address = address;
            return this;
        }

        /** The time to connect, read the greeting and negotiate, in all (default 10 s). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** The timeout of commands sent without one (default 30 s). */
        public Builder commandTimeout(Duration timeout) {
            this.commandTimeout = positive(timeout, "commandTimeout");
            return this;
        }

        /** How many commands may wait for replies at once (default 1024). */
        public Builder maxInFlight(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxInFlight must be at least 1: " + max);
            }
            this.maxInFlight = max;
            return this;
        }

        /** The largest message read (default 64 MiB); a larger one closes the connection. */
        public Builder maxMessageBytes(int max) {
            if (max < 1024) {
                throw new IllegalArgumentException("maxMessageBytes below 1024: " + max);
            }
            this.maxMessageBytes = max;
            return this;
        }

        /** Enables out-of-band execution at negotiation if the server offers it (default off). */
        public Builder enableOob(boolean enable) {
            this.enableOob = enable;
            return this;
        }

        /**
         * Runs listeners and completes futures on the Netty event loop rather than on a thread
         * of the connection's own (default false). Saves a thread switch per message; nothing
         * called back may block then.
         */
        public Builder callbacksOnEventLoop(boolean onEventLoop) {
            this.callbacksOnEventLoop = onEventLoop;
            return this;
        }

        /**
         * An event loop group to share among connections; by default each connection has a
         * thread of its own, on {@link Transport#best()}. The connection's channel is of the
         * group's transport ({@link Transport#of}): epoll or NIO, made with that constant's
         * {@link Transport#ioHandlerFactory()}; a group of another kind is taken for NIO. A
         * shared group is not shut down by {@link QmpConnection#close()}.
         */
        public Builder eventLoopGroup(EventLoopGroup group) {
            this.group = Objects.requireNonNull(group, "group");
            return this;
        }

        /** A listener that receives every event from the start, negotiation included. */
        public Builder eventListener(QmpEventListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Connects and negotiates. Completes with the ready connection, or exceptionally with a
         * {@link QmpConnectionClosedException} saying what went wrong.
         */
        public CompletableFuture<QmpConnection> connect() {
            QmpConnection connection = new QmpConnection(this);
            return connection.start(this);
        }

        private static Duration positive(Duration d, String what) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive: " + d);
            }
            return d;
        }
    }
}

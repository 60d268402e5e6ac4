package org.qapi4j.qmp.client;

import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.qmp.transport.Transport;
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

    /** The state and the work; this class is the public face and the options. */
    private final ClientSession session;

    private QmpConnection(Builder builder) {
        this.session = new ClientSession(this, builder);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What the server said on connect. */
    public QmpGreeting greeting() {
        QmpGreeting g = session.greeting();
        if (g == null) {
            throw new IllegalStateException("not connected yet");
        }
        return g;
    }

    /** Whether {@code oob} was enabled at negotiation, so {@link #executeOob} may be used. */
    public boolean oobEnabled() {
        return session.oobEnabled();
    }

    public SocketAddress address() {
        return session.address();
    }

    /** The timeout of commands sent without one. */
    public Duration commandTimeout() {
        return session.commandTimeout();
    }

    /** Commands sent and not yet answered. */
    public int inFlight() {
        return session.pending().inFlight();
    }

    /** The socket layer this connection runs on. */
    Transport transport() {
        return session.transport();
    }

    /** Whether the connection is still open. */
    public boolean isOpen() {
        return session.isOpen();
    }

    /**
     * Completes when the connection has closed, by either side, after every command in flight
     * failed; never exceptionally. {@link #closeCause()} says why.
     */
    public CompletableFuture<@Nullable Void> closeFuture() {
        return session.closeFuture();
    }

    /** Why the connection closed; null while it is open. */
    public @Nullable QmpConnectionClosedException closeCause() {
        return session.closeCause();
    }

    /**
     * Adds a listener for events from now on.
     *
     * @return closing it removes the listener
     */
    public AutoCloseable addEventListener(QmpEventListener listener) {
        return session.listeners().add(listener);
    }

    @Override
    public CompletableFuture<JsonNode> execute(String command, ObjectNode arguments) {
        return execute(command, arguments, session.commandTimeout());
    }

    /** As {@link #execute(String, ObjectNode)}, with its own timeout. */
    public CompletableFuture<JsonNode> execute(String command, @Nullable ObjectNode arguments, Duration timeout) {
        return session.send("execute", command, arguments, timeout, false);
    }

    /**
     * Sends the command with {@code exec-oob}: the server runs it at once, ahead of queued
     * commands. Only for commands the schema marks {@code allow-oob}, and only when
     * {@link #oobEnabled()}.
     */
    public CompletableFuture<JsonNode> executeOob(String command, @Nullable ObjectNode arguments) {
        if (!session.oobEnabled()) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "out-of-band execution was not enabled at negotiation"));
        }
        return session.send("exec-oob", command, arguments, session.commandTimeout(), false);
    }

    /**
     * Sends {@code message} as it is, the way a shell sends what its user typed, and completes
     * with the server's whole reply: error replies complete it too, as messages. The message's
     * own {@code id} (any JSON value) is replaced on the wire by one of the connection's and put
     * back in the reply, where the server placed it; a message without one gets a reply without
     * one. The message need not be a valid request: the server's error is the reply. Times out
     * as {@link #execute(String, ObjectNode, Duration)}.
     */
    public CompletableFuture<ObjectNode> exchange(ObjectNode message, Duration timeout) {
        return session.exchange(message, timeout);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Completes once the command was written. A server answers such commands only when they
     * fail, and nothing says when it will not: an error that comes later is logged.
     */
    @Override
    public CompletableFuture<Void> executeWithoutReply(String command, ObjectNode arguments) {
        return session.send("execute", command, arguments, session.commandTimeout(), true).thenApply(ignored -> null);
    }

    /**
     * Closes the connection (without {@code quit}: the server keeps running). Commands in flight
     * fail with {@link QmpConnectionClosedException}. Waits until the socket is closed unless
     * called on the connection's own threads. Idempotent.
     */
    @Override
    public void close() {
        session.close();
    }

    /** Whether the calling thread is one that delivers this connection's callbacks. */
    boolean onCallbackThread() {
        return session.onCallbackThread();
    }

    /** How to reach the server and how to behave there. */
    public static final class Builder {
        // Read by ClientSession.
        @Nullable SocketAddress address;
        Duration connectTimeout = Duration.ofSeconds(10);
        Duration commandTimeout = Duration.ofSeconds(30);
        int maxInFlight = 1024;
        int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
        boolean enableOob;
        boolean callbacksOnEventLoop;
        @Nullable EventLoopGroup group;
        final List<QmpEventListener> listeners = new ArrayList<>();

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
            return connection.session.start(this);
        }

        private static Duration positive(Duration d, String what) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive: " + d);
            }
            return d;
        }
    }
}

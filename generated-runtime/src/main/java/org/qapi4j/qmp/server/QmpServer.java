package org.qapi4j.qmp.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.qapi4j.qmp.codec.CompatPolicy;
import org.qapi4j.qmp.codec.QapiReader;
import org.qapi4j.qmp.dispatch.CommandDispatcher;
import org.qapi4j.qmp.dispatch.CommandSpec;
import org.qapi4j.qmp.dispatch.Monitor;
import org.qapi4j.qmp.json.Json;
import org.qapi4j.qmp.types.QmpEvent;
import org.qapi4j.qmp.wire.QemuJson;
import org.qapi4j.qmp.wire.QmpJsonDecoder;
import tools.jackson.databind.node.ObjectNode;

/**
 * A QMP server that existing QMP clients cannot tell from QEMU 7.2: it serves a
 * {@link CommandDispatcher} on Unix-socket and TCP listeners, each accepted connection its own
 * monitor, with QEMU's greeting, capabilities negotiation, request checks and error texts,
 * reply and event formats (byte for byte, see {@link QemuJson}), flow control, out-of-band
 * execution and event rate limits.
 *
 * <pre>{@code
 * QmpServer server = QmpServer.builder(QmpCommands.dispatcher(myHandlers))
 *         .unix(Path.of("/run/vm/qmp.sock"))
 *         .tcp(4444)                      // 127.0.0.1
 *         .start();
 * server.emit(new StopEvent());
 * server.close();
 * }</pre>
 *
 * <p><b>Threads.</b> In-band commands of all monitors run one at a time, in order, on the
 * server's single main-loop thread ({@link #mainLoop()}); a monitor's next in-band command waits
 * until the previous one has been answered, also when its handler answers later through its
 * {@code CompletionStage}. Out-of-band commands ({@code exec-oob}) run at once on the
 * connection's I/O thread. Replies and events are written on the connection's I/O thread, in
 * the order they were produced. See {@link org.qapi4j.qmp.dispatch.CommandContext}.
 *
 * <p><b>Flow control</b>, as QEMU's {@code monitor/qmp.c}: without oob, the server stops
 * reading a connection while one of its commands is queued or running; with oob, it reads on
 * until 8 in-band commands are queued. A client that does not read its replies is disconnected
 * once its unread output passes {@link Builder#maxUnreadOutput} (16 MiB by default), so that it
 * cannot hold memory or other clients hostage.
 *
 * <p><b>Speed.</b> Sockets are served by Netty's native epoll transport on Linux
 * ({@code ServerTransport}); the main loop spins briefly before it sleeps ({@code MainLoop},
 * {@link Builder#mainLoopSpin}); a monitor's waiting commands are taken in by the main loop and
 * its output is flushed in batches ({@code QmpMonitor}). None of it changes what a client sees.
 * {@code bin/bench-qmp} measures it against QEMU.
 */
public final class QmpServer implements AutoCloseable {
    static final System.Logger LOG = System.getLogger(QmpServer.class.getName());

    /** QEMU's {@code QMP_REQ_QUEUE_LEN_MAX}. */
    static final int QUEUE_LIMIT = 8;

    private final CommandDispatcher dispatcher;
    private final List<ListenerSpec> listenerSpecs;
    private final QmpVersion version;
    private final boolean offerOob;
    private final long maxUnreadOutput;
    private final EventRateLimits rateLimits;
    private final Supplier<? extends ChannelHandler> decoder;
    private final int ioThreads;
    private final ServerTransport transport;
    private final CompatPolicy compatPolicy;
    private final BooleanSupplier machineReady;

    private final MainLoop mainLoop;
    private @Nullable EventLoopGroup group;
    private final List<Channel> listeners = new ArrayList<>();
    private final List<SocketAddress> addresses = new ArrayList<>();
    private final List<Path> socketFiles = new ArrayList<>();
    private final Set<QmpMonitor> monitors = ConcurrentHashMap.newKeySet();
    private final AtomicLong monitorCounter = new AtomicLong();

    /** Guards event broadcast, throttle state and the switch of a monitor to negotiated. */
    final Object eventLock = new Object();
    private final Map<String, Throttled> throttled = new HashMap<>();

    private volatile boolean started;
    private volatile boolean closing;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    private QmpServer(Builder builder) {
        this.dispatcher = builder.dispatcher;
        this.listenerSpecs = List.copyOf(builder.listeners);
        this.version = builder.version;
        this.offerOob = builder.offerOob;
        this.maxUnreadOutput = builder.maxUnreadOutput;
        this.rateLimits = builder.rateLimits;
        this.decoder = builder.decoder;
        this.ioThreads = builder.ioThreads;
        this.mainLoop = new MainLoop("qmp-main-loop", builder.mainLoopSpin);
        this.transport = builder.transport;
        this.compatPolicy = builder.compatPolicy;
        this.machineReady = builder.machineReady;
    }

    /** A builder for a server serving {@code dispatcher}. */
    public static Builder builder(CommandDispatcher dispatcher) {
        return new Builder(dispatcher);
    }

    // ---- life cycle --------------------------------------------------------------------------

    /**
     * Binds every listener and starts accepting. Unix socket files are created owner-only
     * (0600) and replace a stale file of the same name.
     *
     * @throws IOException when a listener cannot be bound; nothing stays bound then
     */
    public synchronized QmpServer start() throws IOException {
        if (started) {
            throw new IllegalStateException("already started");
        }
        if (listenerSpecs.isEmpty()) {
            throw new IllegalStateException("no listener: add unix(...) or tcp(...)");
        }
        started = true;
        group = new MultiThreadIoEventLoopGroup(ioThreads, runnable -> {
            Thread t = new Thread(runnable, "qmp-io-" + ioThreadCounter.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, transport.ioHandlerFactory());
        try {
            for (ListenerSpec spec : listenerSpecs) {
                bind(spec);
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    private final AtomicLong ioThreadCounter = new AtomicLong();

    private void bind(ListenerSpec spec) throws IOException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark())
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        String id = spec.describe(channel) + "#" + monitorCounter.incrementAndGet();
                        ChannelHandler decoderHandler = decoder.get();
                        channel.pipeline().addLast("qmp-decoder", decoderHandler);
                        channel.pipeline().addLast("qmp-monitor", new QmpMonitor(QmpServer.this, channel, id));
                    }
                });
        if (spec.unixPath != null) {
            bootstrap.channel(transport.unixServerChannel());
            bindUnix(bootstrap, spec.unixPath);
        } else {
            bootstrap.channel(transport.tcpServerChannel())
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.SO_REUSEADDR, true);
            Channel channel = await(bootstrap.bind(spec.tcpAddress).awaitUninterruptibly(), spec.tcpAddress);
            listeners.add(channel);
            addresses.add(channel.localAddress());
        }
    }

    /**
     * Binds in a private (0700) directory beside the target, makes the socket 0600, then
     * renames it into place: nobody else can connect in between, and a client never sees a
     * half-made socket.
     */
    private void bindUnix(ServerBootstrap bootstrap, Path target) throws IOException {
        Path socket = target.toAbsolutePath().normalize();
        Path parent = socket.getParent();
        if (Files.isDirectory(socket, LinkOption.NOFOLLOW_LINKS)
                || Files.isRegularFile(socket, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("will not replace " + socket + ": not a socket");
        }
        Path privateDir = Files.createTempDirectory(parent, ".qmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path temporary = privateDir.resolve("s");
        try {
            Channel channel = await(bootstrap.bind(transport.unixAddress(temporary)).awaitUninterruptibly(), temporary);
            listeners.add(channel);
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
            Files.move(temporary, socket, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            socketFiles.add(socket);
            addresses.add(UnixDomainSocketAddress.of(socket));
        } finally {
            Files.deleteIfExists(temporary);
            Files.deleteIfExists(privateDir);
        }
    }

    private static Channel await(io.netty.channel.ChannelFuture future, Object address) throws IOException {
        if (!future.isSuccess()) {
            Throwable cause = future.cause();
            if (cause instanceof IOException io) {
                throw new IOException("cannot listen on " + address + ": " + io.getMessage(), io);
            }
            throw new IOException("cannot listen on " + address, cause);
        }
        return future.channel();
    }

    private WriteBufferWaterMark waterMark() {
        int high = (int) Math.min(Integer.MAX_VALUE, maxUnreadOutput);
        return new WriteBufferWaterMark(Math.max(1, high / 2), high);
    }

    /**
     * Stops the server: stops accepting, sends each connection what was produced for it until
     * now (so a handler calling this, as QEMU's {@code quit} does, still gets its answer sent if
     * it answers at once), closes the connections, ends the threads. Returns at once when
     * called on the main loop thread; otherwise waits until all is closed.
     */
    @Override
    public void close() {
        CompletableFuture<Void> done = shutdown();
        if (!mainLoop.inLoop() && !isIoThread()) {
            done.join();
        }
    }

    /**
     * Starts {@link #close()} and returns at once; the future completes when everything is
     * closed. The shutdown runs as a main-loop task, after the task running now.
     */
    public CompletableFuture<Void> shutdown() {
        synchronized (this) {
            if (closing) {
                return closed;
            }
            closing = true;
        }
        try {
            mainLoop.execute(this::shutdownOnMainLoop);
        } catch (RuntimeException e) {
            shutdownOnMainLoop();
        }
        return closed;
    }

    private void shutdownOnMainLoop() {
        try {
            List<io.netty.channel.ChannelFuture> closing = new ArrayList<>();
            for (Channel listener : listeners) {
                closing.add(listener.close());
            }
            for (QmpMonitor monitor : monitors) {
                closing.add(monitor.closeGracefully());
            }
            synchronized (eventLock) {
                for (Throttled t : throttled.values()) {
                    if (t.timer != null) {
                        t.timer.cancel();
                    }
                }
                throttled.clear();
            }
            for (Path file : socketFiles) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "cannot remove QMP socket " + file + ": " + e);
                }
            }
            CompletableFuture<?>[] all = closing.stream().map(f -> {
                CompletableFuture<Void> c = new CompletableFuture<>();
                f.addListener(x -> c.complete(null));
                return c;
            }).toArray(CompletableFuture[]::new);
            CompletableFuture.allOf(all).orTimeout(5, TimeUnit.SECONDS).whenComplete((v, t) -> {
                EventLoopGroup g = group;
                Runnable finish = () -> {
                    mainLoop.shutdown();
                    closed.complete(null);
                };
                if (g != null) {
                    g.shutdownGracefully(0, 2, TimeUnit.SECONDS).addListener(x -> finish.run());
                } else {
                    finish.run();
                }
            });
        } catch (Throwable t) {
            LOG.log(Level.ERROR, "QMP server shutdown failed", t);
            mainLoop.shutdown();
            closed.complete(null);
        }
    }

    private boolean isIoThread() {
        EventLoopGroup g = group;
        if (g == null) {
            return false;
        }
        for (io.netty.util.concurrent.EventExecutor e : g) {
            if (e.inEventLoop()) {
                return true;
            }
        }
        return false;
    }

    // ---- what the application sees -----------------------------------------------------------

    /** Where the server listens: {@link UnixDomainSocketAddress}es and {@link InetSocketAddress}es (with the ports bound). */
    public List<SocketAddress> addresses() {
        return List.copyOf(addresses);
    }

    /**
     * The main loop: the one thread in-band command handlers run on. Code that shares state
     * with handlers can run here to need no locks either.
     */
    public Executor mainLoop() {
        return mainLoop;
    }

    /** The monitors connected now. */
    public List<Monitor> monitors() {
        return List.copyOf(monitors);
    }

    /**
     * Sends {@code event} to every monitor that has completed negotiation, time-stamped now,
     * subject to the rate limits. Callable from any thread; events reach each client in the
     * order of the calls, and before any reply produced after the call.
     */
    public void emit(QmpEvent event) {
        Objects.requireNonNull(event, "event");
        String name = event.eventName();
        ObjectNode data = event.toJson();
        Instant now = Instant.now();
        // QEMU's insertion order: event, timestamp, data; QemuJson writes QDict order.
        ObjectNode message = Json.object();
        message.put("event", name);
        ObjectNode timestamp = message.putObject("timestamp");
        timestamp.put("seconds", now.getEpochSecond());
        timestamp.put("microseconds", now.getNano() / 1000);
        if (data != null && data.size() > 0) {
            message.set("data", data);
        }
        EventRateLimits.Limit limit = rateLimits.limit(name);
        synchronized (eventLock) {
            if (closing) {
                return;
            }
            if (limit == null) {
                broadcast(QemuJson.line(message));
                return;
            }
            String key = name;
            if (limit.keyMember() != null) {
                key = name + '\0' + (data == null ? "" : data.path(limit.keyMember()).asString(""));
            }
            Throttled state = throttled.get(key);
            if (state != null) {
                state.pending = message;
            } else {
                broadcast(QemuJson.line(message));
                state = new Throttled(key, limit.window());
                throttled.put(key, state);
                state.arm();
            }
        }
    }

    /** Caller holds {@link #eventLock}. */
    private void broadcast(byte[] line) {
        for (QmpMonitor monitor : monitors) {
            if (monitor.negotiated()) {
                monitor.send(line);
            }
        }
    }

    /** A throttled event kind (or kind and key) whose window is open. Guarded by eventLock. */
    private final class Throttled implements Runnable {
        final String key;
        final Duration window;
        @Nullable ObjectNode pending;
        MainLoop.@Nullable Timer timer;

        Throttled(String key, Duration window) {
            this.key = key;
            this.window = window;
        }

        void arm() {
            try {
                timer = mainLoop.schedule(this, window.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RuntimeException e) {
                // Shutting down: nothing more is sent.
                throttled.remove(key);
            }
        }

        @Override
        public void run() {
            synchronized (eventLock) {
                if (throttled.get(key) != this) {
                    return;
                }
                if (pending != null) {
                    broadcast(QemuJson.line(pending));
                    pending = null;
                    arm();
                } else {
                    throttled.remove(key);
                }
            }
        }
    }

    // ---- for the monitors --------------------------------------------------------------------

    CommandDispatcher dispatcher() {
        return dispatcher;
    }

    QmpVersion version() {
        return version;
    }

    boolean offerOob() {
        return offerOob;
    }

    /** QEMU's {@code compat_policy_input_ok} for a command: the refusal, or null to serve it. */
    @Nullable String compatPolicyRefusal(CommandSpec spec) {
        int features = (spec.deprecated() ? QapiReader.DEPRECATED : 0) | (spec.unstable() ? QapiReader.UNSTABLE : 0);
        return compatPolicy.refusal("command", spec.name(), features);
    }

    CompatPolicy compatPolicy() {
        return compatPolicy;
    }

    boolean machineReady() {
        return machineReady.getAsBoolean();
    }

    long maxUnreadOutput() {
        return maxUnreadOutput;
    }

    MainLoop mainLoopExecutor() {
        return mainLoop;
    }

    boolean closing() {
        return closing;
    }

    void register(QmpMonitor monitor) {
        monitors.add(monitor);
        if (closing) {
            monitor.closeGracefully();
        }
    }

    void unregister(QmpMonitor monitor) {
        monitors.remove(monitor);
    }

    // ---- configuration -----------------------------------------------------------------------

    private record ListenerSpec(@Nullable Path unixPath, @Nullable InetSocketAddress tcpAddress) {
        String describe(Channel child) {
            if (unixPath != null) {
                return "unix:" + unixPath;
            }
            SocketAddress remote = child.remoteAddress();
            if (remote instanceof InetSocketAddress inet) {
                return "tcp:" + inet.getAddress().getHostAddress() + ":" + inet.getPort();
            }
            return "tcp:" + remote;
        }
    }

    /** Configures a {@link QmpServer}. */
    public static final class Builder {
        private final CommandDispatcher dispatcher;
        private final List<ListenerSpec> listeners = new ArrayList<>();
        private QmpVersion version = QmpVersion.QEMU_7_2;
        private boolean offerOob = true;
        private long maxUnreadOutput = 16L << 20;
        private EventRateLimits rateLimits = EventRateLimits.qemu();
        private Supplier<? extends ChannelHandler> decoder = QmpJsonDecoder::new;
        private int ioThreads = 0;
        private Duration mainLoopSpin = IdleSpin.DEFAULT;
        private ServerTransport transport = ServerTransport.best();
        private CompatPolicy compatPolicy = CompatPolicy.ACCEPT_ALL;
        private BooleanSupplier machineReady = () -> true;

        private Builder(CommandDispatcher dispatcher) {
            this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        }

        /** Listens on the Unix socket {@code path} (created 0600; a stale socket there is replaced). */
        public Builder unix(Path path) {
            listeners.add(new ListenerSpec(Objects.requireNonNull(path, "path"), null));
            return this;
        }

        /** Listens on TCP {@code port} of the loopback address ({@code 0}: any free port, see {@link #addresses()}). */
        public Builder tcp(int port) {
            return tcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        }

        /** Listens on TCP {@code address}. QMP has no authentication: think twice before leaving loopback. */
        public Builder tcp(InetSocketAddress address) {
            listeners.add(new ListenerSpec(null, Objects.requireNonNull(address, "address")));
            return this;
        }

        /** The version the greeting announces; {@link QmpVersion#QEMU_7_2} by default. */
        public Builder version(QmpVersion version) {
            this.version = Objects.requireNonNull(version, "version");
            return this;
        }

        /** The version the greeting announces. */
        public Builder version(int major, int minor, int micro, String packageVersion) {
            return version(new QmpVersion(major, minor, micro, packageVersion));
        }

        /**
         * Whether the greeting offers the {@code oob} capability (true by default, as QEMU does
         * on sockets). When not, {@code {"enable": ["oob"]}} fails with
         * {@code Capability oob not available}.
         */
        public Builder offerOob(boolean offer) {
            this.offerOob = offer;
            return this;
        }

        /**
         * How many bytes of output a client may leave unread (beyond what the kernel buffers)
         * before it is disconnected; 16 MiB by default. Also Netty's high write watermark.
         */
        public Builder maxUnreadOutput(long bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxUnreadOutput below 1 KiB: " + bytes);
            }
            this.maxUnreadOutput = bytes;
            return this;
        }

        /** Which events are throttled; {@link EventRateLimits#qemu()} by default. */
        public Builder eventRateLimits(EventRateLimits limits) {
            this.rateLimits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * Makes the input decoder of each connection: a handler turning bytes into
         * {@link org.qapi4j.qmp.wire.JsonMessage}s. The default is {@link QmpJsonDecoder}, QEMU's
         * JSON streamer; tests may substitute another. Called once per connection; the handler
         * must not be shared.
         */
        public Builder decoder(Supplier<? extends ChannelHandler> decoder) {
            this.decoder = Objects.requireNonNull(decoder, "decoder");
            return this;
        }

        /** I/O threads; 0 (the default) lets Netty choose (twice the processors). */
        public Builder ioThreads(int threads) {
            if (threads < 0) {
                throw new IllegalArgumentException("ioThreads < 0");
            }
            this.ioThreads = threads;
            return this;
        }

        /**
         * How long the main loop keeps looking for work, once it has run out, before it sleeps;
         * 50 µs by default. It saves waking a sleeping thread for the client's next command,
         * which on a two-processor machine more than doubles the synchronous round trips a
         * client gets; the loop stops spinning by itself while it finds the processors busy with
         * other threads (see {@code IdleSpin}). (The I/O threads never spin: measured, an I/O
         * thread spinning for the answer took the processor the main loop or the client
         * needed, and halved the rate.)
         * {@link Duration#ZERO} never spins: for an application whose own threads should have
         * every idle cycle.
         */
        public Builder mainLoopSpin(Duration spin) {
            if (spin.isNegative() || spin.compareTo(Duration.ofMillis(1)) > 0) {
                throw new IllegalArgumentException("mainLoopSpin not within 0..1 ms: " + spin);
            }
            this.mainLoopSpin = spin;
            return this;
        }

        /**
         * QEMU's {@code -compat deprecated-input=...,unstable-input=...}: whether commands,
         * arguments and enum values with the feature {@code deprecated}, or {@code unstable}, are
         * served or refused with QEMU's errors ({@code CommandNotFound} "Unstable command NAME
         * disabled by policy" for a command, {@code GenericError} "Deprecated parameter NAME
         * disabled by policy" for an argument). Everything is accepted by default. Arguments are
         * checked by the generated dispatcher, through {@link
         * org.qapi4j.qmp.dispatch.CommandContext#compatPolicy()}.
         */
        public Builder compatPolicy(CompatPolicy policy) {
            this.compatPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Whether the machine has been initialised, asked before each command that the schema
         * does not mark {@code allow-preconfig}: until it says true such commands fail, as in a
         * QEMU started with {@code -preconfig} before {@code x-exit-preconfig}, with "The
         * command 'NAME' is permitted only after machine initialization has completed". Called
         * on the thread that runs the command (the main loop, or an I/O thread for exec-oob);
         * it must be quick and thread-safe. By default the machine is always ready.
         */
        public Builder machineReady(BooleanSupplier ready) {
            this.machineReady = Objects.requireNonNull(ready, "ready");
            return this;
        }

        /** The socket layer; tests use it to run both. */
        Builder transport(ServerTransport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        public QmpServer build() {
            return new QmpServer(this);
        }

        /** Builds and {@linkplain QmpServer#start() starts} the server. */
        public QmpServer start() throws IOException {
            return build().start();
        }
    }
}

package org.qapi4j.qmp.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.qapi4j.qmp.dispatch.CommandDispatcher;
import org.qapi4j.qmp.dispatch.Monitor;
import org.qapi4j.qmp.dispatch.QmpSchema;
import org.qapi4j.qmp.loop.MainLoop;
import org.qapi4j.qmp.monitor.MonitorHub;
import org.qapi4j.qmp.monitor.MonitorSession;
import org.qapi4j.qmp.transport.Transport;
import org.qapi4j.qmp.types.QmpEvent;

/**
 * A QMP server that existing QMP clients cannot tell from QEMU 7.2: the monitors of a {@link
 * MonitorHub} on Unix-socket and TCP listeners, each accepted connection its own monitor. All
 * of QMP (greeting, negotiation, request checks, error texts, reply and event formats,
 * out-of-band execution, flow control, event rate limits) is the hub's; the server is the
 * transport: sockets, Netty's pipeline, and the bound on what a client leaves unread.
 *
 * <pre>{@code
 * MainLoop loop = MainLoop.start("vmm-main");            // the machine's
 * QmpServer server = QmpServer.builder(SchemaIntrospection.schema())
 *         .serve(RunStateCommands.dispatcher(runState))
 *         .serve(MigrationCommands.dispatcher(migration))
 *         .mainLoop(loop)
 *         .unix(Path.of("/run/vm/qmp.sock"))
 *         .tcp(4444)                                     // 127.0.0.1
 *         .start();
 * server.events().emit(new Event.Stop());
 * server.close();
 * }</pre>
 *
 * <p><b>Threads.</b> In-band commands of all monitors run one at a time, in order, on the main
 * loop (the machine's, or one the server starts); a monitor's next in-band command waits until
 * the previous one has been answered, also when its handler answers later through its {@code
 * CompletionStage}. Out-of-band commands ({@code exec-oob}) run at once on the connection's I/O
 * thread. Replies and events are written on the connection's I/O thread, in the order they
 * were produced. See {@link org.qapi4j.qmp.dispatch.CommandContext}.
 *
 * <p><b>Flow control</b>, as QEMU's {@code monitor/qmp.c}: without oob, the server stops
 * reading a connection while one of its commands is queued or running; with oob, it reads on
 * until 8 in-band commands are queued. A client that does not read its replies is disconnected
 * once its unread output passes {@link QmpServerBuilder#maxUnreadOutput} (16 MiB by default),
 * so that it cannot hold memory or other clients hostage.
 *
 * <p><b>Speed.</b> Sockets are served by Netty's native epoll transport on Linux; the main loop
 * spins briefly before it sleeps ({@link MainLoop#start(String)}); a monitor's waiting commands
 * are taken in by the main loop and its output is flushed in batches ({@link MonitorSession}).
 * None of it changes what a client sees. {@code bin/bench-qmp} measures it against QEMU.
 */
public final class QmpServer implements AutoCloseable {
    static final System.Logger LOG = System.getLogger(QmpServer.class.getName());

    private final MonitorHub hub;
    private final boolean ownsHub;
    private final List<Listener> listenerSpecs;
    private final long maxUnreadOutput;
    private final QmpServerBuilder options;

    private @Nullable EventLoopGroup group;
    private final List<Channel> listeners = new ArrayList<>();
    private final List<SocketAddress> addresses = new ArrayList<>();
    private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong monitorCounter = new AtomicLong();
    private final AtomicLong ioThreadCounter = new AtomicLong();

    private volatile boolean started;
    private volatile boolean closing;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    QmpServer(QmpServerBuilder options, MonitorHub hub, boolean ownsHub) {
        this.options = options;
        this.hub = hub;
        this.ownsHub = ownsHub;
        this.listenerSpecs = List.copyOf(options.listeners);
        this.maxUnreadOutput = options.maxUnreadOutput;
    }

    /**
     * A server for {@code schema}, serving what the dispatchers given to {@link
     * QmpServerBuilder#serve} serve; it answers {@code qmp_capabilities}, {@code query-commands}
     * and {@code query-qmp-schema} itself, and {@code CommandNotFound} for the rest.
     */
    public static QmpServerBuilder builder(QmpSchema schema) {
        return new QmpServerBuilder(MonitorHub.builder(schema));
    }

    /** A server without a schema, serving exactly what {@code dispatcher} serves, and {@code qmp_capabilities}. */
    public static QmpServerBuilder builder(CommandDispatcher dispatcher) {
        return new QmpServerBuilder(MonitorHub.builder().serve(dispatcher));
    }

    /** A server for the monitors of {@code hub}, which other servers may share; closing the server leaves it open. */
    public static QmpServerBuilder builder(MonitorHub hub) {
        return new QmpServerBuilder(hub);
    }

    // ---- life cycle --------------------------------------------------------------------------

    /**
     * Binds every listener and starts accepting. Unix socket files are owner-only (0600) and
     * replace a stale socket of the same name. Before it returns, QMP's code and a connection's
     * have run once ({@link MonitorHub#warmUp}, and a connection of its own that takes the
     * greeting and leaves), so that the first client's greeting comes at once.
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
        hub.warmUp();
        group = new MultiThreadIoEventLoopGroup(options.ioThreads, runnable -> {
            Thread t = new Thread(runnable, "qmp-io-" + ioThreadCounter.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, options.transport.ioHandlerFactory());
        try {
            for (Listener spec : listenerSpecs) {
                bind(spec);
            }
            SocketWarmUp.run(addresses.get(0));
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    private void bind(Listener spec) throws IOException {
        int high = (int) Math.min(Integer.MAX_VALUE, maxUnreadOutput);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(Math.max(1, high / 2), high))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        String id = spec.describe(channel) + "#" + monitorCounter.incrementAndGet();
                        connections.add(channel);
                        channel.closeFuture().addListener(f -> connections.remove(channel));
                        channel.pipeline().addLast("qmp-decoder", options.decoder.get());
                        channel.pipeline().addLast("qmp-monitor", new ChannelMonitor(hub, channel, id, maxUnreadOutput));
                        if (closing) {
                            channel.close();
                        }
                    }
                });
        if (spec.unixPath() != null) {
            bindUnix(bootstrap, spec.unixPath());
        } else {
            bootstrap.channel(options.transport.tcpServerChannel())
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.SO_REUSEADDR, true);
            Channel channel = await(bootstrap.bind(spec.tcpAddress()).awaitUninterruptibly(), spec.tcpAddress());
            listeners.add(channel);
            addresses.add(channel.localAddress());
        }
    }

    /**
     * Binds at the real path, owner-only from the start ({@link Transport#bindUnix}); the
     * address reported is the path, which the listening channel's own address is not.
     */
    private void bindUnix(ServerBootstrap bootstrap, Path target) throws IOException {
        Path socket = target.toAbsolutePath().normalize();
        Channel channel = options.transport.bindUnix(bootstrap, socket);
        listeners.add(channel);
        addresses.add(UnixDomainSocketAddress.of(socket));
    }

    private static Channel await(ChannelFuture future, Object address) throws IOException {
        if (!future.isSuccess()) {
            Throwable cause = future.cause();
            if (cause instanceof IOException io) {
                throw new IOException("cannot listen on " + address + ": " + io.getMessage(), io);
            }
            throw new IOException("cannot listen on " + address, cause);
        }
        return future.channel();
    }

    /**
     * Stops the server: stops accepting, sends each connection what was produced for it until
     * now (so a handler calling this, as QEMU's {@code quit} does, still gets its answer sent if
     * it answers at once), closes the connections, ends the threads, and closes the hub if the
     * server made it. Returns at once when called on the main loop or an I/O thread; otherwise
     * waits until all is closed.
     */
    @Override
    public void close() {
        CompletableFuture<Void> done = shutdown();
        if (!hub.mainLoop().inLoop() && !isIoThread()) {
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
            hub.mainLoop().execute(this::shutdownOnMainLoop);
        } catch (RuntimeException e) {
            shutdownOnMainLoop();
        }
        return closed;
    }

    private void shutdownOnMainLoop() {
        try {
            List<CompletableFuture<Void>> closing = new ArrayList<>();
            for (Channel listener : listeners) {
                closing.add(whenClosed(listener.close()));
            }
            if (ownsHub) {
                // No more events, every monitor closed after its pending output; the loop the
                // hub started stops after the next task.
                hub.close();
            }
            for (Channel connection : connections) {
                ChannelMonitor monitor = connection.pipeline().get(ChannelMonitor.class);
                if (monitor != null) {
                    monitor.closeGracefully();
                } else {
                    connection.close();
                }
                closing.add(whenClosed(connection.closeFuture()));
            }
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).orTimeout(5, TimeUnit.SECONDS)
                    .whenComplete((v, t) -> endThreads());
        } catch (Throwable t) {
            LOG.log(Level.ERROR, "QMP server shutdown failed", t);
            endThreads();
        }
    }

    private static CompletableFuture<Void> whenClosed(ChannelFuture future) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        future.addListener(x -> done.complete(null));
        return done;
    }

    private void endThreads() {
        Runnable finish = () -> closed.complete(null);
        EventLoopGroup g = group;
        if (g != null) {
            g.shutdownGracefully(0, 2, TimeUnit.SECONDS).addListener(x -> finish.run());
        } else {
            finish.run();
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

    /** The hub whose monitors this server serves. */
    public MonitorHub hub() {
        return hub;
    }

    /**
     * The main loop: the one thread in-band command handlers run on. Code that shares state
     * with handlers can run here to need no locks either.
     */
    public MainLoop mainLoop() {
        return hub.mainLoop();
    }

    /** The monitors connected to this server now. */
    public List<Monitor> monitors() {
        List<Monitor> monitors = new ArrayList<>();
        for (Channel connection : connections) {
            ChannelMonitor monitor = connection.pipeline().get(ChannelMonitor.class);
            if (monitor != null && monitor.session() != null) {
                monitors.add(monitor.session());
            }
        }
        return monitors;
    }

    /** The hub's event channel: {@code events().emit(event)} reaches every negotiated monitor. */
    public org.qapi4j.qmp.event.EventSink events() {
        return hub.events();
    }

    /** Shorthand for {@code events().emit(event)}: time-stamped now, rate-limited as QEMU. */
    public void emit(QmpEvent event) {
        Objects.requireNonNull(event, "event");
        hub.events().emit(event);
    }

    /** A listener: a Unix socket path or a TCP address. */
    record Listener(@Nullable Path unixPath, @Nullable InetSocketAddress tcpAddress) {
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
}

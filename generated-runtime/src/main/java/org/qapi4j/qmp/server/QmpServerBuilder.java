package org.qapi4j.qmp.server;

import io.netty.channel.ChannelHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.qapi4j.qmp.codec.CompatPolicy;
import org.qapi4j.qmp.dispatch.CommandDispatcher;
import org.qapi4j.qmp.event.EventBroadcaster;
import org.qapi4j.qmp.event.EventRateLimits;
import org.qapi4j.qmp.loop.MainLoop;
import org.qapi4j.qmp.monitor.MonitorHub;
import org.qapi4j.qmp.monitor.QmpVersion;
import org.qapi4j.qmp.transport.Transport;
import org.qapi4j.qmp.wire.QmpJsonDecoder;

/**
 * Configures a {@link QmpServer}: where it listens and how it treats sockets; and, unless it
 * was given a {@link MonitorHub} to serve, what the hub it makes serves (the same options as
 * {@link MonitorHub.Builder}, for a server that is the machine's only QMP front).
 */
public final class QmpServerBuilder {
    final List<QmpServer.Listener> listeners = new ArrayList<>();
    long maxUnreadOutput = 16L << 20;
    Supplier<? extends ChannelHandler> decoder = QmpJsonDecoder::new;
    int ioThreads = 0;
    Transport transport = Transport.best();
    private final @Nullable MonitorHub hub;
    private final MonitorHub.@Nullable Builder hubOptions;

    QmpServerBuilder(MonitorHub hub) {
        this.hub = Objects.requireNonNull(hub, "hub");
        this.hubOptions = null;
    }

    QmpServerBuilder(MonitorHub.Builder hubOptions) {
        this.hub = null;
        this.hubOptions = hubOptions;
    }

    // ---- listeners and sockets ---------------------------------------------------------------

    /**
     * Listens on the Unix socket {@code path}: owner-only (0600) from the start, and a stale
     * socket there is replaced.
     */
    public QmpServerBuilder unix(Path path) {
        listeners.add(new QmpServer.Listener(Objects.requireNonNull(path, "path"), null));
        return this;
    }

    /** Listens on TCP {@code port} of the loopback address ({@code 0}: any free port, see {@link QmpServer#addresses()}). */
    public QmpServerBuilder tcp(int port) {
        return tcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    /** Listens on TCP {@code address}. QMP has no authentication: think twice before leaving loopback. */
    public QmpServerBuilder tcp(InetSocketAddress address) {
        listeners.add(new QmpServer.Listener(null, Objects.requireNonNull(address, "address")));
        return this;
    }

    /**
     * How many bytes of output a client may leave unread (beyond what the kernel buffers)
     * before it is disconnected; 16 MiB by default. Also Netty's high write watermark.
     */
    public QmpServerBuilder maxUnreadOutput(long bytes) {
        if (bytes < 1024) {
            throw new IllegalArgumentException("maxUnreadOutput below 1 KiB: " + bytes);
        }
        this.maxUnreadOutput = bytes;
        return this;
    }

    /**
     * Makes the input decoder of each connection: a handler turning bytes into
     * {@link org.qapi4j.qmp.wire.JsonMessage}s. The default is {@link QmpJsonDecoder}, QEMU's
     * JSON streamer; tests may substitute another. Called once per connection; the handler
     * must not be shared.
     */
    public QmpServerBuilder decoder(Supplier<? extends ChannelHandler> decoder) {
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        return this;
    }

    /** I/O threads; 0 (the default) lets Netty choose (twice the processors). */
    public QmpServerBuilder ioThreads(int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException("ioThreads < 0");
        }
        this.ioThreads = threads;
        return this;
    }

    /** The socket layer; tests use it to run both. */
    QmpServerBuilder transport(Transport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
        return this;
    }

    // ---- the hub's options, for a server that makes its own ----------------------------------

    /** Serves the commands {@code dispatcher} serves, besides those already given. */
    public QmpServerBuilder serve(CommandDispatcher dispatcher) {
        hubOptions().serve(dispatcher);
        return this;
    }

    /** See {@link MonitorHub.Builder#mainLoop}. */
    public QmpServerBuilder mainLoop(MainLoop loop) {
        hubOptions().mainLoop(loop);
        return this;
    }

    /** See {@link MonitorHub.Builder#events}. */
    public QmpServerBuilder events(EventBroadcaster events) {
        hubOptions().events(events);
        return this;
    }

    /** See {@link MonitorHub.Builder#version}. */
    public QmpServerBuilder version(QmpVersion version) {
        hubOptions().version(version);
        return this;
    }

    /** The version the greeting announces. */
    public QmpServerBuilder version(int major, int minor, int micro, String packageVersion) {
        return version(new QmpVersion(major, minor, micro, packageVersion));
    }

    /** See {@link MonitorHub.Builder#offerOob}. */
    public QmpServerBuilder offerOob(boolean offer) {
        hubOptions().offerOob(offer);
        return this;
    }

    /** See {@link MonitorHub.Builder#eventRateLimits}. */
    public QmpServerBuilder eventRateLimits(EventRateLimits limits) {
        hubOptions().eventRateLimits(limits);
        return this;
    }

    /**
     * How long the main loop the server starts keeps looking for work, once it has run out,
     * before it sleeps; 50 µs by default. It saves waking a sleeping thread for the client's
     * next command, which on a two-processor machine more than doubles the synchronous round
     * trips a client gets; the loop stops spinning by itself while it finds the processors busy
     * with other threads. (The I/O threads never spin: measured, an I/O thread spinning for the
     * answer took the processor the main loop or the client needed, and halved the rate.)
     * {@link Duration#ZERO} never spins.
     */
    public QmpServerBuilder mainLoopSpin(Duration spin) {
        hubOptions().mainLoopSpin(spin);
        return this;
    }

    /** See {@link MonitorHub.Builder#compatPolicy}. */
    public QmpServerBuilder compatPolicy(CompatPolicy policy) {
        hubOptions().compatPolicy(policy);
        return this;
    }

    /** See {@link MonitorHub.Builder#machineReady}. */
    public QmpServerBuilder machineReady(BooleanSupplier ready) {
        hubOptions().machineReady(ready);
        return this;
    }

    private MonitorHub.Builder hubOptions() {
        if (hubOptions == null) {
            throw new IllegalStateException("the server serves a MonitorHub it was given: configure the hub");
        }
        return hubOptions;
    }

    // ---- building ----------------------------------------------------------------------------

    public QmpServer build() {
        return hub != null ? new QmpServer(this, hub, false) : new QmpServer(this, hubOptions.build(), true);
    }

    /** Builds and {@linkplain QmpServer#start() starts} the server. */
    public QmpServer start() throws IOException {
        return build().start();
    }
}

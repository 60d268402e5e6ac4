package org.qapi4j.qmp.monitor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.qapi4j.qmp.codec.CompatPolicy;
import org.qapi4j.qmp.dispatch.CommandDispatcher;
import org.qapi4j.qmp.dispatch.Monitor;
import org.qapi4j.qmp.dispatch.QmpSchema;
import org.qapi4j.qmp.event.EventBroadcaster;
import org.qapi4j.qmp.event.EventRateLimits;
import org.qapi4j.qmp.event.EventSink;
import org.qapi4j.qmp.loop.MainLoop;

/**
 * What all QMP monitors of one machine share: the commands served, the greeting, QEMU's
 * policies, the main loop in-band commands run on, and the event channel. This is QEMU's
 * {@code monitor/qmp.c} and {@code qapi/qmp-dispatch.c} without any transport: a socket server
 * ({@code QmpServer}) and an {@link InProcessMonitor} are both monitors of a hub, and answer
 * the same input with the same bytes.
 *
 * <pre>{@code
 * MainLoop loop = MainLoop.start("vmm-main");
 * MonitorHub hub = MonitorHub.builder(SchemaIntrospection.schema())
 *         .serve(RunStateCommands.dispatcher(runState))
 *         .serve(MigrationCommands.dispatcher(migration))
 *         .mainLoop(loop)
 *         .build();
 * hub.events().emit(new Event.Stop());   // from any thread
 * }</pre>
 *
 * <p>Commands of the schema that no given dispatcher serves answer {@code CommandNotFound},
 * exactly as names the schema does not have. Given a schema, the hub serves
 * {@code qmp_capabilities}, {@code query-commands} and {@code query-qmp-schema} itself.
 */
public final class MonitorHub {
    /** QEMU's {@code QMP_REQ_QUEUE_LEN_MAX}: in-band requests a monitor with oob may queue. */
    static final int QUEUE_LIMIT = 8;

    private final CommandDispatcher dispatcher;
    private final QmpVersion version;
    private final boolean offerOob;
    private final CompatPolicy compatPolicy;
    private final BooleanSupplier machineReady;
    private final MainLoop mainLoop;
    private final boolean ownsMainLoop;
    private final EventBroadcaster events;
    private final Set<MonitorSession> sessions = ConcurrentHashMap.newKeySet();
    private final RequestDispatch requests;
    private volatile boolean closed;
    private boolean warm;

    private MonitorHub(Builder builder) {
        CommandDispatcher served = CommandDispatcher.compose(builder.dispatchers);
        this.dispatcher = builder.schema != null ? BuiltinCommands.around(builder.schema, served) : served;
        this.version = builder.version;
        this.offerOob = builder.offerOob;
        this.compatPolicy = builder.compatPolicy;
        this.machineReady = builder.machineReady;
        this.ownsMainLoop = builder.mainLoop == null;
        this.mainLoop = builder.mainLoop != null ? builder.mainLoop : MainLoop.start("qmp-main-loop", builder.idleSpin);
        this.events = builder.events != null ? builder.events : new EventBroadcaster(mainLoop, builder.rateLimits);
        this.requests = new RequestDispatch(this);
    }

    /** A hub serving the commands of {@code schema} that the dispatchers given by {@link Builder#serve} serve. */
    public static Builder builder(QmpSchema schema) {
        return new Builder(Objects.requireNonNull(schema, "schema"));
    }

    /**
     * A hub without a schema: it serves exactly what the dispatchers given by {@link
     * Builder#serve} serve, and {@code qmp_capabilities}.
     */
    public static Builder builder() {
        return new Builder(null);
    }

    /** Everything served, built-in commands included, by wire name. */
    public CommandDispatcher dispatcher() {
        return dispatcher;
    }

    /** Where in-band commands run. */
    public MainLoop mainLoop() {
        return mainLoop;
    }

    /** The event channel: emit here, from any thread. */
    public EventSink events() {
        return events;
    }

    /** The monitors connected now. */
    public List<Monitor> monitors() {
        return new ArrayList<>(sessions);
    }

    /** A new monitor served over {@code connection}; it greets the client at once. */
    /** A monitor that is not registered and receives no events; it greets at once. */
    MonitorSession openUnseen(MonitorConnection connection, String id) {
        MonitorSession session = new MonitorSession(this, connection, id);
        session.greet();
        return session;
    }

    public MonitorSession open(MonitorConnection connection, String id) {
        MonitorSession session = new MonitorSession(this, connection, id);
        sessions.add(session);
        events.subscribe(session);
        if (closed) {
            session.closeGracefully();
        }
        session.greet();
        return session;
    }

    /**
     * Runs QMP's code paths once, in a conversation no client sees, so that the first client
     * does not wait for them to load: a server does this before it listens. Takes a few hundred
     * milliseconds on a cold JVM, and returns early rather than wait past two seconds.
     */
    public void warmUp() {
        synchronized (this) {
            if (warm) {
                return;
            }
            warm = true;
        }
        WarmUp.run(this);
    }

    /**
     * Closes every monitor (each after what was produced for it until now) and sends no more
     * events; stops the main loop if the hub started it. Runs as a main-loop task, after the
     * task running now, so that a handler that closes the hub (QEMU's {@code quit}) still has
     * its answer sent. Idempotent.
     */
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            mainLoop.execute(this::closeNow);
        } catch (RejectedExecutionException e) {
            closeNow();
        }
    }

    private void closeNow() {
        events.close();
        for (MonitorSession session : sessions) {
            session.closeGracefully();
        }
        if (ownsMainLoop) {
            mainLoop.shutdown();
        }
    }

    // ---- for the sessions --------------------------------------------------------------------

    void closed(MonitorSession session) {
        sessions.remove(session);
        events.unsubscribe(session);
    }

    RequestDispatch requests() {
        return requests;
    }

    EventBroadcaster broadcaster() {
        return events;
    }

    QmpVersion version() {
        return version;
    }

    boolean offerOob() {
        return offerOob;
    }

    CompatPolicy compatPolicy() {
        return compatPolicy;
    }

    boolean machineReady() {
        return machineReady.getAsBoolean();
    }

    /** Configures a {@link MonitorHub}. */
    public static final class Builder {
        private final @Nullable QmpSchema schema;
        private final List<CommandDispatcher> dispatchers = new ArrayList<>();
        private QmpVersion version = QmpVersion.QAPI4J;
        private boolean offerOob = true;
        private CompatPolicy compatPolicy = CompatPolicy.ACCEPT_ALL;
        private BooleanSupplier machineReady = () -> true;
        private @Nullable MainLoop mainLoop;
        private Duration idleSpin = MainLoop.DEFAULT_IDLE_SPIN;
        private @Nullable EventBroadcaster events;
        private EventRateLimits rateLimits = EventRateLimits.qemu();

        private Builder(@Nullable QmpSchema schema) {
            this.schema = schema;
        }

        /** Serves the commands {@code dispatcher} serves; no two dispatchers may serve the same command. */
        public Builder serve(CommandDispatcher dispatcher) {
            dispatchers.add(Objects.requireNonNull(dispatcher, "dispatcher"));
            return this;
        }

        /**
         * The version the greeting announces: {@link QmpVersion#QAPI4J} (QEMU 7.2.0, package
         * {@code qapi4j}) by default; {@link QmpVersion#QEMU_7_2} passes for Debian's QEMU 7.2,
         * or announce a version of your own.
         */
        public Builder version(QmpVersion version) {
            this.version = Objects.requireNonNull(version, "version");
            return this;
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
         * QEMU's {@code -compat deprecated-input=...,unstable-input=...}: whether commands,
         * arguments and enum values with the feature {@code deprecated}, or {@code unstable}, are
         * served or refused with QEMU's errors. Everything is accepted by default. Arguments are
         * checked by the generated dispatcher, through {@link
         * org.qapi4j.qmp.dispatch.CommandContext#compatPolicy()}.
         */
        public Builder compatPolicy(CompatPolicy policy) {
            this.compatPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * The machine's answer to whether it has been initialised, asked before each command that
         * the schema does not mark {@code allow-preconfig}: until it says true such commands
         * fail, as in a QEMU started with {@code -preconfig} before {@code x-exit-preconfig}.
         * Called on the thread that runs the command (the main loop, or an I/O thread for
         * exec-oob): it must be quick and thread-safe. By default the machine is always ready.
         */
        public Builder machineReady(BooleanSupplier ready) {
            this.machineReady = Objects.requireNonNull(ready, "ready");
            return this;
        }

        /**
         * The machine's main loop, where in-band commands run; the machine stops it. Without
         * one, the hub starts a loop of its own and stops it when it closes.
         */
        public Builder mainLoop(MainLoop loop) {
            this.mainLoop = Objects.requireNonNull(loop, "loop");
            return this;
        }

        /**
         * The idle spin of the loop the hub starts when given none, 0 to 1 ms ({@link
         * MainLoop#start(String, Duration)}).
         */
        public Builder mainLoopSpin(Duration spin) {
            if (spin.isNegative() || spin.compareTo(Duration.ofMillis(1)) > 0) {
                throw new IllegalArgumentException("mainLoopSpin not within 0..1 ms: " + spin);
            }
            this.idleSpin = spin;
            return this;
        }

        /** The machine's event channel; without one the hub makes one on its main loop. */
        public Builder events(EventBroadcaster events) {
            this.events = Objects.requireNonNull(events, "events");
            return this;
        }

        /** Which events the hub's own event channel throttles; {@link EventRateLimits#qemu()} by default. */
        public Builder eventRateLimits(EventRateLimits limits) {
            this.rateLimits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        public MonitorHub build() {
            return new MonitorHub(this);
        }
    }
}

package org.qapi4j.vmm;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.qmp.event.EventBroadcaster;
import org.qapi4j.qmp.event.EventRateLimits;
import org.qapi4j.qmp.loop.MainLoop;
import org.qapi4j.qmp.monitor.MonitorHub;
import org.qapi4j.qmp.monitor.QmpVersion;
import org.qapi4j.qmp.server.QmpServer;
import org.qapi4j.qmp.server.QmpServerBuilder;
import org.qapi4j.vmm.api.ColoCommands;
import org.qapi4j.vmm.api.ControlCommands;
import org.qapi4j.vmm.api.MachineCommands;
import org.qapi4j.vmm.api.MigrationCommands;
import org.qapi4j.vmm.api.RunStateCommands;
import org.qapi4j.vmm.api.SchemaIntrospection;
import org.qapi4j.vmm.cli.IncomingMigration;
import org.qapi4j.vmm.cli.ListenAddress;
import org.qapi4j.vmm.cli.SerialSpec;
import org.qapi4j.vmm.cli.VmmCommandLine;
import org.qapi4j.vmm.cli.VmmOptions;
import org.qapi4j.vmm.machine.Machine;
import org.qapi4j.vmm.machine.MachineConfig;
import org.qapi4j.vmm.machine.MachineConfigException;
import org.qapi4j.vmm.machine.device.BlockBackend;
import org.qapi4j.vmm.migration.MigrationService;
import org.qapi4j.vmm.migration.settings.MigrationSettings;
import org.qapi4j.vmm.monitor.ControlHandlers;
import org.qapi4j.vmm.monitor.MachineHandlers;
import org.qapi4j.vmm.monitor.MigrationHandlers;
import org.qapi4j.vmm.monitor.NoColoHandlers;
import org.qapi4j.vmm.spi.ColoProvider;
import org.qapi4j.vmm.spi.VmmContext;
import org.qapi4j.vmm.monitor.RunStateHandlers;
import org.qapi4j.vmm.runstate.RunStateMachine;
import org.qapi4j.vmm.runstate.RunStateRules;
import org.qapi4j.vmm.vm.VirtualMachine;

/**
 * {@code bin/vmm}: a machine and its QMP monitors, in the foreground until {@code quit}, the
 * guest's shutdown or a signal.
 *
 * <p>Start-up, in order: the options; the machine (a bad program, disk or NIC address ends the
 * process with one line before any socket exists); the monitors; then the guest starts, unless
 * {@code -S} or {@code -incoming} hold it. A failure at any step closes what the steps before it
 * opened: the VMM runs whole or not at all.
 */
public final class Vmm implements AutoCloseable {
    /** Disk size when {@code --disk PATH} names an image that does not exist yet. */
    public static final long DEFAULT_DISK_BYTES = 64L << 20;
    /** Where QMP is served when no {@code -qmp} says otherwise. */
    public static final String DEFAULT_QMP_SOCKET = "vmm-qmp.sock";
    private static final String NIL_UUID = "00000000-0000-0000-0000-000000000000";

    private final Machine machine;
    private final MainLoop mainLoop;
    private final MonitorHub hub;
    private final QmpServer server;
    private final VirtualMachine vm;
    private final MigrationService migration;
    private final CountDownLatch exited = new CountDownLatch(1);
    private volatile int exitStatus;

    private Vmm(VmmOptions options, Machine machine, MainLoop mainLoop, Optional<ColoProvider> colo)
            throws IOException {
        this.machine = machine;
        this.mainLoop = mainLoop;
        EventBroadcaster events = new EventBroadcaster(mainLoop, EventRateLimits.qemu());
        RunStateRules rules = new RunStateRules(
                options.noShutdown() ? RunStateRules.ShutdownAction.PAUSE : RunStateRules.ShutdownAction.POWEROFF,
                options.noReboot() ? RunStateRules.RebootAction.SHUTDOWN : RunStateRules.RebootAction.RESET);
        this.vm = new VirtualMachine(machine, new RunStateMachine(rules, options.autostart()), events, mainLoop,
                this::exit);
        this.migration = new MigrationService(vm, new MigrationSettings(), System.err, VmmCommandLine.PROGRAM,
                this::exit);
        QmpVersion version = QmpVersion.QAPI4J;
        this.hub = MonitorHub.builder(SchemaIntrospection.schema())
                .mainLoop(mainLoop)
                .events(events)
                .version(version)
                .serve(ControlCommands.dispatcher(new ControlHandlers(version, vm)))
                .serve(RunStateCommands.dispatcher(new RunStateHandlers(vm)))
                .serve(MachineCommands.dispatcher(new MachineHandlers(options.name().orElse(null),
                        options.uuid().map(UUID::toString).orElse(NIL_UUID), machine.ram())))
                .serve(MigrationCommands.dispatcher(new MigrationHandlers(migration)))
                .serve(ColoCommands.dispatcher(colo.map(provider -> provider.attach(new VmmContext(vm, migration,
                        options, System.err, VmmCommandLine.PROGRAM))).orElseGet(NoColoHandlers::new)))
                .build();
        // The guest starts (or waits for -incoming) before any monitor listens: QEMU does that at
        // the end of its start-up, so no client ever sees the first RESUME.
        CompletableFuture.runAsync(() -> vm.execute(options.incoming().isPresent()
                ? vm.runState().rules()::incomingOnCommandLine
                : vm.runState().rules()::start).orThrow(), mainLoop).join();
        if (options.incoming().orElse(null) instanceof IncomingMigration.Listen listen) {
            listenForIncoming(listen);
        }
        List<ListenAddress> monitors = monitors(options);
        if (monitors.isEmpty()) {
            // -nodefaults without -qmp: a machine nobody manages, as QEMU allows.
            this.server = null;
            return;
        }
        QmpServerBuilder builder = QmpServer.builder(hub);
        for (ListenAddress address : monitors) {
            if (address instanceof ListenAddress.Unix unix) {
                builder.unix(unix.path());
            } else if (address instanceof ListenAddress.Tcp tcp) {
                builder.tcp(new InetSocketAddress(tcp.host(), tcp.port()));
            }
        }
        try {
            this.server = builder.start();
        } catch (IOException | RuntimeException e) {
            hub.close();
            throw e;
        }
    }

    /**
     * {@code -incoming URI}: listens before any monitor does, as QEMU; a URI it cannot listen on
     * ends the start-up with QEMU's reason.
     */
    private void listenForIncoming(IncomingMigration.Listen listen) throws IOException {
        try {
            CompletableFuture.runAsync(() -> migration.startIncoming(listen.uri()), mainLoop).join();
        } catch (java.util.concurrent.CompletionException e) {
            hub.close();
            String reason = e.getCause() instanceof QmpException qmp ? qmp.error().description() : String.valueOf(e.getCause());
            throw new IOException("-incoming " + listen.uri() + ": " + reason, e.getCause());
        }
    }

    /**
     * Starts a VMM as {@code options} say.
     *
     * @throws MachineConfigException when the machine cannot be made as configured (nothing runs)
     * @throws IOException when a monitor cannot listen (nothing runs)
     */
    public static Vmm start(VmmOptions options) throws IOException, MachineConfigException {
        Optional<ColoProvider> colo = StartupPrefetch.lookUpColo();
        return start(options, () -> colo);
    }

    /**
     * As {@link #start(VmmOptions)}, with the COLO module that {@code colo} finds (empty: none),
     * asked for only once it is needed: without a disk, the machine is built while the lookup
     * may still be running.
     */
    static Vmm start(VmmOptions options, Supplier<Optional<ColoProvider>> colo)
            throws IOException, MachineConfigException {
        // COLO wraps the disk; the machine asks for the wrapper only when it has a disk.
        UnaryOperator<BlockBackend> diskBackend = options.disk().isPresent()
                ? colo.get().map(ColoProvider::diskBackend).orElse(UnaryOperator.identity())
                : UnaryOperator.identity();
        Machine machine = Machine.create(machineConfig(options), diskBackend);
        MainLoop mainLoop = null;
        try {
            mainLoop = MainLoop.start("vmm-main");
            return new Vmm(options, machine, mainLoop, colo.get());
        } catch (IOException | RuntimeException | Error e) {
            // Error too: a broken COLO module (ServiceConfigurationError) can be found this late.
            machine.close();
            if (mainLoop != null) {
                mainLoop.shutdown();
            }
            throw e;
        }
    }

    public static void main(String[] args) {
        // Started first, so that it runs while the options are read and the machine is built.
        StartupPrefetch prefetch = StartupPrefetch.start();
        VmmCommandLine.Invocation invocation = VmmCommandLine.invoke(args, System.out, System.err);
        if (invocation instanceof VmmCommandLine.Invocation.Exit exit) {
            System.exit(exit.status());
            return;
        }
        VmmOptions options = ((VmmCommandLine.Invocation.Run) invocation).options();
        // Before anything starts, so that no signal finds the JVM's default (exit 143) instead.
        AtomicReference<Vmm> started = new AtomicReference<>();
        prefetch.takeSignals(number -> terminate(started.get(), number));
        Vmm vmm;
        try {
            vmm = start(options, prefetch::colo);
        } catch (MachineConfigException | IOException | UncheckedIOException e) {
            System.err.println(VmmCommandLine.PROGRAM + ": " + e.getMessage());
            System.exit(1);
            return;
        }
        started.set(vmm);
        vmm.describe(System.out);
        System.exit(vmm.awaitExit());
    }

    /** One line: where the guest's NIC and the monitors listen. */
    public void describe(PrintStream out) {
        InetSocketAddress nic = machine.nicAddress();
        out.println(VmmCommandLine.PROGRAM + ": guest " + machine.programName() + ", NIC on " + nic.getHostString()
                + ":" + nic.getPort() + ", QMP on " + (server == null ? "[]" : server.addresses()));
        out.flush();
    }

    /**
     * A terminating signal, as QEMU takes one ({@code qemu_system_killed}): a line on standard
     * error, then a shutdown with cause {@code host-signal} (SHUTDOWN to the monitors) and exit 0,
     * even under {@code -no-shutdown}.
     */
    private static void terminate(Vmm vmm, int signal) {
        System.err.println(VmmCommandLine.PROGRAM + ": terminating on signal " + signal);
        if (vmm == null) {
            // Still starting: nothing serves yet, so there is no one to tell.
            System.exit(0);
        }
        vmm.vm.mainLoop().execute(() -> vmm.vm.runState().post(vmm.vm.runState().rules().signalRequest()));
    }

    /** Blocks until {@code quit} or the guest's shutdown ends the VMM; the process's exit status. */
    public int awaitExit() {
        try {
            exited.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return exitStatus;
    }

    public VirtualMachine vm() {
        return vm;
    }

    /** The monitors' server; null when the VMM serves no monitor ({@code -nodefaults} alone). */
    public QmpServer server() {
        return server;
    }

    /** Ends the VMM after what the monitors were sent (the answer to quit, SHUTDOWN) has left. */
    private void exit(int status) {
        exitStatus = status;
        QmpServer started = server;
        if (started == null) {
            // Still starting (an incoming migration can fail before the monitors listen).
            machine.close();
            exited.countDown();
            return;
        }
        started.shutdown().whenComplete((done, failure) -> {
            machine.close();
            exited.countDown();
        });
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        hub.close();
        machine.close();
        mainLoop.shutdown();
        exited.countDown();
    }

    /**
     * Where QMP is served: {@code -qmp} as given; without one (and without {@code -nodefaults}),
     * the Unix socket {@link #DEFAULT_QMP_SOCKET} in the working directory, so that {@code
     * bin/vmm} alone gives a machine a client can manage. (QEMU's default monitor is a text
     * console on its display, which the VMM does not have.)
     */
    static List<ListenAddress> monitors(VmmOptions options) {
        if (options.qmp().isEmpty() && !options.noDefaults()) {
            return List.of(new ListenAddress.Unix(Path.of(DEFAULT_QMP_SOCKET)));
        }
        return options.qmp();
    }

    private static MachineConfig machineConfig(VmmOptions options) {
        Path disk = options.disk().map(spec -> spec.path()).orElse(null);
        long diskBytes = options.disk().flatMap(spec -> spec.size().isPresent()
                ? java.util.Optional.of(spec.size().getAsLong()) : java.util.Optional.empty()).orElse(DEFAULT_DISK_BYTES);
        Path serial = options.serial() instanceof SerialSpec.File file ? file.path()
                : options.serial() instanceof SerialSpec.Stdio ? Path.of("/dev/stdout") : null;
        return new MachineConfig(options.memoryBytes(), options.guest().name(), options.guest().options(),
                options.nic().host(), options.nic().port(), disk, diskBytes, serial, options.memPrealloc());
    }
}

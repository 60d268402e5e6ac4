package org.qapi4j.vmm.migration;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.ServerSocketChannel;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntConsumer;
import org.jspecify.annotations.Nullable;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.vmm.api.Event;
import org.qapi4j.vmm.api.MigrateArguments;
import org.qapi4j.vmm.api.MigrationCapability;
import org.qapi4j.vmm.api.MigrationInfo;
import org.qapi4j.vmm.api.MigrationStatus;
import org.qapi4j.vmm.api.RunState;
import org.qapi4j.vmm.machine.Machine;
import org.qapi4j.vmm.migration.incoming.DestinationMachine;
import org.qapi4j.vmm.migration.incoming.IncomingMigration;
import org.qapi4j.vmm.migration.outgoing.OutgoingMigration;
import org.qapi4j.vmm.migration.outgoing.SourceMachine;
import org.qapi4j.vmm.migration.settings.MigrationSettings;
import org.qapi4j.vmm.runstate.MigrationRunStateRules;
import org.qapi4j.vmm.runstate.MigrationRunStateRules.MigrationEnd;
import org.qapi4j.vmm.vm.VirtualMachine;

/**
 * Migration as the monitor sees it: QEMU 7.2's checks and events around {@code migrate}, {@code
 * migrate-incoming}, {@code migrate_cancel} and {@code query-migrate}, over the migration threads
 * ({@link OutgoingMigration}, {@link IncomingMigration}), and the run-state steps those threads
 * need taken on the main loop. The command methods run on the main loop.
 */
public final class MigrationService {
    private final VirtualMachine vm;
    private final MigrationSettings settings;
    private final PrintStream stderr;
    private final String program;
    private final IntConsumer exit;
    private @Nullable MigrationState outgoing;
    private @Nullable OutgoingMigration job;
    private @Nullable MigrationState incoming;
    private boolean incomingStarted;
    private volatile @Nullable ColoHook colo;
    private volatile MigrationFaults faults = MigrationFaults.NONE;

    /**
     * @param stderr where failures are reported, as QEMU reports them on its standard error
     * @param program the prefix of those lines ({@code vmm})
     * @param exit ends the process (a failed incoming migration exits with status 1)
     */
    public MigrationService(VirtualMachine vm, MigrationSettings settings, PrintStream stderr, String program,
            IntConsumer exit) {
        this.vm = Objects.requireNonNull(vm, "vm");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.stderr = Objects.requireNonNull(stderr, "stderr");
        this.program = Objects.requireNonNull(program, "program");
        this.exit = Objects.requireNonNull(exit, "exit");
    }

    /** Installs the fault points of outgoing migrations (tests only; none by default). */
    public void faults(MigrationFaults points) {
        this.faults = Objects.requireNonNull(points, "points");
    }

    /** Installs COLO (the COLO module does, at start-up); without it {@code x-colo} migrations fail. */
    public void colo(ColoHook hook) {
        this.colo = Objects.requireNonNull(hook, "hook");
    }

    /**
     * {@code migrate-set-parameters}: QEMU 7.2's checks and values ({@link MigrationSettings}),
     * and, while COLO runs, a checkpoint whenever {@code x-checkpoint-delay} is named.
     */
    public void setParameters(org.qapi4j.vmm.api.MigrateSetParameters parameters) {
        settings.setParameters(parameters);
        ColoHook hook = colo;
        if (hook != null && parameters.xCheckpointDelay() != null) {
            hook.checkpointDelaySet();
        }
    }

    public MigrationSettings settings() {
        return settings;
    }

    /**
     * Whether an outgoing migration has started and not ended ({@code migration_is_running}):
     * what {@code migrate} and {@code migrate-set-capabilities} refuse to run beside. QEMU 7.2
     * counts only the outgoing side here; an incoming migration is guarded by the run state.
     */
    public synchronized boolean isRunning() {
        return outgoing != null && outgoing.isRunning();
    }

    /**
     * {@code migrate}, with QEMU 7.2's checks in its order ({@code qmp_migrate}, {@code
     * migrate_prepare}): a resume with nothing to resume, a migration already running, the run
     * state; then the status becomes {@code setup} (MIGRATION, before the answer) and the URI is
     * parsed, a bad one failing the migration at once. Connecting happens on the migration's
     * thread: a refused connection fails it afterwards, as in QEMU.
     *
     * <p>Block migration ({@code blk}, {@code inc}) is refused in the VMM's own words: its disk
     * is meant to be shared storage, and it has no block migration to honour them with. QEMU
     * accepts both; {@code detach} is ignored by both.
     */
    public synchronized void migrate(MigrateArguments arguments) {
        if (Boolean.TRUE.equals(arguments.resume())) {
            throw QmpException.generic("Cannot resume if there is no paused migration");
        }
        if (isRunning()) {
            throw QmpException.generic("There's a migration process in progress");
        }
        vm.execute(vm.runState().rules().migration()::migrate).orThrow();
        if (Boolean.TRUE.equals(arguments.blk()) || Boolean.TRUE.equals(arguments.inc())) {
            throw QmpException.generic("This VMM cannot migrate disk contents (blk, inc): its disk is shared storage");
        }
        if (colo == null && settings.isOn(MigrationCapability.Known.X_COLO)) {
            throw QmpException.generic("This VMM runs without its COLO module: capability x-colo cannot be honoured");
        }
        MigrationState state = newState();
        outgoing = state;
        state.move(MigrationStatus.Known.NONE, MigrationStatus.Known.SETUP);
        MigrationUri uri;
        try {
            uri = MigrationUri.parse(arguments.uri());
        } catch (IllegalArgumentException e) {
            state.fail(e.getMessage());
            throw QmpException.generic(e.getMessage());
        }
        if (uri == null) {
            state.failSilently();
            throw QmpException.generic("Parameter 'uri' expects a valid migration protocol");
        }
        OutgoingMigration migration = new OutgoingMigration(uri, new Source(state), settings, state, colo, faults);
        job = migration;
        Thread thread = new Thread(migration, "vmm-migration-out");
        thread.setDaemon(true);
        thread.start();
    }

    /** {@code migrate_cancel}: silent when nothing runs, as QEMU's. */
    public synchronized void cancel() {
        if (job != null) {
            job.cancel();
        }
    }

    /**
     * {@code query-migrate}: the outgoing migration once there was one; otherwise an incoming
     * one's status (none before its connection came: QEMU shows no status then).
     */
    public synchronized MigrationInfo info() {
        if (outgoing != null) {
            return withColoStatistics(outgoing.toInfo());
        }
        if (incoming != null && incoming.status() != MigrationStatus.Known.NONE) {
            return withColoStatistics(MigrationInfo.builder().status(incoming.status()).build());
        }
        return MigrationInfo.builder().build();
    }

    /**
     * In COLO QEMU answers only {@code {"status": "colo"}}; the VMM adds its checkpoint
     * statistics as the {@code colo} member, its own extension, so every other answer stays
     * QEMU's.
     */
    private MigrationInfo withColoStatistics(MigrationInfo info) {
        ColoHook hook = colo;
        if (hook == null || info.status() != MigrationStatus.Known.COLO || hook.statistics() == null) {
            return info;
        }
        return MigrationInfo.builder().status(info.status()).colo(hook.statistics()).build();
    }

    /**
     * {@code migrate-incoming}, and {@code -incoming URI} at start-up ({@code qmp_migrate_incoming},
     * {@code qemu_start_incoming_migration}): once only; in {@code inmigrate} only; then MIGRATION
     * {@code setup} is sent whatever happens next (QEMU sends it even with {@code events} off, and
     * even for a URI it then refuses); then the URI is parsed and listened on. A failed attempt
     * can be retried.
     */
    public synchronized void startIncoming(String uriText) {
        if (incomingStarted) {
            throw QmpException.generic("The incoming migration has already been started");
        }
        vm.execute(vm.runState().rules().migration()::migrateIncoming).orThrow();
        vm.emit(new Event.Migration(MigrationStatus.Known.SETUP));
        MigrationUri uri;
        try {
            uri = MigrationUri.parse(uriText);
        } catch (IllegalArgumentException e) {
            throw QmpException.generic(e.getMessage());
        }
        if (uri == null) {
            throw QmpException.generic("unknown migration protocol: " + uriText);
        }
        ServerSocketChannel listener;
        try {
            listener = uri.listen();
        } catch (IOException e) {
            throw QmpException.generic("Failed to bind socket: " + e.getMessage());
        }
        incomingStarted = true;
        MigrationState state = newState();
        incoming = state;
        Thread thread = new Thread(new IncomingMigration(listener, new Destination(), state, colo), "vmm-migration-in");
        thread.setDaemon(true);
        thread.start();
    }

    private MigrationState newState() {
        return new MigrationState(vm.machine().ram().size(), vm::emit,
                () -> settings.isOn(MigrationCapability.Known.EVENTS));
    }

    private MigrationRunStateRules rules() {
        return vm.runState().rules().migration();
    }

    /** The source's side of the run-state steps, taken on the main loop. */
    private final class Source implements SourceMachine {
        private final MigrationState state;

        Source(MigrationState state) {
            this.state = state;
        }

        @Override
        public Machine machine() {
            return vm.machine();
        }

        @Override
        public Stopped stopForSwitchover() {
            return CompletableFuture.supplyAsync(() -> {
                RunState.Known before = vm.runState().state();
                // A suspended guest is woken first, so it travels as running (QEMU's global state).
                RunState.Known sent = before == RunState.Known.SUSPENDED ? RunState.Known.RUNNING : before;
                vm.execute(rules()::migrationCompletion).orThrow();
                return new Stopped(sent.wireName(), sent == RunState.Known.RUNNING);
            }, vm.mainLoop()).join();
        }

        @Override
        public void finished(MigrationEnd end, boolean wasRunning) {
            vm.mainLoop().execute(() -> {
                String error = state.error();
                if (end == MigrationEnd.FAILED && error != null) {
                    stderr.println(program + ": " + error);
                }
                vm.execute(situation -> rules().migrationFinished(situation, end, wasRunning));
            });
        }
    }

    /** The destination's side: the run state the guest arrives in, or the end of the process. */
    private final class Destination implements DestinationMachine {
        @Override
        public Machine machine() {
            return vm.machine();
        }

        @Override
        public void loaded(String sourceRunState, boolean withColo) {
            RunState source = RunState.fromWire(sourceRunState);
            RunState.Known known = source instanceof RunState.Known k ? k : null;
            CompletableFuture.runAsync(() -> vm.execute(
                    situation -> rules().incomingMigrationDone(situation, known, withColo)).orThrow(), vm.mainLoop())
                    .join();
        }

        @Override
        public boolean coloEnabled() {
            return settings.isOn(MigrationCapability.Known.X_COLO);
        }

        @Override
        public void loadFailed(String reason) {
            vm.mainLoop().execute(() -> {
                stderr.println(program + ": load of migration failed: " + reason);
                stderr.flush();
                exit.accept(1);
            });
        }
    }
}

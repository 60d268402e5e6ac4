package org.qapi4j.vmm.runstate;

import static org.qapi4j.vmm.api.RunState.Known.FINISH_MIGRATE;
import static org.qapi4j.vmm.api.RunState.Known.INMIGRATE;
import static org.qapi4j.vmm.api.RunState.Known.INTERNAL_ERROR;
import static org.qapi4j.vmm.api.RunState.Known.PAUSED;
import static org.qapi4j.vmm.api.RunState.Known.PRELAUNCH;
import static org.qapi4j.vmm.api.RunState.Known.RUNNING;
import static org.qapi4j.vmm.api.RunState.Known.SHUTDOWN;
import static org.qapi4j.vmm.api.RunState.Known.SUSPENDED;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.qapi4j.vmm.api.Event;
import org.qapi4j.vmm.api.RunState;
import org.qapi4j.vmm.api.ShutdownCause;

/**
 * What QEMU 7.2 does to the run state for each command and guest request, as pure functions
 * from a {@link Situation} to an {@link Outcome}: either QEMU's error (class and text) or the
 * ordered steps (state changes, events, requests for the main loop). Nothing here touches a
 * machine or a monitor; {@link RunStateMachine#execute} applies an outcome, a QMP handler throws
 * its error ({@link Outcome#orThrow()}). The rules of migration are in {@link
 * MigrationRunStateRules} ({@link #migration()}).
 *
 * <p>Two settings change the rules, as QEMU's {@code -action} does: what a shutdown does ({@link
 * ShutdownAction}, {@code -no-shutdown} makes it {@link ShutdownAction#PAUSE}) and what a reset
 * does ({@link RebootAction}, {@code -no-reboot} makes it {@link RebootAction#SHUTDOWN}).
 *
 * <p>The commands, per state (events in the order sent; "later" marks what the main loop does
 * with the request the command leaves, before the client sees its answer; see {@link Request}):
 * <table>
 *   <caption>QMP commands and run states</caption>
 *   <tr><th>command</th><th>state</th><th>answer, then effect</th></tr>
 *   <tr><td>stop</td><td>running</td><td>STOP, state paused</td></tr>
 *   <tr><td>stop</td><td>inmigrate</td><td>no event; autostart off</td></tr>
 *   <tr><td>stop</td><td>any other</td><td>nothing</td></tr>
 *   <tr><td>cont</td><td>shutdown, internal-error</td><td>GenericError "Resetting the Virtual
 *       Machine is required"</td></tr>
 *   <tr><td>cont</td><td>finish-migrate</td><td>GenericError "Migration is not finalized
 *       yet"</td></tr>
 *   <tr><td>cont</td><td>suspended</td><td>nothing</td></tr>
 *   <tr><td>cont</td><td>inmigrate</td><td>no event; autostart on</td></tr>
 *   <tr><td>cont</td><td>running</td><td>nothing (STOP and RESUME if a stop was pending)</td></tr>
 *   <tr><td>cont</td><td>any other</td><td>RESUME, state running</td></tr>
 *   <tr><td>system_reset</td><td>any</td><td>later: RESET {guest: false, reason:
 *       host-qmp-system-reset}, then state prelaunch unless running, inmigrate or
 *       finish-migrate; with {@code -no-reboot} a shutdown instead</td></tr>
 *   <tr><td>system_powerdown</td><td>any</td><td>later: POWERDOWN, the guest is told</td></tr>
 *   <tr><td>quit</td><td>any</td><td>later: SHUTDOWN {guest: false, reason: host-qmp-quit}, the
 *       process exits (state shutdown first if running, without STOP)</td></tr>
 * </table>
 *
 * <p>Not modelled, because our schema and machine have no counterpart: QEMU's memory dump
 * ({@code stop} and {@code cont} fail with "There is a dump in process, please wait." while one
 * runs), block device activation in {@code cont}, debugger stops, guest suspend and wake-up,
 * and the guest panic and watchdog actions (their stops can be asked for with {@link
 * Request.VmStop}).
 */
public final class RunStateRules {
    /** What a shutdown does, QEMU's {@code -action shutdown=...}. */
    public enum ShutdownAction {
        /** The process exits: QEMU's default. */
        POWEROFF,
        /** The machine stays, in state {@code shutdown}, until reset: {@code -no-shutdown}. */
        PAUSE
    }

    /** What a reset request does, QEMU's {@code -action reboot=...}. */
    public enum RebootAction {
        /** The machine resets: QEMU's default. */
        RESET,
        /** The reset becomes a shutdown: {@code -no-reboot}. */
        SHUTDOWN
    }

    private final ShutdownAction shutdownAction;
    private final RebootAction rebootAction;
    private final MigrationRunStateRules migration;

    /** QEMU's defaults: a shutdown ends the process, a reset resets. */
    public RunStateRules() {
        this(ShutdownAction.POWEROFF, RebootAction.RESET);
    }

    public RunStateRules(ShutdownAction shutdownAction, RebootAction rebootAction) {
        this.shutdownAction = Objects.requireNonNull(shutdownAction, "shutdownAction");
        this.rebootAction = Objects.requireNonNull(rebootAction, "rebootAction");
        this.migration = new MigrationRunStateRules(this);
    }

    /** What a shutdown does. */
    public ShutdownAction shutdownAction() {
        return shutdownAction;
    }

    /** What a reset request does. */
    public RebootAction rebootAction() {
        return rebootAction;
    }

    /** The rules of incoming and outgoing migration, which start and stop the guest as these do. */
    public MigrationRunStateRules migration() {
        return migration;
    }

    // ---- predicates -------------------------------------------------------------------------

    /** {@code runstate_is_running}: whether {@code state} is {@code running}. */
    public static boolean isRunning(RunState state) {
        return state == RUNNING;
    }

    /**
     * {@code runstate_needs_reset} in 7.2: whether {@code state} is {@code internal-error} or
     * {@code shutdown}, the two states a guest cannot continue from without a reset. ({@code
     * guest-panicked} is not one of them: {@code cont} resumes a panicked guest.)
     */
    public static boolean needsReset(RunState state) {
        return state == INTERNAL_ERROR || state == SHUTDOWN;
    }

    /**
     * {@code shutdown_caused_by_guest}: whether the {@code guest} member of SHUTDOWN and RESET is
     * true for {@code cause}. QEMU compares the enum's order, so besides the three {@code guest-*}
     * causes {@code subsystem-reset} and {@code snapshot-load} count as the guest's too.
     */
    public static boolean causedByGuest(ShutdownCause.Known cause) {
        return switch (cause) {
            case GUEST_SHUTDOWN, GUEST_RESET, GUEST_PANIC, SUBSYSTEM_RESET, SNAPSHOT_LOAD -> true;
            case NONE, HOST_ERROR, HOST_QMP_QUIT, HOST_QMP_SYSTEM_RESET, HOST_SIGNAL, HOST_UI -> false;
        };
    }

    // ---- QMP commands -----------------------------------------------------------------------

    /**
     * {@code stop} ({@code qmp_stop}): while an incoming migration is awaited, only remembers not
     * to start the guest when it arrives (autostart off), and sends nothing; otherwise stops the
     * guest in {@code paused} as {@link #vmStop} does, which does nothing (no event, no error) when
     * the guest does not run.
     */
    public Outcome stop(Situation situation) {
        if (situation.state() == INMIGRATE) {
            return Outcome.ok(new Step.SetAutostart(false));
        }
        return vmStop(situation, PAUSED);
    }

    /**
     * {@code cont} ({@code qmp_cont}), checked in QEMU's order: in {@code shutdown} or {@code
     * internal-error} it fails with "Resetting the Virtual Machine is required"; in {@code
     * suspended} it succeeds and does nothing (the guest must be woken up instead); in {@code
     * finish-migrate} it fails with "Migration is not finalized yet"; in {@code inmigrate} it
     * only remembers to start the guest when the migration arrives (autostart on); otherwise it
     * starts the guest as {@link #vmStart} does.
     */
    public Outcome cont(Situation situation) {
        RunState.Known state = situation.state();
        if (needsReset(state)) {
            return Outcome.fail("Resetting the Virtual Machine is required");
        }
        if (state == SUSPENDED) {
            return Outcome.ok();
        }
        if (state == FINISH_MIGRATE) {
            return Outcome.fail("Migration is not finalized yet");
        }
        if (state == INMIGRATE) {
            return Outcome.ok(new Step.SetAutostart(true));
        }
        return vmStart(situation);
    }

    /**
     * {@code system_reset} ({@code qmp_system_reset}): never fails; leaves a reset request with
     * cause {@code host-qmp-system-reset} for the main loop, which QEMU turns into a shutdown
     * request under {@code -no-reboot} ({@link #resetRequest}). See {@link #processReset} and
     * {@link #processShutdown} for what follows.
     */
    public Outcome systemReset(Situation situation) {
        Objects.requireNonNull(situation, "situation");
        return Outcome.ok(new Step.Post(resetRequest(ShutdownCause.Known.HOST_QMP_SYSTEM_RESET)));
    }

    /**
     * {@code system_powerdown} ({@code qmp_system_powerdown}): never fails, whatever the state;
     * leaves a power-down request for the main loop ({@link #processPowerdown}).
     */
    public Outcome systemPowerdown(Situation situation) {
        Objects.requireNonNull(situation, "situation");
        return Outcome.ok(new Step.Post(new Request.Powerdown()));
    }

    /**
     * {@code quit} ({@code qmp_quit}): never fails; forces the shutdown action to power off, so
     * that even under {@code -no-shutdown} the process exits, and leaves a shutdown request with
     * cause {@code host-qmp-quit} ({@link #processShutdown}).
     */
    public Outcome quit(Situation situation) {
        Objects.requireNonNull(situation, "situation");
        return Outcome.ok(new Step.Post(new Request.Shutdown(ShutdownCause.Known.HOST_QMP_QUIT, true)));
    }

    // ---- requests ---------------------------------------------------------------------------

    /**
     * The request a reset for {@code cause} leaves ({@code qemu_system_reset_request}): a shutdown
     * request with that cause when the reboot action is {@link RebootAction#SHUTDOWN}, unless the
     * cause is {@code subsystem-reset}; a reset request otherwise. A guest that reboots itself
     * asks with cause {@code guest-reset}.
     */
    public Request resetRequest(ShutdownCause.Known cause) {
        Objects.requireNonNull(cause, "cause");
        if (rebootAction == RebootAction.SHUTDOWN && cause != ShutdownCause.Known.SUBSYSTEM_RESET) {
            return new Request.Shutdown(cause, false);
        }
        return new Request.Reset(cause);
    }

    /**
     * The request a shutdown for {@code cause} leaves ({@code qemu_system_shutdown_request}); a
     * guest that turns itself off asks with cause {@code guest-shutdown}.
     */
    public Request shutdownRequest(ShutdownCause.Known cause) {
        return new Request.Shutdown(cause, false);
    }

    /**
     * The request a terminating signal such as SIGTERM or SIGINT leaves ({@code
     * qemu_system_killed}): a shutdown with cause {@code host-signal} that exits even under
     * {@code -no-shutdown}. (QEMU also prints "terminating on signal N" to standard error.)
     */
    public Request signalRequest() {
        return new Request.Shutdown(ShutdownCause.Known.HOST_SIGNAL, true);
    }

    /**
     * A shutdown request, acted on by the main loop ({@code main_loop_should_exit} and {@code
     * qemu_system_shutdown}): first SHUTDOWN with {@code guest} per {@link #causedByGuest} and the
     * cause as {@code reason}. Then, when the shutdown action is {@link ShutdownAction#PAUSE} and
     * the request does not force an exit, the guest stops in {@code shutdown} as {@link #vmStop}
     * does (state and STOP if it ran; otherwise the state stays as it was). Otherwise the process
     * exits with status 0; on the way out QEMU's cleanup ({@code vm_shutdown}) moves a running
     * guest to {@code shutdown} without a STOP.
     */
    public Outcome processShutdown(Situation situation, Request.Shutdown request) {
        ShutdownCause.Known cause = request.cause();
        Outcome shutdown = Outcome.ok(new Step.Emit(new Event.Shutdown(causedByGuest(cause), cause)));
        if (shutdownAction == ShutdownAction.PAUSE && !request.forceExit()) {
            return shutdown.then(vmStop(situation, SHUTDOWN));
        }
        List<Step> exit = new ArrayList<>();
        if (situation.state() == RUNNING) {
            exit.add(new Step.SetState(SHUTDOWN));
        }
        exit.add(new Step.Exit(0));
        return shutdown.then(Outcome.ok(exit));
    }

    /**
     * A reset request, acted on by the main loop ({@code main_loop_should_exit} and {@code
     * qemu_system_reset}): the machine resets; RESET follows with {@code guest} per {@link
     * #causedByGuest} and the cause as {@code reason}, except for the causes {@code none}, {@code
     * subsystem-reset} and {@code snapshot-load}, which send no event. Then a guest that is not
     * {@code running}, {@code inmigrate} or {@code finish-migrate} goes to {@code prelaunch}: a
     * paused, shut down or failed guest is ready to be started again with {@code cont}, and a
     * running one keeps running. No STOP or RESUME.
     */
    public Outcome processReset(Situation situation, Request.Reset request) {
        ShutdownCause.Known cause = request.cause();
        List<Step> steps = new ArrayList<>();
        steps.add(new Step.ResetMachine(cause));
        if (cause != ShutdownCause.Known.NONE && cause != ShutdownCause.Known.SUBSYSTEM_RESET
                && cause != ShutdownCause.Known.SNAPSHOT_LOAD) {
            steps.add(new Step.Emit(new Event.Reset(causedByGuest(cause), cause)));
        }
        RunState.Known state = situation.state();
        if (state != RUNNING && state != INMIGRATE && state != FINISH_MIGRATE) {
            steps.add(new Step.SetState(PRELAUNCH));
        }
        return Outcome.ok(steps);
    }

    /**
     * A power-down request, acted on by the main loop ({@code qemu_system_powerdown}): POWERDOWN,
     * then the guest is told; the run state does not change, whatever it is.
     */
    public Outcome processPowerdown(Situation situation) {
        Objects.requireNonNull(situation, "situation");
        return Outcome.ok(new Step.Emit(new Event.Powerdown()), new Step.PowerButton());
    }

    /**
     * A stop a virtual CPU asked for, acted on by the main loop: {@link #vmStop} with its state.
     */
    public Outcome processVmStop(Situation situation, Request.VmStop request) {
        return vmStop(situation, request.state());
    }

    // ---- starting and stopping the guest ----------------------------------------------------

    /**
     * {@code vm_stop} from the main loop ({@code do_vm_stop}): a running guest enters {@code
     * state}, then STOP is sent; a guest that does not run stays in its state and nothing is
     * sent.
     */
    public Outcome vmStop(Situation situation, RunState.Known state) {
        Objects.requireNonNull(state, "state");
        if (situation.state() == RUNNING) {
            return Outcome.ok(new Step.SetState(state), new Step.Emit(new Event.Stop()));
        }
        return Outcome.ok();
    }

    /**
     * {@code vm_stop_force_state}: as {@link #vmStop} for a running guest; any other enters
     * {@code state} all the same, without an event.
     */
    public Outcome vmStopForce(Situation situation, RunState.Known state) {
        if (situation.state() == RUNNING) {
            return vmStop(situation, state);
        }
        return Outcome.ok(new Step.SetState(state));
    }

    /**
     * {@code vm_start} ({@code vm_prepare_start}): a pending stop request is dropped. A guest that
     * runs keeps running; if a stop was pending, STOP and RESUME are sent, so that a client that
     * saw the cause of the stop (such as an I/O error) also sees the pair. Any other guest gets
     * RESUME, then enters {@code running}.
     */
    public Outcome vmStart(Situation situation) {
        List<Step> steps = new ArrayList<>();
        boolean pending = situation.pendingVmStop() != null;
        if (pending) {
            steps.add(new Step.DropVmStopRequest());
        }
        if (situation.state() == RUNNING) {
            if (pending) {
                steps.add(new Step.Emit(new Event.Stop()));
                steps.add(new Step.Emit(new Event.Resume()));
            }
            return Outcome.ok(steps);
        }
        steps.add(new Step.Emit(new Event.Resume()));
        steps.add(new Step.SetState(RUNNING));
        return Outcome.ok(steps);
    }

    /**
     * {@code -incoming} on the command line ({@code softmmu/vl.c}): the first one moves the new
     * machine from {@code prelaunch} to {@code inmigrate}, before anything else happens.
     */
    public Outcome incomingOnCommandLine(Situation situation) {
        if (situation.state() == INMIGRATE) {
            return Outcome.ok();
        }
        return Outcome.ok(new Step.SetState(INMIGRATE));
    }

    /**
     * The end of the machine's start ({@code qmp_x_exit_preconfig}): a machine that awaits an
     * incoming migration waits for it (its listening is the migration's business); otherwise,
     * unless {@code -S} turned autostart off, the guest starts as {@link #cont} starts it, which
     * from {@code prelaunch} sends RESUME and enters {@code running}.
     */
    public Outcome start(Situation situation) {
        if (situation.state() == INMIGRATE || !situation.autostart()) {
            return Outcome.ok();
        }
        return cont(situation);
    }
}

package org.qapi4j.vmm.runstate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.qapi4j.vmm.runstate.Outcomes.describe;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.qapi4j.qmp.ErrorClass;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.vmm.api.Event;
import org.qapi4j.vmm.api.RunState;
import org.qapi4j.vmm.api.ShutdownCause;
import org.qapi4j.vmm.runstate.MigrationRunStateRules.MigrationEnd;
import org.qapi4j.vmm.runstate.RunStateRules.RebootAction;
import org.qapi4j.vmm.runstate.RunStateRules.ShutdownAction;

/**
 * Every rule in every state, the expectations written from QEMU 7.2's source (the functions each
 * rule's Javadoc names) and, for what a client can observe, checked against QEMU itself by
 * {@code RealQemuRunStateTest}.
 */
class RunStateRulesTest {
    private final RunStateRules rules = new RunStateRules();

    private static Situation in(String state) {
        return Situation.of((RunState.Known) RunState.fromWire(state));
    }

    @ParameterizedTest(name = "stop in {0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            debug          | nothing
            inmigrate      | autostart off
            internal-error | nothing
            io-error       | nothing
            paused         | nothing
            postmigrate    | nothing
            prelaunch      | nothing
            finish-migrate | nothing
            restore-vm     | nothing
            running        | state paused; STOP
            save-vm        | nothing
            shutdown       | nothing
            suspended      | nothing
            watchdog       | nothing
            guest-panicked | nothing
            colo           | nothing
            """)
    void stop(String state, String expected) {
        assertThat(describe(rules.stop(in(state)))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "cont in {0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            debug          | RESUME; state running
            inmigrate      | autostart on
            internal-error | GenericError: Resetting the Virtual Machine is required
            io-error       | RESUME; state running
            paused         | RESUME; state running
            postmigrate    | RESUME; state running
            prelaunch      | RESUME; state running
            finish-migrate | GenericError: Migration is not finalized yet
            restore-vm     | RESUME; state running
            running        | nothing
            save-vm        | RESUME; state running
            shutdown       | GenericError: Resetting the Virtual Machine is required
            suspended      | nothing
            watchdog       | RESUME; state running
            guest-panicked | RESUME; state running
            colo           | RESUME; state running
            """)
    void cont(String state, String expected) {
        Outcome outcome = rules.cont(in(state));
        assertThat(describe(outcome)).isEqualTo(expected);
        // Every state cont leaves must be reachable by QEMU's table.
        RunState.Known before = in(state).state();
        RunState.Known after = outcome.stateAfter(before);
        assertThat(after == before || RunStateTable.allows(before, after)).isTrue();
    }

    @Test
    void contFailuresAreGenericErrorsThatAHandlerThrows() {
        Outcome outcome = rules.cont(in("shutdown"));
        assertThat(outcome.isOk()).isFalse();
        assertThat(outcome.steps()).isEmpty();
        assertThatThrownBy(outcome::orThrow).isInstanceOfSatisfying(QmpException.class, e -> {
            assertThat(e.error().errorClass()).isEqualTo(ErrorClass.GENERIC_ERROR);
            assertThat(e.error().description()).isEqualTo("Resetting the Virtual Machine is required");
        });
        assertThat(rules.cont(in("paused")).orThrow().isOk()).isTrue();
    }

    @Test
    void contWithAPendingStopDropsItAndSendsStopAndResumeWhenRunning() {
        Situation running = new Situation(RunState.Known.RUNNING, true, RunState.Known.IO_ERROR);
        assertThat(describe(rules.cont(running))).isEqualTo("drop stop request; STOP; RESUME");
        Situation paused = new Situation(RunState.Known.PAUSED, true, RunState.Known.IO_ERROR);
        assertThat(describe(rules.cont(paused))).isEqualTo("drop stop request; RESUME; state running");
        // In inmigrate cont does not start the guest, so the pending stop stays.
        Situation incoming = new Situation(RunState.Known.INMIGRATE, false, RunState.Known.IO_ERROR);
        assertThat(describe(rules.cont(incoming))).isEqualTo("autostart on");
    }

    @ParameterizedTest
    @EnumSource(RunState.Known.class)
    void systemResetPowerdownAndQuitNeverFailAndOnlyLeaveRequests(RunState.Known state) {
        Situation s = Situation.of(state);
        assertThat(describe(rules.systemReset(s))).isEqualTo("request reset host-qmp-system-reset");
        assertThat(describe(rules.systemPowerdown(s))).isEqualTo("request powerdown");
        assertThat(describe(rules.quit(s))).isEqualTo("request shutdown host-qmp-quit (exit)");
        RunStateRules noReboot = new RunStateRules(ShutdownAction.POWEROFF, RebootAction.SHUTDOWN);
        assertThat(describe(noReboot.systemReset(s))).isEqualTo("request shutdown host-qmp-system-reset");
    }

    @ParameterizedTest(name = "reset in {0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            debug          | state prelaunch
            inmigrate      | no change
            internal-error | state prelaunch
            io-error       | state prelaunch
            paused         | state prelaunch
            postmigrate    | state prelaunch
            prelaunch      | state prelaunch
            finish-migrate | no change
            restore-vm     | state prelaunch
            running        | no change
            save-vm        | state prelaunch
            shutdown       | state prelaunch
            suspended      | state prelaunch
            watchdog       | state prelaunch
            guest-panicked | state prelaunch
            colo           | state prelaunch
            """)
    void processResetResetsSendsResetAndLeavesAStoppedGuestInPrelaunch(String state, String change) {
        String expected = "reset machine; RESET {\"guest\":false,\"reason\":\"host-qmp-system-reset\"}"
                + ("no change".equals(change) ? "" : "; " + change);
        assertThat(describe(rules.processReset(in(state),
                new Request.Reset(ShutdownCause.Known.HOST_QMP_SYSTEM_RESET)))).isEqualTo(expected);
    }

    @Test
    void saveVmIsTheOneStateWhoseResetWouldBreakTheTable() {
        // QEMU never lets the main loop see save-vm (savevm holds the big lock throughout); a
        // machine asked to follow this outcome refuses, as QEMU would abort.
        Outcome outcome = rules.processReset(in("save-vm"), new Request.Reset(ShutdownCause.Known.GUEST_RESET));
        assertThat(RunStateTable.allows(RunState.SAVE_VM, outcome.stateAfter(RunState.Known.SAVE_VM))).isFalse();
        for (RunState.Known state : RunState.Known.values()) {
            if (state != RunState.Known.SAVE_VM) {
                RunState.Known after = rules.processReset(Situation.of(state),
                        new Request.Reset(ShutdownCause.Known.GUEST_RESET)).stateAfter(state);
                assertThat(after == state || RunStateTable.allows(state, after)).as(state.wireName()).isTrue();
            }
        }
    }

    @ParameterizedTest(name = "reset for {0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            none                  | reset machine
            host-error            | reset machine; RESET {"guest":false,"reason":"host-error"}
            host-qmp-quit         | reset machine; RESET {"guest":false,"reason":"host-qmp-quit"}
            host-qmp-system-reset | reset machine; RESET {"guest":false,"reason":"host-qmp-system-reset"}
            host-signal           | reset machine; RESET {"guest":false,"reason":"host-signal"}
            host-ui               | reset machine; RESET {"guest":false,"reason":"host-ui"}
            guest-shutdown        | reset machine; RESET {"guest":true,"reason":"guest-shutdown"}
            guest-reset           | reset machine; RESET {"guest":true,"reason":"guest-reset"}
            guest-panic           | reset machine; RESET {"guest":true,"reason":"guest-panic"}
            subsystem-reset       | reset machine
            snapshot-load         | reset machine
            """)
    void resetEventPerCause(String cause, String expected) {
        ShutdownCause.Known known = (ShutdownCause.Known) ShutdownCause.fromWire(cause);
        assertThat(describe(rules.processReset(in("running"), new Request.Reset(known)))).isEqualTo(expected);
    }

    @Test
    void causedByGuestFollowsQemusEnumOrder() {
        for (ShutdownCause.Known cause : ShutdownCause.Known.values()) {
            assertThat(RunStateRules.causedByGuest(cause)).as(cause.wireName())
                    .isEqualTo(cause.ordinal() >= ShutdownCause.Known.GUEST_SHUTDOWN.ordinal());
        }
    }

    @ParameterizedTest
    @EnumSource(RunState.Known.class)
    void processShutdownPoweringOffExitsAfterTheEvent(RunState.Known state) {
        String expected = "SHUTDOWN {\"guest\":true,\"reason\":\"guest-shutdown\"}"
                + (state == RunState.Known.RUNNING ? "; state shutdown" : "") + "; exit 0";
        Outcome outcome = rules.processShutdown(Situation.of(state),
                new Request.Shutdown(ShutdownCause.Known.GUEST_SHUTDOWN, false));
        assertThat(describe(outcome)).isEqualTo(expected);
        assertThat(outcome.exitStatus()).hasValue(0);
        assertThat(outcome.events()).containsExactly(new Event.Shutdown(true, ShutdownCause.Known.GUEST_SHUTDOWN));
    }

    @ParameterizedTest
    @EnumSource(RunState.Known.class)
    void processShutdownUnderNoShutdownStopsARunningGuestInShutdown(RunState.Known state) {
        RunStateRules noShutdown = new RunStateRules(ShutdownAction.PAUSE, RebootAction.RESET);
        String expected = "SHUTDOWN {\"guest\":false,\"reason\":\"host-qmp-system-reset\"}"
                + (state == RunState.Known.RUNNING ? "; state shutdown; STOP" : "");
        Outcome outcome = noShutdown.processShutdown(Situation.of(state),
                new Request.Shutdown(ShutdownCause.Known.HOST_QMP_SYSTEM_RESET, false));
        assertThat(describe(outcome)).isEqualTo(expected);
        assertThat(outcome.exitStatus()).isEmpty();
    }

    @Test
    void quitAndSignalsExitEvenUnderNoShutdown() {
        RunStateRules noShutdown = new RunStateRules(ShutdownAction.PAUSE, RebootAction.SHUTDOWN);
        Request.Shutdown quit = (Request.Shutdown) noShutdown.quit(in("running")).requests().get(0);
        assertThat(describe(noShutdown.processShutdown(in("running"), quit)))
                .isEqualTo("SHUTDOWN {\"guest\":false,\"reason\":\"host-qmp-quit\"}; state shutdown; exit 0");
        Request.Shutdown signal = (Request.Shutdown) noShutdown.signalRequest();
        assertThat(describe(noShutdown.processShutdown(in("paused"), signal)))
                .isEqualTo("SHUTDOWN {\"guest\":false,\"reason\":\"host-signal\"}; exit 0");
    }

    @Test
    void resetRequestsBecomeShutdownsUnderNoRebootExceptSubsystemResets() {
        RunStateRules noReboot = new RunStateRules(ShutdownAction.POWEROFF, RebootAction.SHUTDOWN);
        assertThat(noReboot.resetRequest(ShutdownCause.Known.GUEST_RESET))
                .isEqualTo(new Request.Shutdown(ShutdownCause.Known.GUEST_RESET, false));
        assertThat(noReboot.resetRequest(ShutdownCause.Known.SUBSYSTEM_RESET))
                .isEqualTo(new Request.Reset(ShutdownCause.Known.SUBSYSTEM_RESET));
        assertThat(rules.resetRequest(ShutdownCause.Known.GUEST_RESET))
                .isEqualTo(new Request.Reset(ShutdownCause.Known.GUEST_RESET));
        assertThat(rules.shutdownRequest(ShutdownCause.Known.GUEST_SHUTDOWN))
                .isEqualTo(new Request.Shutdown(ShutdownCause.Known.GUEST_SHUTDOWN, false));
    }

    @ParameterizedTest
    @EnumSource(RunState.Known.class)
    void processPowerdownSendsPowerdownAndPressesTheButtonInEveryState(RunState.Known state) {
        assertThat(describe(rules.processPowerdown(Situation.of(state)))).isEqualTo("POWERDOWN; power button");
    }

    @ParameterizedTest
    @EnumSource(RunState.Known.class)
    void vmStopActsOnlyOnARunningGuest(RunState.Known state) {
        String expected = state == RunState.Known.RUNNING ? "state io-error; STOP" : "nothing";
        assertThat(describe(rules.vmStop(Situation.of(state), RunState.Known.IO_ERROR))).isEqualTo(expected);
        assertThat(describe(rules.processVmStop(Situation.of(state), new Request.VmStop(RunState.Known.IO_ERROR))))
                .isEqualTo(expected);
        String forced = state == RunState.Known.RUNNING ? "state finish-migrate; STOP" : "state finish-migrate";
        assertThat(describe(rules.vmStopForce(Situation.of(state), RunState.Known.FINISH_MIGRATE))).isEqualTo(forced);
    }

    @Test
    void predicates() {
        for (RunState.Known state : RunState.Known.values()) {
            assertThat(RunStateRules.isRunning(state)).isEqualTo(state == RunState.Known.RUNNING);
            assertThat(RunStateRules.needsReset(state)).as(state.wireName()).isEqualTo(
                    Set.of(RunState.Known.SHUTDOWN, RunState.Known.INTERNAL_ERROR).contains(state));
        }
    }

    @Test
    void startingTheMachine() {
        assertThat(describe(rules.incomingOnCommandLine(in("prelaunch")))).isEqualTo("state inmigrate");
        assertThat(describe(rules.incomingOnCommandLine(in("inmigrate")))).isEqualTo("nothing");
        assertThat(describe(rules.start(in("prelaunch")))).isEqualTo("RESUME; state running");
        assertThat(describe(rules.start(in("prelaunch").withAutostart(false)))).isEqualTo("nothing");
        assertThat(describe(rules.start(in("inmigrate")))).isEqualTo("nothing");
    }

    @ParameterizedTest
    @EnumSource(RunState.Known.class)
    void migrationCommandsRunStateChecks(RunState.Known state) {
        String incoming = state == RunState.Known.INMIGRATE ? "nothing"
                : "GenericError: '-incoming' was not specified on the command line";
        assertThat(describe(rules.migration().migrateIncoming(Situation.of(state)))).isEqualTo(incoming);
        String migrate = switch (state) {
            case INMIGRATE -> "GenericError: Guest is waiting for an incoming migration";
            case POSTMIGRATE -> "GenericError: Can't migrate the vm that was paused due to previous migration";
            default -> "nothing";
        };
        assertThat(describe(rules.migration().migrate(Situation.of(state)))).isEqualTo(migrate);
    }

    @ParameterizedTest(name = "source {0}, autostart {1}, colo {2}: {3}")
    @CsvSource(delimiter = '|', textBlock = """
                           | true  | false | RESUME; state running
                           | false | false | state paused
            running        | true  | false | RESUME; state running
            running        | false | false | state paused
            paused         | true  | false | state paused
            paused         | false | false | state paused
            shutdown       | true  | false | state shutdown
            suspended      | false | false | state suspended
            guest-panicked | true  | false | state guest-panicked
            paused         | true  | true  | RESUME; state running
            paused         | false | true  | RESUME; state running
            """)
    void incomingMigrationDone(String source, boolean autostart, boolean colo, String expected) {
        RunState.Known sourceState = source == null ? null : (RunState.Known) RunState.fromWire(source);
        Outcome outcome = rules.migration().incomingMigrationDone(in("inmigrate").withAutostart(autostart), sourceState, colo);
        assertThat(describe(outcome)).isEqualTo(expected);
        assertThat(RunStateTable.allows(RunState.INMIGRATE, outcome.stateAfter(RunState.Known.INMIGRATE))).isTrue();
    }

    @ParameterizedTest(name = "completion in {0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            running        | state finish-migrate; STOP
            paused         | state finish-migrate
            prelaunch      | state finish-migrate
            suspended      | state running; state finish-migrate; STOP
            shutdown       | state finish-migrate
            """)
    void migrationCompletion(String state, String expected) {
        assertThat(describe(rules.migration().migrationCompletion(in(state)))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} in {1}, was running {2}: {3}")
    @CsvSource(delimiter = '|', textBlock = """
            COMPLETED | finish-migrate | true  | state postmigrate
            COMPLETED | finish-migrate | false | state postmigrate
            FAILED    | finish-migrate | true  | RESUME; state running
            CANCELLED | finish-migrate | true  | RESUME; state running
            FAILED    | finish-migrate | false | state postmigrate
            CANCELLED | finish-migrate | false | state postmigrate
            FAILED    | shutdown       | true  | nothing
            FAILED    | paused         | false | nothing
            FAILED    | running        | true  | nothing
            """)
    void migrationFinished(MigrationEnd end, String state, boolean wasRunning, String expected) {
        assertThat(describe(rules.migration().migrationFinished(in(state), end, wasRunning))).isEqualTo(expected);
    }

    @Test
    void outcomeHelpers() {
        Outcome outcome = rules.stop(in("running"));
        assertThat(outcome.events()).containsExactly(new Event.Stop());
        assertThat(outcome.stateAfter(RunState.Known.RUNNING)).isEqualTo(RunState.Known.PAUSED);
        assertThat(outcome.exitStatus()).isEmpty();
        assertThat(outcome.requests()).isEmpty();
        assertThatThrownBy(() -> new Outcome(org.qapi4j.qmp.QmpError.generic("x"), java.util.List.of(new Step.Exit(0))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

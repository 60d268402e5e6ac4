package org.qapi4j.vmm.runstate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.qapi4j.vmm.api.Event;
import org.qapi4j.vmm.api.RunState;
import org.qapi4j.vmm.api.ShutdownCause;
import org.qapi4j.vmm.api.StatusInfo;
import org.qapi4j.vmm.runstate.RunStateRules.RebootAction;
import org.qapi4j.vmm.runstate.RunStateRules.ShutdownAction;

class RunStateMachineTest {

    /** Records what a machine does through its effects. */
    static final class Recorder implements RunStateEffects {
        final List<String> log = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void emit(Event event) {
            log.add(Outcomes.describe(event));
        }

        @Override
        public void resetMachine(ShutdownCause.Known cause) {
            log.add("reset machine " + cause.wireName());
        }

        @Override
        public void pressPowerButton() {
            log.add("power button");
        }
    }

    /** A shortest path of allowed transitions from prelaunch to every state. */
    static Map<RunState.Known, List<RunState.Known>> paths() {
        Map<RunState.Known, List<RunState.Known>> paths = new EnumMap<>(RunState.Known.class);
        paths.put(RunState.Known.PRELAUNCH, List.of());
        Queue<RunState.Known> queue = new ArrayDeque<>(List.of(RunState.Known.PRELAUNCH));
        while (!queue.isEmpty()) {
            RunState.Known from = queue.remove();
            for (RunState.Known to : RunStateTable.targets(from)) {
                if (!paths.containsKey(to)) {
                    List<RunState.Known> path = new ArrayList<>(paths.get(from));
                    path.add(to);
                    paths.put(to, List.copyOf(path));
                    queue.add(to);
                }
            }
        }
        return paths;
    }

    static RunStateMachine machineIn(RunState.Known state, RunStateRules rules) {
        RunStateMachine machine = new RunStateMachine(rules, true);
        for (RunState.Known step : paths().get(state)) {
            machine.transition(step);
        }
        assertThat(machine.state()).isEqualTo(state);
        return machine;
    }

    @Test
    void startsInPrelaunchLikeQemu() {
        RunStateMachine machine = new RunStateMachine();
        assertThat(machine.state()).isEqualTo(RunState.Known.PRELAUNCH);
        assertThat(machine.autostart()).isTrue();
        assertThat(machine.isRunning()).isFalse();
        assertThat(machine.needsReset()).isFalse();
        assertThat(machine.status()).isEqualTo(new StatusInfo(false, false, RunState.PRELAUNCH));
        assertThat(new RunStateMachine(new RunStateRules(), false).autostart()).isFalse();
    }

    @Test
    void everyStateIsReachableFromPrelaunch() {
        assertThat(paths()).hasSize(RunState.Known.values().length);
    }

    @ParameterizedTest
    @EnumSource(RunState.Known.class)
    void predicatesAndStatusInEveryState(RunState.Known state) {
        RunStateMachine machine = machineIn(state, new RunStateRules());
        assertThat(machine.isRunning()).isEqualTo(state == RunState.Known.RUNNING);
        assertThat(machine.needsReset())
                .isEqualTo(state == RunState.Known.SHUTDOWN || state == RunState.Known.INTERNAL_ERROR);
        assertThat(machine.checkState(state)).isTrue();
        assertThat(machine.checkState(state == RunState.Known.DEBUG ? RunState.COLO : RunState.DEBUG)).isFalse();
        assertThat(machine.status()).isEqualTo(new StatusInfo(state == RunState.Known.RUNNING, false, state));
    }

    @ParameterizedTest
    @EnumSource(RunState.Known.class)
    void everyTransitionOutsideTheTableIsRefusedWithQemusWordsAndChangesNothing(RunState.Known from) {
        for (RunState.Known to : RunState.Known.values()) {
            RunStateMachine machine = machineIn(from, new RunStateRules());
            List<String> changes = new ArrayList<>();
            machine.addListener((a, b) -> changes.add(a.wireName() + " -> " + b.wireName()));
            if (from == to) {
                assertThat(machine.transition(to)).isFalse();
                assertThat(changes).isEmpty();
            } else if (RunStateTable.allows(from, to)) {
                assertThat(machine.transition(to)).isTrue();
                assertThat(changes).containsExactly(from.wireName() + " -> " + to.wireName());
                assertThat(machine.state()).isEqualTo(to);
            } else {
                assertThatThrownBy(() -> machine.transition(to))
                        .isInstanceOfSatisfying(IllegalRunStateTransition.class, e -> {
                            assertThat(e).hasMessage("invalid runstate transition: '" + from.wireName() + "' -> '"
                                    + to.wireName() + "'");
                            assertThat(e.from()).isEqualTo(from);
                            assertThat(e.to()).isEqualTo(to);
                        });
                assertThat(machine.state()).isEqualTo(from);
                assertThat(changes).isEmpty();
            }
        }
    }

    @Test
    void anUnknownStateIsNotAState() {
        RunStateMachine machine = new RunStateMachine();
        assertThatThrownBy(() -> machine.transition(RunState.fromWire("hibernating")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("unknown run state 'hibernating'");
    }

    @Test
    void listenersAreToldInOrderAndCanBeRemoved() throws Exception {
        RunStateMachine machine = new RunStateMachine();
        List<String> seen = new ArrayList<>();
        AutoCloseable first = machine.addListener((from, to) -> seen.add("1 " + from.wireName() + ">" + to.wireName()));
        machine.addListener((from, to) -> seen.add("2 " + from.wireName() + ">" + to.wireName()));
        machine.transition(RunState.RUNNING);
        first.close();
        machine.transition(RunState.PAUSED);
        assertThat(seen).containsExactly("1 prelaunch>running", "2 prelaunch>running", "2 running>paused");
    }

    @Test
    void aThrowingListenerDoesNotKeepOthersFromBeingToldAndItsExceptionComesThrough() {
        RunStateMachine machine = new RunStateMachine();
        List<String> seen = new ArrayList<>();
        machine.addListener((from, to) -> {
            throw new IllegalStateException("listener bug");
        });
        machine.addListener((from, to) -> seen.add(to.wireName()));
        assertThatThrownBy(() -> machine.transition(RunState.RUNNING)).hasMessage("listener bug");
        assertThat(seen).containsExactly("running");
        assertThat(machine.state()).isEqualTo(RunState.Known.RUNNING);
    }

    @Test
    void aListenerMustNotChangeTheRunState() {
        RunStateMachine machine = new RunStateMachine();
        machine.addListener((from, to) -> {
            if (to == RunState.Known.RUNNING) {
                machine.transition(RunState.PAUSED);
            }
        });
        assertThatThrownBy(() -> machine.transition(RunState.RUNNING)).isInstanceOf(IllegalStateException.class)
                .hasMessage("a run state listener must not change the run state");
        assertThat(machine.state()).isEqualTo(RunState.Known.RUNNING);
        // The machine stays usable.
        machine.transition(RunState.FINISH_MIGRATE);
        assertThat(machine.state()).isEqualTo(RunState.Known.FINISH_MIGRATE);
    }

    @Test
    void executeAppliesStepsInOrderWithListenersBetweenEvents() {
        RunStateMachine machine = new RunStateMachine(new RunStateRules(), false);
        Recorder effects = new Recorder();
        machine.addListener((from, to) -> effects.log.add("changed to " + to.wireName()));
        RunStateRules rules = machine.rules();

        assertThat(machine.execute(rules::cont, effects).isOk()).isTrue();
        assertThat(machine.execute(rules::stop, effects).isOk()).isTrue();
        assertThat(machine.execute(rules::stop, effects).isOk()).isTrue();
        assertThat(effects.log).containsExactly("RESUME", "changed to running", "changed to paused", "STOP");
        assertThat(machine.state()).isEqualTo(RunState.Known.PAUSED);
    }

    @Test
    void aFailedRuleChangesNothing() {
        RunStateMachine machine = machineIn(RunState.Known.SHUTDOWN, new RunStateRules());
        Recorder effects = new Recorder();
        Outcome outcome = machine.execute(machine.rules()::cont, effects);
        assertThat(outcome.error().description()).isEqualTo("Resetting the Virtual Machine is required");
        assertThat(effects.log).isEmpty();
        assertThat(machine.state()).isEqualTo(RunState.Known.SHUTDOWN);
    }

    @Test
    void stopAndContInInmigrateOnlyChangeAutostart() {
        RunStateMachine machine = new RunStateMachine();
        Recorder effects = new Recorder();
        machine.execute(machine.rules()::incomingOnCommandLine, effects);
        machine.execute(machine.rules()::stop, effects);
        assertThat(machine.autostart()).isFalse();
        machine.execute(machine.rules()::cont, effects);
        assertThat(machine.autostart()).isTrue();
        assertThat(machine.state()).isEqualTo(RunState.Known.INMIGRATE);
        assertThat(effects.log).isEmpty();
    }

    @Test
    void systemResetActsOnlyWhenTheMainLoopProcessesItsRequest() {
        RunStateMachine machine = machineIn(RunState.Known.PAUSED, new RunStateRules());
        AtomicInteger wakeUps = new AtomicInteger();
        machine.onRequest(wakeUps::incrementAndGet);
        Recorder effects = new Recorder();

        machine.execute(machine.rules()::systemReset, effects);
        assertThat(effects.log).isEmpty();
        assertThat(machine.state()).isEqualTo(RunState.Known.PAUSED);
        assertThat(machine.hasPendingRequests()).isTrue();
        assertThat(wakeUps).hasValue(1);

        assertThat(machine.processRequests(effects)).isEmpty();
        assertThat(effects.log).containsExactly("reset machine host-qmp-system-reset",
                "RESET {\"guest\":false,\"reason\":\"host-qmp-system-reset\"}");
        assertThat(machine.state()).isEqualTo(RunState.Known.PRELAUNCH);
        assertThat(machine.hasPendingRequests()).isFalse();
        assertThat(machine.processRequests(effects)).isEmpty();
        assertThat(effects.log).hasSize(2);
    }

    @Test
    void requestsAreProcessedShutdownFirstThenResetPowerdownAndStop() {
        RunStateMachine machine = machineIn(RunState.Known.RUNNING,
                new RunStateRules(ShutdownAction.PAUSE, RebootAction.RESET));
        Recorder effects = new Recorder();
        machine.post(new Request.VmStop(RunState.Known.IO_ERROR));
        machine.post(new Request.Powerdown());
        machine.post(new Request.Reset(ShutdownCause.Known.GUEST_RESET));
        machine.post(new Request.Shutdown(ShutdownCause.Known.HOST_UI, false));
        machine.post(new Request.Shutdown(ShutdownCause.Known.GUEST_SHUTDOWN, false)); // replaces host-ui

        assertThat(machine.processRequests(effects)).isEmpty();
        assertThat(effects.log).containsExactly(
                "SHUTDOWN {\"guest\":true,\"reason\":\"guest-shutdown\"}",
                "STOP",
                "reset machine guest-reset",
                "RESET {\"guest\":true,\"reason\":\"guest-reset\"}",
                "POWERDOWN",
                "power button");
        // The reset left shutdown for prelaunch; the stop finds the guest not running.
        assertThat(machine.state()).isEqualTo(RunState.Known.PRELAUNCH);
        assertThat(machine.hasPendingRequests()).isFalse();
    }

    @Test
    void aShutdownThatPowersOffStopsProcessingAndReportsTheExitStatus() {
        RunStateMachine machine = machineIn(RunState.Known.RUNNING, new RunStateRules());
        Recorder effects = new Recorder();
        machine.execute(machine.rules()::quit, effects);
        machine.post(new Request.Powerdown());
        assertThat(machine.processRequests(effects)).hasValue(0);
        assertThat(effects.log).containsExactly("SHUTDOWN {\"guest\":false,\"reason\":\"host-qmp-quit\"}");
        assertThat(machine.state()).isEqualTo(RunState.Known.SHUTDOWN);
        assertThat(machine.hasPendingRequests()).isTrue(); // the power-down is never acted on
    }

    @Test
    void aVirtualCpusStopIsActedOnByTheMainLoopOrDroppedByCont() {
        RunStateMachine machine = machineIn(RunState.Known.RUNNING, new RunStateRules());
        Recorder effects = new Recorder();
        machine.post(new Request.VmStop(RunState.Known.IO_ERROR));
        assertThat(machine.situation().pendingVmStop()).isEqualTo(RunState.Known.IO_ERROR);
        machine.processRequests(effects);
        assertThat(machine.state()).isEqualTo(RunState.Known.IO_ERROR);
        assertThat(effects.log).containsExactly("STOP");

        machine.execute(machine.rules()::cont, effects);
        machine.post(new Request.VmStop(RunState.Known.WATCHDOG));
        machine.execute(machine.rules()::cont, effects);
        assertThat(machine.situation().pendingVmStop()).isNull();
        machine.processRequests(effects);
        assertThat(machine.state()).isEqualTo(RunState.Known.RUNNING);
        assertThat(effects.log).containsExactly("STOP", "RESUME", "STOP", "RESUME");
    }

    @Test
    void anIllegalStepFromARuleIsRefused() {
        RunStateMachine machine = machineIn(RunState.Known.SHUTDOWN, new RunStateRules());
        Recorder effects = new Recorder();
        assertThatThrownBy(() -> machine.execute(machine.rules()::vmStart, effects))
                .isInstanceOf(IllegalRunStateTransition.class)
                .hasMessage("invalid runstate transition: 'shutdown' -> 'running'");
        assertThat(machine.state()).isEqualTo(RunState.Known.SHUTDOWN);
    }

    @Test
    void concurrentStopsAndContsKeepStateEventsAndListenersConsistent() throws Exception {
        RunStateMachine machine = new RunStateMachine();
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        List<String> changes = Collections.synchronizedList(new ArrayList<>());
        machine.addListener((from, to) -> changes.add(from.wireName() + ">" + to.wireName()));
        RunStateEffects effects = event -> events.add(event.eventName());
        int threads = 4;
        int rounds = 2000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            boolean stopper = t % 2 == 0;
            futures.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < rounds; i++) {
                    machine.execute(stopper ? machine.rules()::stop : machine.rules()::cont, effects);
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        // Each change continues from where the previous one left: no update was lost or torn.
        String at = "prelaunch";
        for (String change : changes) {
            assertThat(change).startsWith(at + ">");
            at = change.substring(change.indexOf('>') + 1);
        }
        assertThat(at).isEqualTo(machine.state().wireName());
        // Every change into running came with one RESUME, every change into paused with one STOP.
        long resumes = events.stream().filter("RESUME"::equals).count();
        long stops = events.stream().filter("STOP"::equals).count();
        assertThat(resumes).isEqualTo(changes.stream().filter(c -> c.endsWith(">running")).count());
        assertThat(stops).isEqualTo(changes.stream().filter(c -> c.endsWith(">paused")).count());
        assertThat(resumes - stops).isEqualTo(machine.isRunning() ? 1 : 0);
    }
}

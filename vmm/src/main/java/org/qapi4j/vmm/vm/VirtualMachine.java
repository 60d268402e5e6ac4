package org.qapi4j.vmm.vm;

import java.util.Objects;
import java.util.OptionalInt;
import java.util.function.IntConsumer;
import org.qapi4j.qmp.event.EventSink;
import org.qapi4j.qmp.loop.MainLoop;
import org.qapi4j.vmm.api.Event;
import org.qapi4j.vmm.api.RunState;
import org.qapi4j.vmm.api.ShutdownCause;
import org.qapi4j.vmm.api.StatusInfo;
import org.qapi4j.vmm.machine.Machine;
import org.qapi4j.vmm.runstate.Outcome;
import org.qapi4j.vmm.runstate.Request;
import org.qapi4j.vmm.runstate.RunStateEffects;
import org.qapi4j.vmm.runstate.RunStateMachine;

/**
 * The machine under QEMU 7.2's run-state rules: what a rule decides ({@link RunStateMachine})
 * happens to the machine (its vCPU runs exactly while the state is {@code running}; resets and
 * the power button reach its devices) and to the monitors (events), and the process ends when a
 * shutdown says so.
 *
 * <p>Runs on the main loop, as QEMU's main loop and monitor commands do. What the guest asks for
 * on its vCPU thread (a shutdown, a failure) is handed to the main loop first: the vCPU never
 * takes the run state's lock, which the main loop may hold while it waits for the vCPU to stop.
 *
 * <p>Requests a command leaves (reset, power button, shutdown) are served before the command
 * answers. QEMU serves them in its main loop after the command ran, but runs a command in a
 * coroutine that answers only after the main loop's next pass, so its clients see RESET,
 * POWERDOWN and SHUTDOWN before the answer (verified against QEMU 7.2 in {@code
 * QemuDifferentialTest}).
 */
public final class VirtualMachine implements RunStateEffects {
    private final Machine machine;
    private final RunStateMachine runState;
    private final EventSink events;
    private final MainLoop mainLoop;
    private final IntConsumer exit;

    /**
     * @param exit ends the process with a status, after what the monitors were sent (called on
     *     the main loop)
     */
    public VirtualMachine(Machine machine, RunStateMachine runState, EventSink events, MainLoop mainLoop,
            IntConsumer exit) {
        this.machine = Objects.requireNonNull(machine, "machine");
        this.runState = Objects.requireNonNull(runState, "runState");
        this.events = Objects.requireNonNull(events, "events");
        this.mainLoop = Objects.requireNonNull(mainLoop, "mainLoop");
        this.exit = Objects.requireNonNull(exit, "exit");
        runState.addListener(this::runStateChanged);
        runState.onRequest(() -> mainLoop.execute(this::processRequests));
        machine.setShutdownListener(() -> mainLoop.execute(
                () -> runState.post(runState.rules().shutdownRequest(ShutdownCause.Known.GUEST_SHUTDOWN))));
        machine.setFailureListener(failure -> mainLoop.execute(
                () -> runState.post(new Request.VmStop(RunState.Known.INTERNAL_ERROR))));
    }

    public RunStateMachine runState() {
        return runState;
    }

    public Machine machine() {
        return machine;
    }

    /** {@code query-status}'s answer. */
    public StatusInfo status() {
        return runState.status();
    }

    /**
     * Decides with {@code rule} and acts on it, requests included; a failed rule changes nothing.
     *
     * @return the outcome, whose error the command answers ({@link Outcome#orThrow()})
     */
    public Outcome execute(RunStateMachine.Rule rule) {
        Outcome outcome = runState.execute(rule, this);
        if (outcome.isOk()) {
            processRequests();
        }
        return outcome;
    }

    /** Serves the pending requests in QEMU's order, and ends the process when one says so. */
    public void processRequests() {
        OptionalInt status = runState.processRequests(this);
        if (status.isPresent()) {
            machine.pause();
            exit.accept(status.getAsInt());
        }
    }

    @Override
    public void emit(Event event) {
        events.emit(event);
    }

    /** QEMU pauses every vCPU around a reset; a guest that ran runs on. */
    @Override
    public void resetMachine(ShutdownCause.Known cause) {
        boolean wasRunning = machine.isRunning();
        machine.pause();
        machine.reset();
        if (wasRunning) {
            machine.resume();
        }
    }

    @Override
    public void pressPowerButton() {
        machine.powerdown();
    }

    /** The vCPU runs exactly while the state is {@code running} (QEMU's vm_start and vm_stop). */
    private void runStateChanged(RunState.Known from, RunState.Known to) {
        if (to == RunState.Known.RUNNING) {
            machine.resume();
        } else if (from == RunState.Known.RUNNING) {
            machine.pause();
        }
    }

    /** The main loop the machine's work runs on. */
    public MainLoop mainLoop() {
        return mainLoop;
    }
}

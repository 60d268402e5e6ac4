package org.qapi4j.vmm.runstate;

import java.util.Objects;
import org.qapi4j.vmm.api.Event;
import org.qapi4j.vmm.api.RunState;
import org.qapi4j.vmm.api.ShutdownCause;

/**
 * One thing a rule does, in the order QEMU does it: the steps of an {@link Outcome} are a script
 * that {@link RunStateMachine#execute} follows. The order matters where a client can see it: for
 * {@code stop} QEMU changes the state before it sends STOP, for {@code cont} it sends RESUME
 * before the state becomes {@code running}.
 */
public sealed interface Step {
    /**
     * Enter {@code to} ({@code runstate_set}); nothing happens when the machine is already in it,
     * and a transition outside {@link RunStateTable} is a bug ({@link IllegalRunStateTransition}).
     */
    record SetState(RunState.Known to) implements Step {
        public SetState {
            Objects.requireNonNull(to, "to");
        }
    }

    /** Send {@code event} to the monitors. */
    record Emit(Event event) implements Step {
        public Emit {
            Objects.requireNonNull(event, "event");
        }
    }

    /**
     * Set whether the guest starts on its own once an incoming migration has completed (QEMU's
     * {@code autostart}; {@code -S} clears it at start).
     */
    record SetAutostart(boolean autostart) implements Step {
    }

    /** Leave {@code request} for the main loop ({@link RunStateMachine#processRequests}). */
    record Post(Request request) implements Step {
        public Post {
            Objects.requireNonNull(request, "request");
        }
    }

    /**
     * Forget a pending {@link Request.VmStop}: starting the guest consumes it ({@code
     * vm_prepare_start} reads and clears QEMU's {@code vmstop_requested}).
     */
    record DropVmStopRequest() implements Step {
    }

    /**
     * Reset the machine's devices and processor ({@code qemu_system_reset}: the board's reset
     * handler); the machine does it through {@link RunStateEffects#resetMachine}.
     */
    record ResetMachine(ShutdownCause.Known cause) implements Step {
        public ResetMachine {
            Objects.requireNonNull(cause, "cause");
        }
    }

    /**
     * Tell the guest its power button was pressed (QEMU's power-down notifiers, such as the ACPI
     * power button); the guest decides what to do, through {@link
     * RunStateEffects#pressPowerButton}.
     */
    record PowerButton() implements Step {
    }

    /** End the process with {@code status}, after every step before this one. */
    record Exit(int status) implements Step {
    }
}

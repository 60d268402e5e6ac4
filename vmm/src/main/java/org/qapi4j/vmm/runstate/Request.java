package org.qapi4j.vmm.runstate;

import java.util.Objects;
import org.qapi4j.vmm.api.RunState;
import org.qapi4j.vmm.api.ShutdownCause;

/**
 * Something asked of the main loop: QEMU records shutdown, reset, power-down and stop requests
 * in {@code softmmu/runstate.c} and acts on them in {@code main_loop_should_exit}, after the
 * command or guest action that made them has returned. The client still sees RESET, POWERDOWN
 * and SHUTDOWN before the command's answer: QEMU answers from a coroutine that resumes only
 * after that main loop pass (measured against QEMU 7.2: 100 of 100 times). The VMM serves the
 * requests a command leaves before answering it ({@code VirtualMachine#execute}).
 *
 * <p>A {@link RunStateMachine} keeps one pending request of each kind: a newer request of the
 * same kind replaces the older one, as QEMU's request variables do.
 */
public sealed interface Request {
    /**
     * Shut the machine down ({@code qemu_system_shutdown_request}, or {@code qmp_quit} and {@code
     * qemu_system_killed}, which also force the process to exit).
     *
     * @param cause why, reported in the SHUTDOWN event
     * @param forceExit whether the process exits even when the machine was told to pause on
     *     shutdown ({@code -no-shutdown}): true for {@code quit} and for a signal
     */
    record Shutdown(ShutdownCause.Known cause, boolean forceExit) implements Request {
        public Shutdown {
            Objects.requireNonNull(cause, "cause");
        }
    }

    /**
     * Reset the machine ({@code qemu_system_reset_request} when the reboot action is to reset).
     *
     * @param cause why, reported in the RESET event
     */
    record Reset(ShutdownCause.Known cause) implements Request {
        public Reset {
            Objects.requireNonNull(cause, "cause");
        }
    }

    /** Press the power button ({@code qemu_system_powerdown_request}). */
    record Powerdown() implements Request {
    }

    /**
     * Stop the guest in {@code state}, asked from a virtual CPU's thread ({@code vm_stop} there
     * becomes {@code qemu_system_vmstop_request}); acted on only if the guest still runs then.
     *
     * @param state the state to stop in, such as {@code io-error} or {@code watchdog}
     */
    record VmStop(RunState.Known state) implements Request {
        public VmStop {
            Objects.requireNonNull(state, "state");
        }
    }
}

package org.qapi4j.vmm.runstate;

import org.qapi4j.vmm.api.RunState;

/**
 * Told of each run state change of a {@link RunStateMachine}, on the thread that made it, while
 * the machine holds its lock, before the steps after the change run. QEMU's closest counterpart
 * is a VM change-state handler ({@code qemu_add_vm_change_state_handler}), which QEMU calls only
 * when the guest starts or stops running; a listener here sees every change and can compare
 * {@code from} and {@code to} itself. A listener must not change the run state.
 */
@FunctionalInterface
public interface RunStateListener {
    /** The machine went from {@code from} to {@code to} (never equal). */
    void runStateChanged(RunState.Known from, RunState.Known to);
}

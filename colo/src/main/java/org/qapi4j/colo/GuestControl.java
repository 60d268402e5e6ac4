package org.qapi4j.colo;

import java.util.concurrent.CompletableFuture;
import org.qapi4j.vmm.api.RunState;
import org.qapi4j.vmm.vm.VirtualMachine;

/**
 * Stops and starts the guest for COLO as QEMU's COLO thread does, through the run-state rules
 * on the main loop: {@code vm_stop_force_state(RUN_STATE_COLO)} for a checkpoint (STOP if it
 * ran), {@code vm_start} after it (RESUME). Blocks the calling COLO thread until done.
 */
public final class GuestControl {
    private final VirtualMachine vm;

    public GuestControl(VirtualMachine vm) {
        this.vm = vm;
    }

    public void stopForCheckpoint() {
        CompletableFuture.runAsync(() -> vm.execute(
                situation -> vm.runState().rules().vmStopForce(situation, RunState.Known.COLO)).orThrow(),
                vm.mainLoop()).join();
    }

    public void start() {
        CompletableFuture.runAsync(() -> vm.execute(vm.runState().rules()::vmStart).orThrow(), vm.mainLoop()).join();
    }

    public boolean isRunning() {
        return vm.runState().isRunning();
    }

    public VirtualMachine vm() {
        return vm;
    }
}

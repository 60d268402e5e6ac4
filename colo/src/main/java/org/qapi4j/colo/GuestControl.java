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

    /**
     * The secondary's failover in one task of the main loop: the guest stopped if it runs (STOP),
     * {@code leaveColo} run, the guest started (RESUME). Doing it as {@link #stopForCheckpoint}
     * then {@link #start} would wait for the main loop twice; every wait is a thread hand-off,
     * and on a busy host those were a good part of the time until the survivor's first answer.
     * {@code leaveColo} must not wait for the main loop itself.
     */
    public void failover(Runnable leaveColo) {
        CompletableFuture.runAsync(() -> {
            if (vm.runState().isRunning()) {
                vm.execute(situation -> vm.runState().rules().vmStopForce(situation, RunState.Known.COLO)).orThrow();
            }
            leaveColo.run();
            vm.execute(vm.runState().rules()::vmStart).orThrow();
        }, vm.mainLoop()).join();
    }

    public boolean isRunning() {
        return vm.runState().isRunning();
    }

    public VirtualMachine vm() {
        return vm;
    }
}

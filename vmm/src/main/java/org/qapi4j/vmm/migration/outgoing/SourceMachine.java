package org.qapi4j.vmm.migration.outgoing;

import org.qapi4j.vmm.machine.Machine;
import org.qapi4j.vmm.runstate.MigrationRunStateRules.MigrationEnd;

/**
 * What an outgoing migration needs of the VMM around it: the machine, and the run-state steps
 * that QEMU takes on its main loop at the switch-over and at the end. The VMM implements it; the
 * migration thread calls it.
 */
public interface SourceMachine {
    /** What the switch-over stopped. */
    record Stopped(String runState, boolean wasRunning) {}

    Machine machine();

    /**
     * Stops the guest for the switch-over ({@code finish-migrate}, STOP if it ran), returning
     * once its vCPU stands still; blocks the calling thread until the main loop did it.
     *
     * @return the run state to send the destination (QEMU's global state), and whether it ran
     */
    Stopped stopForSwitchover();

    /**
     * The migration ended: completed ({@code postmigrate}), or failed or cancelled (a guest that
     * ran before the switch-over runs again). Returns without waiting for the main loop.
     */
    void finished(MigrationEnd end, boolean wasRunning);
}

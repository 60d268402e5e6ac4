package org.qapi4j.vmm.migration.incoming;

import org.qapi4j.vmm.machine.Machine;

/**
 * What an incoming migration needs of the VMM around it: the machine to load into, and what
 * QEMU does on its main loop once the guest is loaded or the load failed. The VMM implements it;
 * the migration thread calls it.
 */
public interface DestinationMachine {
    Machine machine();

    /**
     * The guest is loaded and the source gave it up: enter the run state QEMU 7.2 enters ({@code
     * process_incoming_migration_bh}: run, or stay paused, or take the source's state). Blocks
     * until the main loop did it.
     *
     * @param sourceRunState the run state the source had (QEMU's global state)
     * @param colo whether COLO begins: the guest then starts here too
     */
    void loaded(String sourceRunState, boolean colo);

    /** Whether capability {@code x-colo} is on here: a stream asking for COLO needs it. */
    boolean coloEnabled();

    /**
     * The load failed: as QEMU's destination, say why on standard error and end the process with
     * status 1; the guest never runs here. Returns without waiting.
     */
    void loadFailed(String reason);
}

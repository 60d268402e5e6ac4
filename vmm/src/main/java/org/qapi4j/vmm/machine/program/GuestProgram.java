package org.qapi4j.vmm.machine.program;

/**
 * A guest program: the machine's software, as a step function over the {@link Board}.
 *
 * <p>The rule that makes machines movable: a program keeps nothing in Java fields between
 * steps. Whatever it must remember (where it is in its boot, its data, its counters) it writes
 * to guest RAM or leaves in a device, so that copying RAM and device state to another machine
 * moves the running program. Final fields holding configuration are allowed; they are read only
 * at boot, which copies what it needs into RAM. A zeroed RAM is a program at power-on: its first
 * step boots it.
 *
 * <p>A step must be short (bounded work, no blocking beyond disk I/O), since pausing the machine
 * waits for the step in progress.
 */
public interface GuestProgram {
    /** The program's name, as in {@code MachineConfig#program()}. */
    String name();

    /** Runs one step. Called on the vCPU thread only, one step at a time. */
    StepResult step(Board board);
}

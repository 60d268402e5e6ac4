package org.qapi4j.vmm.migration;

/**
 * Points of an outgoing migration where a test can inject a fault into the source (die, stop,
 * wait): installed with {@link MigrationService#faults} by whoever acts the faults out (the COLO
 * module does, from {@code --colo-fault at=precopy-pass:N} and {@code at=switchover}). Called on
 * the migration thread; the default does nothing, which is what a VMM without faults runs.
 */
public interface MigrationFaults {
    /** No faults. */
    MigrationFaults NONE = new MigrationFaults() { };

    /** The start of precopy pass {@code pass} (1: the first pass, which sends every page). */
    default void precopyPass(long pass) {
    }

    /** The guest has just been stopped for the switch-over, before the last pages go. */
    default void switchover() {
    }
}

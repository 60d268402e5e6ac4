package org.qapi4j.vmm.runstate;

import java.util.Objects;
import org.qapi4j.qmp.event.EventSink;
import org.qapi4j.vmm.api.Event;
import org.qapi4j.vmm.api.ShutdownCause;

/**
 * What a {@link RunStateMachine} cannot do itself while it follows an {@link Outcome}: send
 * events, reset the machine, press its power button. It calls these while it holds its lock
 * (QEMU holds its big lock for the same work), so they must be quick and must not wait for
 * another thread that needs the machine: hand the work on.
 */
public interface RunStateEffects {
    /** Sends {@code event} to the monitors ({@link Step.Emit}). */
    void emit(Event event);

    /** Resets devices and processor ({@link Step.ResetMachine}); nothing by default. */
    default void resetMachine(ShutdownCause.Known cause) {
    }

    /** Tells the guest its power button was pressed ({@link Step.PowerButton}); nothing by default. */
    default void pressPowerButton() {
    }

    /** Effects that only send events, to {@code sink}. */
    static RunStateEffects events(EventSink sink) {
        Objects.requireNonNull(sink, "sink");
        return sink::emit;
    }
}

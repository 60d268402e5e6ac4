package org.qapi4j.vmm.runstate;

import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.qapi4j.vmm.api.RunState;

/**
 * What the rules look at: QEMU's globals {@code current_run_state}, {@code autostart} and {@code
 * vmstop_requested}, read together.
 *
 * @param state the current run state
 * @param autostart whether the guest starts on its own after an incoming migration (and at start,
 *     unless {@code -S})
 * @param pendingVmStop the state of a stop a virtual CPU asked for that the main loop has not
 *     acted on yet; null when none
 */
public record Situation(RunState.Known state, boolean autostart, RunState.@Nullable Known pendingVmStop) {
    public Situation {
        Objects.requireNonNull(state, "state");
    }

    /** {@code state}, with autostart on and no pending stop. */
    public static Situation of(RunState.Known state) {
        return new Situation(state, true, null);
    }

    /** This situation with {@code autostart}. */
    public Situation withAutostart(boolean autostart) {
        return new Situation(state, autostart, pendingVmStop);
    }
}

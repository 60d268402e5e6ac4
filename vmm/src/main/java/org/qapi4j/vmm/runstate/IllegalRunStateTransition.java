package org.qapi4j.vmm.runstate;

import java.util.Objects;
import org.qapi4j.vmm.api.RunState;

/**
 * A run state transition outside {@link RunStateTable}: a bug in the VMM, never a client's
 * mistake. QEMU reports it and aborts ({@code runstate_set} in {@code softmmu/runstate.c}); our
 * VMM must never attempt one either, so nothing is meant to catch this but a last-resort handler
 * that ends the process. Its message is QEMU's: {@code invalid runstate transition: 'running' ->
 * 'inmigrate'}.
 */
public final class IllegalRunStateTransition extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient RunState from;
    private final transient RunState to;

    public IllegalRunStateTransition(RunState from, RunState to) {
        super("invalid runstate transition: '" + Objects.requireNonNull(from, "from").wireName()
                + "' -> '" + Objects.requireNonNull(to, "to").wireName() + "'");
        this.from = from;
        this.to = to;
    }

    /** The state the machine was in, and stays in. */
    public RunState from() {
        return from;
    }

    /** The state that was asked for. */
    public RunState to() {
        return to;
    }
}

package org.qapi4j.vmm.machine.program;

/**
 * What a guest program's step asks of the vCPU next, like the instruction a CPU stops on.
 *
 * @param kind run on, halt, or power off
 * @param wakeAt for {@link Kind#HALT}: the guest time (virtual nanoseconds) to wake at, or
 *     {@link Long#MAX_VALUE} to wait for a device event only
 */
public record StepResult(Kind kind, long wakeAt) {
    /** The kinds of step outcome. */
    public enum Kind {
        /** Step again at once: there is more work. */
        CONTINUE,
        /** Wait until {@code wakeAt} or a device interrupt (NIC input, power button), whichever first. */
        HALT,
        /** The guest has shut down: the vCPU stops and the machine reports it. */
        SHUTDOWN
    }

    public static final StepResult CONTINUE = new StepResult(Kind.CONTINUE, 0);
    public static final StepResult WAIT_FOR_EVENT = new StepResult(Kind.HALT, Long.MAX_VALUE);
    public static final StepResult SHUTDOWN = new StepResult(Kind.SHUTDOWN, 0);

    /** Halt until guest time {@code guestNanos} or an interrupt. */
    public static StepResult haltUntil(long guestNanos) {
        return new StepResult(Kind.HALT, guestNanos);
    }
}

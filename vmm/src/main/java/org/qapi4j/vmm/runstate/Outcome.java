package org.qapi4j.vmm.runstate;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;
import org.qapi4j.qmp.QmpError;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.vmm.api.Event;
import org.qapi4j.vmm.api.RunState;

/**
 * What a rule decided: either an error, QEMU's class and text, with nothing done; or success
 * and the {@link Step}s to take, in order (none when the command changes nothing).
 *
 * @param error the error to answer; null on success
 * @param steps what to do, in order; empty on failure
 */
public record Outcome(@Nullable QmpError error, List<Step> steps) {
    public Outcome {
        steps = List.copyOf(steps);
        if (error != null && !steps.isEmpty()) {
            throw new IllegalArgumentException("a failed rule does nothing: " + steps);
        }
    }

    /** Success, with {@code steps}. */
    public static Outcome ok(Step... steps) {
        return new Outcome(null, List.of(steps));
    }

    /** Success, with {@code steps}. */
    public static Outcome ok(List<Step> steps) {
        return new Outcome(null, steps);
    }

    /** A {@code GenericError} with {@code description}. */
    public static Outcome fail(String description) {
        return new Outcome(QmpError.generic(description), List.of());
    }

    /** Whether the rule succeeded. */
    public boolean isOk() {
        return error == null;
    }

    /** Throws the error as a {@link QmpException}, the way a command handler answers it. */
    public Outcome orThrow() {
        if (error != null) {
            throw new QmpException(error);
        }
        return this;
    }

    /** The events the steps send, in order. */
    public List<Event> events() {
        return steps.stream().filter(Step.Emit.class::isInstance).map(step -> ((Step.Emit) step).event())
                .toList();
    }

    /** The requests the steps leave for the main loop, in order. */
    public List<Request> requests() {
        return steps.stream().filter(Step.Post.class::isInstance).map(step -> ((Step.Post) step).request())
                .toList();
    }

    /** The state the steps leave a machine in that was in {@code before}. */
    public RunState.Known stateAfter(RunState.Known before) {
        RunState.Known state = Objects.requireNonNull(before, "before");
        for (Step step : steps) {
            if (step instanceof Step.SetState set) {
                state = set.to();
            }
        }
        return state;
    }

    /** The exit status, when a step ends the process. */
    public OptionalInt exitStatus() {
        return steps.stream().filter(Step.Exit.class::isInstance).mapToInt(step -> ((Step.Exit) step).status())
                .findFirst();
    }

    /** This outcome followed by {@code more}'s steps; a failure stays as it is. */
    Outcome then(Outcome more) {
        if (!isOk()) {
            return this;
        }
        if (!more.isOk()) {
            return more;
        }
        return ok(java.util.stream.Stream.concat(steps.stream(), more.steps.stream()).toList());
    }
}

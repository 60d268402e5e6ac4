package org.qapi4j.vmm.runstate;

import static org.qapi4j.vmm.api.RunState.Known.COLO;
import static org.qapi4j.vmm.api.RunState.Known.DEBUG;
import static org.qapi4j.vmm.api.RunState.Known.FINISH_MIGRATE;
import static org.qapi4j.vmm.api.RunState.Known.GUEST_PANICKED;
import static org.qapi4j.vmm.api.RunState.Known.INMIGRATE;
import static org.qapi4j.vmm.api.RunState.Known.INTERNAL_ERROR;
import static org.qapi4j.vmm.api.RunState.Known.IO_ERROR;
import static org.qapi4j.vmm.api.RunState.Known.PAUSED;
import static org.qapi4j.vmm.api.RunState.Known.POSTMIGRATE;
import static org.qapi4j.vmm.api.RunState.Known.PRELAUNCH;
import static org.qapi4j.vmm.api.RunState.Known.RESTORE_VM;
import static org.qapi4j.vmm.api.RunState.Known.RUNNING;
import static org.qapi4j.vmm.api.RunState.Known.SAVE_VM;
import static org.qapi4j.vmm.api.RunState.Known.SHUTDOWN;
import static org.qapi4j.vmm.api.RunState.Known.SUSPENDED;
import static org.qapi4j.vmm.api.RunState.Known.WATCHDOG;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.qapi4j.vmm.api.RunState;

/**
 * The run state transitions QEMU 7.2 allows: the table {@code runstate_transitions_def} of
 * {@code softmmu/runstate.c} at v7.2.0 (commit b67b00e6b4c7), 71 distinct pairs over the 16
 * states.
 *
 * <p>What the table says, in short:
 * <ul>
 *   <li>Every state but {@code running} and {@code save-vm} can go back to {@code prelaunch}:
 *       that is where a system reset leaves a machine that was not running.
 *   <li>{@code finish-migrate}, the stop at the end of an outgoing migration, can be entered from
 *       every state but {@code colo}, {@code restore-vm}, {@code save-vm} and itself.
 *   <li>Only {@code running} enters {@code debug}, {@code save-vm}, {@code restore-vm} and
 *       (beside {@code inmigrate}) {@code internal-error}, {@code io-error}, {@code watchdog} and
 *       {@code guest-panicked}; {@code shutdown} is entered from {@code running}, {@code
 *       inmigrate} and {@code colo} only.
 *   <li>{@code shutdown} and {@code internal-error} never go to {@code running} directly: they
 *       must be reset first ({@link RunStateMachine#needsReset()}).
 *   <li>{@code save-vm} only returns to {@code running}.
 * </ul>
 *
 * <p>A state is not a transition to itself: QEMU's {@code runstate_set} returns without doing
 * anything when asked for the current state, before it consults the table, so {@link
 * #allows(RunState, RunState)} answers {@code false} for equal states and {@link
 * RunStateMachine#transition(RunState)} treats them as a no-op. QEMU's source lists {@code
 * prelaunch -> inmigrate} twice; the pair counts once here.
 */
public final class RunStateTable {
    private static final Map<RunState.Known, Set<RunState.Known>> ALLOWED = build();

    private RunStateTable() {
    }

    private static Map<RunState.Known, Set<RunState.Known>> build() {
        Map<RunState.Known, Set<RunState.Known>> table = new EnumMap<>(RunState.Known.class);
        for (RunState.Known state : RunState.Known.values()) {
            table.put(state, EnumSet.noneOf(RunState.Known.class));
        }
        // In the order of QEMU's table; states that appear there in two places are listed where
        // their first row is, their later rows added where QEMU has them.
        allow(table, PRELAUNCH, INMIGRATE);
        allow(table, DEBUG, RUNNING, FINISH_MIGRATE, PRELAUNCH);
        allow(table, INMIGRATE, INTERNAL_ERROR, IO_ERROR, PAUSED, RUNNING, SHUTDOWN, SUSPENDED,
                WATCHDOG, GUEST_PANICKED, FINISH_MIGRATE, PRELAUNCH, POSTMIGRATE, COLO);
        allow(table, INTERNAL_ERROR, PAUSED, FINISH_MIGRATE, PRELAUNCH);
        allow(table, IO_ERROR, RUNNING, FINISH_MIGRATE, PRELAUNCH);
        allow(table, PAUSED, RUNNING, FINISH_MIGRATE, POSTMIGRATE, PRELAUNCH, COLO);
        allow(table, POSTMIGRATE, RUNNING, FINISH_MIGRATE, PRELAUNCH);
        allow(table, PRELAUNCH, RUNNING, FINISH_MIGRATE, INMIGRATE);
        allow(table, FINISH_MIGRATE, RUNNING, PAUSED, POSTMIGRATE, PRELAUNCH, COLO);
        allow(table, RESTORE_VM, RUNNING, PRELAUNCH);
        allow(table, COLO, RUNNING, PRELAUNCH, SHUTDOWN);
        allow(table, RUNNING, DEBUG, INTERNAL_ERROR, IO_ERROR, PAUSED, FINISH_MIGRATE, RESTORE_VM,
                SAVE_VM, SHUTDOWN, WATCHDOG, GUEST_PANICKED, COLO);
        allow(table, SAVE_VM, RUNNING);
        allow(table, SHUTDOWN, PAUSED, FINISH_MIGRATE, PRELAUNCH, COLO);
        allow(table, DEBUG, SUSPENDED);
        allow(table, RUNNING, SUSPENDED);
        allow(table, SUSPENDED, RUNNING, FINISH_MIGRATE, PRELAUNCH, COLO);
        allow(table, WATCHDOG, RUNNING, FINISH_MIGRATE, PRELAUNCH, COLO);
        allow(table, GUEST_PANICKED, RUNNING, FINISH_MIGRATE, PRELAUNCH);
        for (Map.Entry<RunState.Known, Set<RunState.Known>> row : table.entrySet()) {
            row.setValue(Collections.unmodifiableSet(row.getValue()));
        }
        return Collections.unmodifiableMap(table);
    }

    private static void allow(Map<RunState.Known, Set<RunState.Known>> table, RunState.Known from,
            RunState.Known... to) {
        table.get(from).addAll(List.of(to));
    }

    /**
     * Whether a machine in {@code from} may go to {@code to}. {@code false} for equal states
     * (see the class comment) and for a value this schema does not know.
     */
    public static boolean allows(RunState from, RunState to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        return from instanceof RunState.Known known && to instanceof RunState.Known target
                && ALLOWED.get(known).contains(target);
    }

    /** The states {@code from} may go to; empty for a value this schema does not know. */
    public static Set<RunState.Known> targets(RunState from) {
        Objects.requireNonNull(from, "from");
        return from instanceof RunState.Known known ? ALLOWED.get(known) : Set.of();
    }

    /** Every allowed transition, grouped by the state it leaves, in declaration order of the enum. */
    public static List<Transition> transitions() {
        List<Transition> all = new ArrayList<>();
        ALLOWED.forEach((from, targets) -> targets.forEach(to -> all.add(new Transition(from, to))));
        return List.copyOf(all);
    }

    /**
     * One allowed transition.
     *
     * @param from the state left
     * @param to the state entered
     */
    public record Transition(RunState.Known from, RunState.Known to) {
        public Transition {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }

        @Override
        public String toString() {
            return from.wireName() + " -> " + to.wireName();
        }
    }
}

package org.qapi4j.vmm.runstate;

import static org.qapi4j.vmm.api.RunState.Known.FINISH_MIGRATE;
import static org.qapi4j.vmm.api.RunState.Known.INMIGRATE;
import static org.qapi4j.vmm.api.RunState.Known.PAUSED;
import static org.qapi4j.vmm.api.RunState.Known.POSTMIGRATE;
import static org.qapi4j.vmm.api.RunState.Known.RUNNING;
import static org.qapi4j.vmm.api.RunState.Known.SHUTDOWN;
import static org.qapi4j.vmm.api.RunState.Known.SUSPENDED;

import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.qapi4j.vmm.api.RunState;

/**
 * What QEMU 7.2 does to the run state for migration ({@code migration/migration.c}): the run
 * state checks of {@code migrate-incoming} and {@code migrate}, and what happens when an incoming
 * migration has loaded the guest and when an outgoing one stops the guest and ends. As {@link
 * RunStateRules}, pure functions from a {@link Situation} to an {@link Outcome}; the guest starts
 * and stops as {@link RunStateRules#vmStart} and {@link RunStateRules#vmStopForce} do. Get them
 * from {@link RunStateRules#migration()}.
 */
public final class MigrationRunStateRules {
    /** How an outgoing migration ended, as {@code migration_iteration_finish} sees it. */
    public enum MigrationEnd {
        /** The destination has the guest now. */
        COMPLETED,
        /** The migration failed. */
        FAILED,
        /** A client cancelled it. */
        CANCELLED
    }

    private final RunStateRules rules;

    MigrationRunStateRules(RunStateRules rules) {
        this.rules = Objects.requireNonNull(rules, "rules");
    }

    /**
     * The run state check of {@code migrate-incoming} ({@code qmp_migrate_incoming}): fails with
     * "'-incoming' was not specified on the command line" unless the machine is in {@code
     * inmigrate}. (Its other check, "The incoming migration has already been started", comes
     * first in QEMU and is the migration's own.)
     */
    public Outcome migrateIncoming(Situation situation) {
        if (situation.state() != INMIGRATE) {
            return Outcome.fail("'-incoming' was not specified on the command line");
        }
        return Outcome.ok();
    }

    /**
     * The run state checks of {@code migrate} ({@code migrate_prepare}, after its check that no
     * migration is running): in {@code inmigrate} it fails with "Guest is waiting for an incoming
     * migration", in {@code postmigrate} with "Can't migrate the vm that was paused due to
     * previous migration".
     */
    public Outcome migrate(Situation situation) {
        if (situation.state() == INMIGRATE) {
            return Outcome.fail("Guest is waiting for an incoming migration");
        }
        if (situation.state() == POSTMIGRATE) {
            return Outcome.fail("Can't migrate the vm that was paused due to previous migration");
        }
        return Outcome.ok();
    }

    /**
     * An incoming migration has loaded the guest ({@code process_incoming_migration_bh}). When the
     * source sent no run state, or sent {@code running}: with autostart the guest starts ({@link
     * #vmStart}: RESUME, {@code running}), without it ({@code -S}, or {@code stop} during the
     * migration) it enters {@code paused} silently. When the source sent another state: under COLO
     * the guest starts; otherwise it enters the source's state silently.
     *
     * @param sourceState the run state the source sent with the guest (QEMU's global state
     *     section); null when it sent none
     * @param colo whether COLO was enabled for the incoming side
     */
    public Outcome incomingMigrationDone(Situation situation, RunState.@Nullable Known sourceState,
            boolean colo) {
        if (sourceState == null || sourceState == RUNNING) {
            return situation.autostart() ? rules.vmStart(situation) : Outcome.ok(new Step.SetState(PAUSED));
        }
        if (colo) {
            return rules.vmStart(situation);
        }
        return Outcome.ok(new Step.SetState(sourceState));
    }

    /**
     * The stop at the end of an outgoing migration ({@code migration_completion}): a suspended
     * guest is first woken up, which makes it {@code running} without an event; then the guest
     * is forced into {@code finish-migrate} ({@link RunStateRules#vmStopForce}: with STOP if it ran). The
     * migration remembers whether the guest ran, that is whether the state was {@code running} or
     * {@code suspended}, for {@link #migrationFinished}.
     */
    public Outcome migrationCompletion(Situation situation) {
        Situation now = situation;
        Outcome wakeUp = Outcome.ok();
        if (situation.state() == SUSPENDED) {
            wakeUp = Outcome.ok(new Step.SetState(RUNNING));
            now = new Situation(RUNNING, situation.autostart(), situation.pendingVmStop());
        }
        return wakeUp.then(rules.vmStopForce(now, FINISH_MIGRATE));
    }

    /**
     * The end of an outgoing migration ({@code migration_iteration_finish}): once completed the
     * guest enters {@code postmigrate}. Once failed or cancelled, a guest that ran before starts
     * again ({@link RunStateRules#vmStart}) unless it has shut down meanwhile; one that did not run leaves
     * {@code finish-migrate} for {@code postmigrate}.
     *
     * @param vmWasRunning whether the guest ran when the migration stopped it
     */
    public Outcome migrationFinished(Situation situation, MigrationEnd end, boolean vmWasRunning) {
        Objects.requireNonNull(end, "end");
        if (end == MigrationEnd.COMPLETED) {
            return Outcome.ok(new Step.SetState(POSTMIGRATE));
        }
        if (vmWasRunning) {
            return situation.state() == SHUTDOWN ? Outcome.ok() : rules.vmStart(situation);
        }
        if (situation.state() == FINISH_MIGRATE) {
            return Outcome.ok(new Step.SetState(POSTMIGRATE));
        }
        return Outcome.ok();
    }
}

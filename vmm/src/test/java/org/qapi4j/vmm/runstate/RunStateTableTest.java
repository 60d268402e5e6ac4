package org.qapi4j.vmm.runstate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.qapi4j.vmm.api.RunState;

class RunStateTableTest {

    /**
     * QEMU's table, copied by hand from {@code runstate_transitions_def} in
     * {@code softmmu/runstate.c} of QEMU v7.2.0 (commit b67b00e6b4c7), one entry a line, in the
     * source's order, the duplicate entry included. /work/shared/qemu has no copy of that file.
     */
    private static final String QEMU_7_2_TABLE = """
            prelaunch inmigrate
            debug running
            debug finish-migrate
            debug prelaunch
            inmigrate internal-error
            inmigrate io-error
            inmigrate paused
            inmigrate running
            inmigrate shutdown
            inmigrate suspended
            inmigrate watchdog
            inmigrate guest-panicked
            inmigrate finish-migrate
            inmigrate prelaunch
            inmigrate postmigrate
            inmigrate colo
            internal-error paused
            internal-error finish-migrate
            internal-error prelaunch
            io-error running
            io-error finish-migrate
            io-error prelaunch
            paused running
            paused finish-migrate
            paused postmigrate
            paused prelaunch
            paused colo
            postmigrate running
            postmigrate finish-migrate
            postmigrate prelaunch
            prelaunch running
            prelaunch finish-migrate
            prelaunch inmigrate
            finish-migrate running
            finish-migrate paused
            finish-migrate postmigrate
            finish-migrate prelaunch
            finish-migrate colo
            restore-vm running
            restore-vm prelaunch
            colo running
            colo prelaunch
            colo shutdown
            running debug
            running internal-error
            running io-error
            running paused
            running finish-migrate
            running restore-vm
            running save-vm
            running shutdown
            running watchdog
            running guest-panicked
            running colo
            save-vm running
            shutdown paused
            shutdown finish-migrate
            shutdown prelaunch
            shutdown colo
            debug suspended
            running suspended
            suspended running
            suspended finish-migrate
            suspended prelaunch
            suspended colo
            watchdog running
            watchdog finish-migrate
            watchdog prelaunch
            watchdog colo
            guest-panicked running
            guest-panicked finish-migrate
            guest-panicked prelaunch
            """;

    private static List<String[]> qemuEntries() {
        List<String[]> entries = new ArrayList<>();
        for (String line : QEMU_7_2_TABLE.strip().split("\n")) {
            entries.add(line.trim().split(" "));
        }
        return entries;
    }

    private static Set<String> qemuPairs() {
        Set<String> pairs = new HashSet<>();
        for (String[] entry : qemuEntries()) {
            pairs.add(entry[0] + " -> " + entry[1]);
        }
        return pairs;
    }

    @Test
    void theSourceHas72EntriesOf71DistinctPairs() {
        assertThat(qemuEntries()).hasSize(72);
        assertThat(qemuPairs()).hasSize(71);
        assertThat(RunStateTable.transitions()).hasSize(71);
    }

    @Test
    void everyOrderedPairOfStatesIsAllowedExactlyWhenQemusTableHasIt() {
        Set<String> expected = qemuPairs();
        int checked = 0;
        for (RunState.Known from : RunState.Known.values()) {
            for (RunState.Known to : RunState.Known.values()) {
                String pair = from.wireName() + " -> " + to.wireName();
                assertThat(RunStateTable.allows(from, to)).as(pair).isEqualTo(expected.contains(pair));
                checked++;
            }
        }
        assertThat(checked).isEqualTo(16 * 16);
    }

    @Test
    void transitionsAndTargetsListTheSamePairs() {
        Set<String> listed = new HashSet<>();
        RunStateTable.transitions().forEach(t -> listed.add(t.toString()));
        assertThat(listed).isEqualTo(qemuPairs());
        for (RunState.Known from : RunState.Known.values()) {
            for (RunState.Known to : RunStateTable.targets(from)) {
                assertThat(qemuPairs()).contains(from.wireName() + " -> " + to.wireName());
            }
        }
    }

    @Test
    void everyStateNameInQemusTableIsAStateOfOurSchemaAndEveryStateAppears() {
        Set<String> names = new HashSet<>();
        for (String[] entry : qemuEntries()) {
            names.add(entry[0]);
            names.add(entry[1]);
        }
        Set<String> ours = new HashSet<>();
        for (RunState.Known state : RunState.Known.values()) {
            ours.add(state.wireName());
        }
        assertThat(names).isEqualTo(ours);
    }

    @Test
    void noStateIsATransitionToItself() {
        for (RunState.Known state : RunState.Known.values()) {
            assertThat(RunStateTable.allows(state, state)).as(state.wireName()).isFalse();
        }
    }

    @Test
    void unknownValuesAreNeverAllowed() {
        RunState unknown = RunState.fromWire("hibernating");
        assertThat(unknown.isKnown()).isFalse();
        assertThat(RunStateTable.allows(unknown, RunState.RUNNING)).isFalse();
        assertThat(RunStateTable.allows(RunState.RUNNING, unknown)).isFalse();
        assertThat(RunStateTable.targets(unknown)).isEmpty();
    }

    @Test
    void theClassCommentsSummaryHolds() {
        // Every state but running and save-vm can go back to prelaunch.
        for (RunState.Known state : RunState.Known.values()) {
            boolean expected = state != RunState.Known.RUNNING && state != RunState.Known.SAVE_VM
                    && state != RunState.Known.PRELAUNCH;
            assertThat(RunStateTable.allows(state, RunState.Known.PRELAUNCH)).as(state.wireName()).isEqualTo(expected);
        }
        assertThat(RunStateTable.targets(RunState.SAVE_VM)).containsExactly(RunState.Known.RUNNING);
        assertThat(RunStateTable.allows(RunState.SHUTDOWN, RunState.RUNNING)).isFalse();
        assertThat(RunStateTable.allows(RunState.INTERNAL_ERROR, RunState.RUNNING)).isFalse();
    }
}

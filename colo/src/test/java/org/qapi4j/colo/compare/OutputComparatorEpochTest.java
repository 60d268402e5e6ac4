package org.qapi4j.colo.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.qapi4j.colo.compare.RecordingListener.b;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@link OutputComparator}'s epochs and coverage: which outputs may still pair once an epoch ended,
 * and what a covered checkpoint releases.
 */
class OutputComparatorEpochTest {
    private static final long MS = 1_000_000L;

    private final AtomicLong clock = new AtomicLong(1_000 * MS);
    private final RecordingListener out = new RecordingListener();
    private OutputComparator cmp = new OutputComparator(out, CompareOptions.defaults(), clock::get);

    // ---- epochs ----

    @Test
    void coverageReleasesOnlyEpochsBelowIt() {
        cmp.primaryOutput(1, 0, b("a"));
        cmp.checkpointStarted(1);
        cmp.primaryOutput(1, 1, b("b"));
        cmp.checkpointStarted(2);
        cmp.primaryOutput(1, 2, b("c"));
        cmp.checkpointCovered(2);
        assertThat(out.released(1)).containsExactly("a", "b");
        assertThat(cmp.stats().held()).isEqualTo(1);
        cmp.checkpointCovered(1); // older: nothing changes
        assertThat(out.released(1)).containsExactly("a", "b");
    }

    @Test
    void aPrimaryLineWhoseEpochEndedUnansweredIsHeldUntilCovered() {
        cmp.primaryOutput(1, 0, b("OK 1"));
        cmp.checkpointStarted(1);
        // The secondary's late answer of epoch 0 is dropped, so the line is never compared.
        cmp.secondaryOutput(1, 0, b("OK 1"));
        assertThat(out.released(1)).isEmpty();
        assertThat(cmp.stats().secondaryDropped()).isEqualTo(1);
        cmp.checkpointCovered(1);
        assertThat(out.released(1)).containsExactly("OK 1");
        assertThat(out.requests()).isEmpty();
    }

    @Test
    void secondaryOutputsOfAnOlderEpochThanThePrimarysAreDropped() {
        cmp.checkpointStarted(1);
        cmp.secondaryOutput(1, 0, b("PONG"));
        assertThat(cmp.stats().secondaryDropped()).isEqualTo(1);
        assertThat(cmp.stats().secondaryQueued()).isZero();
        cmp.checkpointCovered(1);
        cmp.primaryOutput(1, 1, b("PONG"));
        assertThat(out.released(1)).as("the dropped line did not pair").isEmpty();
        cmp.secondaryOutput(1, 1, b("PONG"));
        assertThat(out.released(1)).containsExactly("PONG");
    }

    @Test
    void unpairedSecondaryOutputsAreKeptUntilTheirEpochEndsThenDropped() {
        cmp.secondaryOutput(1, 0, b("PONG"));
        cmp.secondaryOutput(1, 0, b("PONG"));
        assertThat(cmp.stats().secondaryQueued()).isEqualTo(2);
        cmp.primaryOutput(1, 0, b("PONG"));
        assertThat(out.released(1)).containsExactly("PONG");
        assertThat(cmp.stats().secondaryQueued()).isEqualTo(1);

        cmp.checkpointStarted(1);
        assertThat(cmp.stats().secondaryQueued()).isZero();
        assertThat(cmp.stats().secondaryDropped()).isEqualTo(1);
        cmp.checkpointCovered(1);
        cmp.primaryOutput(1, 1, b("PONG"));
        assertThat(out.released(1)).as("an epoch-0 leftover never pairs with epoch 1").containsExactly("PONG");
        assertThat(cmp.stats().held()).isEqualTo(1);
    }

    @Test
    void aSecondaryThatMovedOnLeavesThePrimaryLineToCoverage() {
        cmp.primaryOutput(1, 0, b("a"));
        cmp.primaryOutput(1, 0, b("b"));
        cmp.secondaryOutput(1, 0, b("a"));
        // The secondary's next output is of epoch 1: "b" has no counterpart.
        cmp.secondaryOutput(1, 1, b("c"));
        assertThat(out.released(1)).containsExactly("a");
        cmp.checkpointCovered(1); // counts as started too
        assertThat(out.released(1)).containsExactly("a", "b");
        cmp.primaryOutput(1, 1, b("c"));
        assertThat(out.released(1)).containsExactly("a", "b", "c");
    }

    @Test
    void aPrimaryOutputOfALaterEpochCountsAsThatCheckpointStarted() {
        cmp.secondaryOutput(1, 0, b("x"));
        cmp.primaryOutput(2, 1, b("y"));
        assertThat(cmp.stats().secondaryQueued()).isZero();
        cmp.secondaryOutput(1, 0, b("x"));
        assertThat(cmp.stats().secondaryDropped()).isEqualTo(2);
    }

    @Test
    void checkpointNumbersAndEpochsAreValidated() {
        assertThatThrownBy(() -> cmp.checkpointStarted(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cmp.checkpointCovered(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cmp.primaryOutput(1, -1, b("x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cmp.secondaryOutput(1, -1, b("x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CompareOptions(Duration.ZERO, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CompareOptions(Duration.ofMillis(1), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

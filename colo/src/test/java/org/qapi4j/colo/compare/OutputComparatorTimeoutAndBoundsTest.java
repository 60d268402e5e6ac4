package org.qapi4j.colo.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.qapi4j.colo.compare.RecordingListener.b;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@link OutputComparator}'s checkpoint requests for outputs that wait too long (the timeout scan)
 * and for queues that fill up (the bounds, with back-pressure on the primary side).
 */
class OutputComparatorTimeoutAndBoundsTest {
    private static final long MS = 1_000_000L;

    private final AtomicLong clock = new AtomicLong(1_000 * MS);
    private final RecordingListener out = new RecordingListener();
    private OutputComparator cmp = new OutputComparator(out, CompareOptions.defaults(), clock::get);

    // ---- timeout ----

    @Test
    void aPrimaryLineWithoutCounterpartRequestsACheckpointAfterTheTimeoutOnce() {
        cmp.primaryOutput(1, 0, b("OK 1"));
        long t0 = clock.get();
        assertThat(cmp.poll(t0 + 2999 * MS)).isFalse();
        assertThat(out.requests()).isEmpty();
        assertThat(cmp.poll(t0 + 3000 * MS)).isTrue();
        assertThat(out.requests()).containsExactly(Reason.TIMEOUT);
        assertThat(cmp.poll(t0 + 9000 * MS)).as("reported once").isFalse();
        assertThat(cmp.stats().checkpointsRequested(Reason.TIMEOUT)).isEqualTo(1);

        clock.addAndGet(5000 * MS);
        cmp.primaryOutput(1, 0, b("OK 2"));
        assertThat(cmp.poll()).isFalse();
        clock.addAndGet(3000 * MS);
        assertThat(cmp.poll()).isTrue();
        assertThat(out.requests()).containsExactly(Reason.TIMEOUT, Reason.TIMEOUT);
        assertThat(out.released(1)).isEmpty();
    }

    @Test
    void manyStaleLinesInOnePollRequestOneCheckpoint() {
        cmp.primaryOutput(1, 0, b("a"));
        cmp.primaryOutput(2, 0, b("b"));
        cmp.secondaryOutput(3, 0, b("c"));
        assertThat(cmp.poll(clock.get() + 3000 * MS)).isTrue();
        assertThat(out.requests()).containsExactly(Reason.TIMEOUT);
    }

    @Test
    void theTimeoutIsConfigurable() {
        cmp = new OutputComparator(out, CompareOptions.defaults().withTimeout(Duration.ofMillis(50)), clock::get);
        cmp.primaryOutput(1, 0, b("a"));
        assertThat(cmp.poll(clock.get() + 49 * MS)).isFalse();
        assertThat(cmp.poll(clock.get() + 50 * MS)).isTrue();
    }

    @Test
    void matchedLinesAndLinesWaitingForACheckpointDoNotTimeOut() {
        cmp.primaryOutput(1, 0, b("a"));
        cmp.secondaryOutput(1, 0, b("a"));
        cmp.primaryOutput(2, 0, b("x"));
        cmp.secondaryOutput(2, 0, b("y")); // mismatch: held for a checkpoint already requested
        cmp.primaryOutput(3, 0, b("z"));
        cmp.checkpointStarted(1); // "z"'s epoch ended: coverage will release it
        assertThat(cmp.poll(clock.get() + 60_000 * MS)).isFalse();
        assertThat(out.requests()).containsExactly(Reason.MISMATCH);
    }

    @Test
    void aSecondaryLineThePrimaryNeverProducesTimesOutToo() {
        cmp.secondaryOutput(1, 0, b("extra"));
        assertThat(cmp.poll(clock.get() + 3000 * MS)).isTrue();
        assertThat(out.requests()).containsExactly(Reason.TIMEOUT);
    }

    // ---- bounds ----

    @Test
    void aFullPrimaryQueueRequestsACheckpointPushesBackAndDropsNothing() {
        cmp = new OutputComparator(out, CompareOptions.defaults(), clock::get);
        for (int i = 1; i < 1024; i++) {
            assertThat(cmp.primaryOutput(1, 0, b("OK " + i))).as("line %d", i).isTrue();
        }
        assertThat(out.requests()).isEmpty();
        assertThat(cmp.primaryOutput(1, 0, b("OK 1024"))).isFalse();
        assertThat(out.requests()).containsExactly(Reason.QUEUE_FULL);
        assertThat(out.pressure()).containsExactly(new RecordingListener.Pressure(1, true));
        // Lines already read still arrive: kept, still refused room, requested once.
        assertThat(cmp.primaryOutput(1, 0, b("OK 1025"))).isFalse();
        assertThat(out.requests()).containsExactly(Reason.QUEUE_FULL);
        assertThat(cmp.stats().held()).isEqualTo(1025);
        // Another connection is not pushed back.
        assertThat(cmp.primaryOutput(2, 0, b("PONG"))).isTrue();

        cmp.checkpointStarted(1);
        cmp.checkpointCovered(1);
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 1025; i++) {
            expected.add("OK " + i);
        }
        assertThat(out.released(1)).containsExactlyElementsOf(expected);
        assertThat(out.pressure()).containsExactly(
                new RecordingListener.Pressure(1, true), new RecordingListener.Pressure(1, false));
        assertThat(cmp.primaryOutput(1, 1, b("PONG"))).isTrue();
    }

    @Test
    void theQueueResumesOnceMatchesDrainItBelowTheBound() {
        cmp = new OutputComparator(out, CompareOptions.defaults().withMaxQueue(3), clock::get);
        assertThat(cmp.primaryOutput(1, 0, b("a"))).isTrue();
        assertThat(cmp.primaryOutput(1, 0, b("b"))).isTrue();
        assertThat(cmp.primaryOutput(1, 0, b("c"))).isFalse();
        cmp.secondaryOutput(1, 0, b("a"));
        assertThat(out.released(1)).containsExactly("a");
        assertThat(out.pressure()).containsExactly(
                new RecordingListener.Pressure(1, true), new RecordingListener.Pressure(1, false));
        assertThat(cmp.primaryOutput(1, 0, b("d"))).isFalse();
        assertThat(out.requests()).containsExactly(Reason.QUEUE_FULL, Reason.QUEUE_FULL);
    }

    @Test
    void aFullSecondaryQueueDropsTheLineStopsComparingTheEpochAndRequestsACheckpoint() {
        cmp = new OutputComparator(out, CompareOptions.defaults().withMaxQueue(2), clock::get);
        cmp.secondaryOutput(1, 0, b("a"));
        cmp.secondaryOutput(1, 0, b("b"));
        cmp.secondaryOutput(1, 0, b("c"));
        assertThat(out.requests()).containsExactly(Reason.QUEUE_FULL);
        assertThat(cmp.stats().secondaryDropped()).isEqualTo(3);
        cmp.secondaryOutput(1, 0, b("d"));
        assertThat(out.requests()).containsExactly(Reason.QUEUE_FULL);
        cmp.primaryOutput(1, 0, b("a"));
        assertThat(out.released(1)).as("no longer compared in this epoch").isEmpty();
        cmp.checkpointCovered(1);
        assertThat(out.released(1)).containsExactly("a");
    }

    @Test
    void theDefaultBoundIsQemus1024PerConnectionAndSide() {
        assertThat(CompareOptions.defaults().maxQueue()).isEqualTo(1024);
        assertThat(CompareOptions.defaults().timeout()).isEqualTo(Duration.ofMillis(3000));
        for (int i = 0; i < 1024; i++) {
            cmp.secondaryOutput(1, 0, b("s" + i));
        }
        assertThat(out.requests()).isEmpty();
        assertThat(cmp.stats().secondaryQueued()).isEqualTo(1024);
        cmp.secondaryOutput(1, 0, b("s1024"));
        assertThat(out.requests()).containsExactly(Reason.QUEUE_FULL);
        assertThat(cmp.stats().secondaryQueued()).isZero();
    }
}

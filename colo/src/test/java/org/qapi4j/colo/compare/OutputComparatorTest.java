package org.qapi4j.colo.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.qapi4j.colo.compare.RecordingListener.b;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class OutputComparatorTest {
    private static final long MS = 1_000_000L;

    private final AtomicLong clock = new AtomicLong(1_000 * MS);
    private final RecordingListener out = new RecordingListener();
    private OutputComparator cmp = new OutputComparator(out, CompareOptions.defaults(), clock::get);

    // ---- matching ----

    @Test
    void aMatchingPairReleasesThePrimaryLineAtOnceWhicheverSideComesFirst() {
        cmp.primaryOutput(1, 0, b("OK 1"));
        assertThat(out.released(1)).isEmpty();
        cmp.secondaryOutput(1, 0, b("OK 1"));
        assertThat(out.released(1)).containsExactly("OK 1");

        cmp.secondaryOutput(1, 0, b("OK 2"));
        assertThat(out.released(1)).containsExactly("OK 1");
        cmp.primaryOutput(1, 0, b("OK 2"));
        assertThat(out.released(1)).containsExactly("OK 1", "OK 2");

        CompareStats s = cmp.stats();
        assertThat(s.released()).isEqualTo(2);
        assertThat(s.matched()).isEqualTo(2);
        assertThat(s.held()).isZero();
        assertThat(s.secondaryQueued()).isZero();
        assertThat(s.mismatches()).isZero();
        assertThat(out.requests()).isEmpty();
    }

    @Test
    void pairsAreTakenInOrderPerConnectionNotByContent() {
        cmp.secondaryOutput(1, 0, b("B"));
        cmp.secondaryOutput(1, 0, b("A"));
        cmp.primaryOutput(1, 0, b("A")); // pairs with "B": a mismatch
        assertThat(out.requests()).containsExactly(Reason.MISMATCH);
        assertThat(out.released(1)).isEmpty();
    }

    @Test
    void connectionsAreComparedIndependently() {
        cmp.primaryOutput(1, 0, b("x"));
        cmp.primaryOutput(2, 0, b("y"));
        cmp.secondaryOutput(2, 0, b("y"));
        assertThat(out.released(2)).containsExactly("y");
        assertThat(out.released(1)).isEmpty();
        cmp.secondaryOutput(2, 0, b("z"));
        cmp.primaryOutput(2, 0, b("z"));
        cmp.secondaryOutput(1, 0, b("different"));
        assertThat(out.released(2)).containsExactly("y", "z");
        assertThat(out.released(1)).isEmpty();
    }

    @Test
    void theCallerMayReuseItsBuffer() {
        byte[] buffer = b("abc");
        cmp.primaryOutput(1, 0, buffer);
        buffer[0] = 'X';
        cmp.secondaryOutput(1, 0, b("abc"));
        assertThat(out.released(1)).containsExactly("abc");
    }

    // ---- order under holds ----

    @Test
    void aMatchNeverOvertakesAnEarlierHeldLineOfItsConnection() {
        cmp.primaryOutput(1, 0, b("OK 1")); // the secondary's answer will come too late
        cmp.checkpointStarted(1);
        cmp.primaryOutput(1, 1, b("PONG"));
        cmp.primaryOutput(2, 1, b("PONG"));
        cmp.secondaryOutput(1, 1, b("PONG"));
        cmp.secondaryOutput(2, 1, b("PONG"));
        assertThat(out.released(2)).containsExactly("PONG");
        assertThat(out.released(1)).as("matched, but behind a held line").isEmpty();
        assertThat(cmp.stats().matched()).isEqualTo(2);
        assertThat(cmp.stats().held()).isEqualTo(2);
        cmp.checkpointCovered(1);
        assertThat(out.released(1)).containsExactly("OK 1", "PONG");
    }

    @Test
    void matchedLinesBehindAnUnansweredOneGoTogetherWithItInOrder() {
        cmp.primaryOutput(1, 0, b("a"));
        cmp.primaryOutput(1, 0, b("b"));
        cmp.primaryOutput(1, 0, b("c"));
        cmp.secondaryOutput(1, 0, b("a"));
        assertThat(out.released(1)).containsExactly("a");
        assertThat(cmp.stats().held()).isEqualTo(2);
        cmp.secondaryOutput(1, 0, b("b"));
        cmp.secondaryOutput(1, 0, b("c"));
        assertThat(out.released(1)).containsExactly("a", "b", "c");
    }

    // ---- mismatch ----

    @Test
    void aMismatchRequestsACheckpointAndHoldsTheLineAndLaterOnesUntilCovered() {
        cmp.primaryOutput(1, 0, b("TIME 100"));
        cmp.secondaryOutput(1, 0, b("TIME 200"));
        assertThat(out.requests()).containsExactly(Reason.MISMATCH);
        assertThat(cmp.stats().mismatches()).isEqualTo(1);

        // Later lines of the connection, even equal ones, are held behind it.
        cmp.primaryOutput(1, 0, b("PONG"));
        cmp.secondaryOutput(1, 0, b("PONG"));
        // Another connection is not affected.
        cmp.primaryOutput(2, 0, b("PONG"));
        cmp.secondaryOutput(2, 0, b("PONG"));
        assertThat(out.released(1)).isEmpty();
        assertThat(out.released(2)).containsExactly("PONG");
        assertThat(out.requests()).containsExactly(Reason.MISMATCH); // not compared again in epoch 0

        cmp.checkpointStarted(1);
        assertThat(out.released(1)).as("not before the secondary has the state").isEmpty();
        cmp.checkpointCovered(1);
        assertThat(out.released(1)).containsExactly("TIME 100", "PONG");
        assertThat(cmp.stats().held()).isZero();
        assertThat(cmp.stats().checkpointsRequested(Reason.MISMATCH)).isEqualTo(1);
    }

    @Test
    void afterADivergedEpochTheNextEpochIsComparedAgain() {
        cmp.primaryOutput(1, 0, b("RAND 1"));
        cmp.secondaryOutput(1, 0, b("RAND 2"));
        cmp.checkpointStarted(1);
        cmp.checkpointCovered(1);
        cmp.primaryOutput(1, 1, b("PONG"));
        cmp.secondaryOutput(1, 1, b("PONG"));
        assertThat(out.released(1)).containsExactly("RAND 1", "PONG");
        cmp.primaryOutput(1, 1, b("RAND 3"));
        cmp.secondaryOutput(1, 1, b("RAND 4"));
        assertThat(out.requests()).containsExactly(Reason.MISMATCH, Reason.MISMATCH);
    }

    @Test
    void aMatchOfTheNextEpochWaitsForTheHeldLinesOfTheEpochBefore() {
        cmp.primaryOutput(1, 0, b("RAND 1"));
        cmp.secondaryOutput(1, 0, b("RAND 2"));
        cmp.checkpointStarted(1);
        // The primary runs on before coverage would be out of protocol, but order must still hold.
        cmp.primaryOutput(1, 1, b("PONG"));
        cmp.secondaryOutput(1, 1, b("PONG"));
        assertThat(out.released(1)).isEmpty();
        cmp.checkpointCovered(1);
        assertThat(out.released(1)).containsExactly("RAND 1", "PONG");
    }

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

    // ---- closed connections ----

    @Test
    void aClosedConnectionsHeldLinesAreDiscardedAndLateOutputsForItDropped() {
        cmp.primaryOutput(1, 0, b("a"));
        cmp.primaryOutput(1, 0, b("b"));
        cmp.secondaryOutput(1, 0, b("a"));
        cmp.connectionClosed(1);
        cmp.primaryOutput(1, 0, b("c"));
        cmp.secondaryOutput(1, 0, b("b"));
        cmp.checkpointStarted(1);
        cmp.checkpointCovered(1);
        assertThat(out.released(1)).containsExactly("a");
        CompareStats s = cmp.stats();
        assertThat(s.discarded()).isEqualTo(2);
        assertThat(s.held()).isZero();
        assertThat(s.secondaryDropped()).isEqualTo(1);
    }

    // ---- failover ----

    @Test
    void failoverToThePrimaryReleasesEverythingInOrderThenPassesThrough() {
        cmp.primaryOutput(1, 0, b("a"));
        cmp.primaryOutput(1, 0, b("b"));
        cmp.secondaryOutput(1, 0, b("x")); // mismatch on "a"
        cmp.primaryOutput(2, 0, b("c"));
        cmp.secondaryOutput(3, 0, b("leftover"));
        cmp.failover(Side.PRIMARY);
        assertThat(out.released(1)).containsExactly("a", "b");
        assertThat(out.released(2)).containsExactly("c");
        assertThat(cmp.stats().held()).isZero();
        assertThat(cmp.stats().secondaryQueued()).isZero();

        cmp.primaryOutput(1, 0, b("d"));
        cmp.secondaryOutput(1, 0, b("different"));
        cmp.primaryOutput(1, 5, b("e"));
        cmp.checkpointStarted(1);
        cmp.checkpointCovered(1);
        assertThat(cmp.poll(clock.get() + 60_000 * MS)).isFalse();
        assertThat(out.released(1)).containsExactly("a", "b", "d", "e");
        assertThat(out.requests()).containsExactly(Reason.MISMATCH);
        cmp.failover(Side.PRIMARY); // repeated: nothing
        assertThatThrownBy(() -> cmp.failover(Side.SECONDARY)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void failoverToThePrimaryResumesPushedBackConnections() {
        cmp = new OutputComparator(out, CompareOptions.defaults().withMaxQueue(1), clock::get);
        assertThat(cmp.primaryOutput(1, 0, b("a"))).isFalse();
        cmp.failover(Side.PRIMARY);
        assertThat(out.events).containsExactly(
                new RecordingListener.Requested(Reason.QUEUE_FULL),
                new RecordingListener.Pressure(1, true),
                new RecordingListener.Released(1, "a"),
                new RecordingListener.Pressure(1, false));
        assertThat(cmp.primaryOutput(1, 0, b("b"))).isTrue();
    }

    @Test
    void failoverToTheSecondaryDropsEverythingNowAndLater() {
        cmp.primaryOutput(1, 0, b("a"));
        cmp.primaryOutput(1, 0, b("b"));
        cmp.secondaryOutput(2, 0, b("s"));
        cmp.failover(Side.SECONDARY);
        cmp.primaryOutput(1, 0, b("c"));
        cmp.secondaryOutput(1, 0, b("c"));
        cmp.checkpointStarted(1);
        cmp.checkpointCovered(1);
        assertThat(cmp.poll(clock.get() + 60_000 * MS)).isFalse();
        assertThat(out.released()).isEmpty();
        assertThat(out.requests()).isEmpty();
        CompareStats s = cmp.stats();
        assertThat(s.discarded()).isEqualTo(3);
        assertThat(s.held()).isZero();
        assertThat(s.released()).isZero();
        assertThatThrownBy(() -> cmp.failover(Side.PRIMARY))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("failover to the secondary already happened");
    }

    // ---- callbacks ----

    @Test
    void callbacksRunOutsideTheLock() {
        List<Boolean> otherThreadGotIn = new ArrayList<>();
        OutputComparator[] self = new OutputComparator[1];
        self[0] = new OutputComparator(OutputListener.of(
                (connection, line) -> otherThreadGotIn.add(statsFromAnotherThread(self[0])),
                reason -> otherThreadGotIn.add(statsFromAnotherThread(self[0]))), CompareOptions.defaults(), clock::get);
        self[0].primaryOutput(1, 0, b("a"));
        self[0].secondaryOutput(1, 0, b("b"));
        self[0].checkpointCovered(1);
        assertThat(otherThreadGotIn).containsExactly(true, true);
    }

    private static boolean statsFromAnotherThread(OutputComparator cmp) {
        try {
            CompletableFuture.supplyAsync(cmp::stats).get(5, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void aCallbackMayCallTheComparatorBackAndOrderIsKept() {
        RecordingListener rec = new RecordingListener();
        OutputComparator[] self = new OutputComparator[1];
        self[0] = new OutputComparator(new OutputListener() {
            @Override
            public void release(int connection, byte[] line) {
                rec.release(connection, line);
            }

            @Override
            public void requestCheckpoint(Reason reason) {
                rec.requestCheckpoint(reason);
                // A synchronous checkpoint, run from inside the callback.
                self[0].checkpointStarted(1);
                self[0].checkpointCovered(1);
            }
        }, CompareOptions.defaults(), clock::get);
        self[0].primaryOutput(1, 0, b("a"));
        self[0].primaryOutput(1, 0, b("b"));
        self[0].secondaryOutput(1, 0, b("x"));
        assertThat(rec.events).containsExactly(
                new RecordingListener.Requested(Reason.MISMATCH),
                new RecordingListener.Released(1, "a"),
                new RecordingListener.Released(1, "b"));
    }

    @Test
    void aFailingCallbackDoesNotStopTheOnesAfterIt() {
        List<String> got = new ArrayList<>();
        cmp = new OutputComparator(OutputListener.of((connection, line) -> {
            if (connection == 1) {
                throw new IllegalStateException("client gone");
            }
            got.add(new String(line));
        }, reason -> { }), CompareOptions.defaults(), clock::get);
        cmp.primaryOutput(1, 0, b("a"));
        cmp.primaryOutput(2, 0, b("b"));
        cmp.checkpointCovered(1);
        assertThat(got).containsExactly("b");
        cmp.primaryOutput(2, 1, b("c"));
        cmp.secondaryOutput(2, 1, b("c"));
        assertThat(got).containsExactly("b", "c");
    }
}

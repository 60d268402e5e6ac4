package org.qapi4j.colo.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.qapi4j.colo.compare.RecordingListener.b;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@link OutputComparator}'s pairing rules: outputs pair by position per connection, a match never
 * overtakes an earlier held line, and a mismatch holds the connection until a checkpoint is covered.
 */
class OutputComparatorPairingTest {
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
}

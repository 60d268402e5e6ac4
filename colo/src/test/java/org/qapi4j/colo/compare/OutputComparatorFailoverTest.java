package org.qapi4j.colo.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.qapi4j.colo.compare.RecordingListener.b;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * What {@link OutputComparator} does with held lines when a connection closes or a side fails over:
 * discard, release in order, or drop everything.
 */
class OutputComparatorFailoverTest {
    private static final long MS = 1_000_000L;

    private final AtomicLong clock = new AtomicLong(1_000 * MS);
    private final RecordingListener out = new RecordingListener();
    private OutputComparator cmp = new OutputComparator(out, CompareOptions.defaults(), clock::get);

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
}

package org.qapi4j.colo.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.qapi4j.colo.compare.RecordingListener.b;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@link OutputComparator}'s callback delivery: outside the lock, in decision order even when a
 * callback calls the comparator back, and past a callback that throws.
 */
class OutputComparatorCallbackTest {
    private static final long MS = 1_000_000L;

    private final AtomicLong clock = new AtomicLong(1_000 * MS);
    private final RecordingListener out = new RecordingListener();
    private OutputComparator cmp = new OutputComparator(out, CompareOptions.defaults(), clock::get);

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

package org.qapi4j.colo.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.qapi4j.colo.compare.RecordingListener.b;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Smoke test with the threads of a real primary: the vCPU thread produces the primary's outputs
 * and stops for a checkpoint, a network thread feeds the secondary's, a timer thread polls. All
 * lines must reach their clients once and in order, callbacks must never overlap.
 */
class OutputComparatorConcurrencyTest {
    private static final int CONNECTIONS = 8;
    private static final int LINES = 400; // per connection and epoch: queues stay below 1024

    @Test
    @Timeout(60)
    void twoProducersAndATimerKeepOrderAndExactlyOnce() throws Exception {
        for (int round = 0; round < 20; round++) {
            runRound(round);
        }
    }

    private static String line(int c, int e, int k) {
        return c + "/" + e + "/" + k;
    }

    private void runRound(int round) throws Exception {
        AtomicInteger inCallback = new AtomicInteger();
        List<String> problems = new CopyOnWriteArrayList<>();
        Map<Integer, List<String>> released = new ConcurrentHashMap<>();
        AtomicLong mismatchRequests = new AtomicLong();
        OutputListener listener = new OutputListener() {
            @Override
            public void release(int connection, byte[] line) {
                enter();
                released.computeIfAbsent(connection, c -> new ArrayList<>())
                        .add(new String(line, StandardCharsets.UTF_8));
                leave();
            }

            @Override
            public void requestCheckpoint(Reason reason) {
                enter();
                if (reason == Reason.MISMATCH) {
                    mismatchRequests.incrementAndGet();
                }
                leave();
            }

            private void enter() {
                if (inCallback.incrementAndGet() != 1) {
                    problems.add("callbacks overlapped");
                }
            }

            private void leave() {
                inCallback.decrementAndGet();
            }
        };
        OutputComparator cmp = new OutputComparator(
                listener, CompareOptions.defaults().withTimeout(Duration.ofMillis(1)), System::nanoTime);
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean done = new AtomicBoolean();

        Thread vcpu = new Thread(() -> {
            await(start);
            for (int e = 0; e < 2; e++) {
                for (int k = 0; k < LINES; k++) {
                    for (int c = 1; c <= CONNECTIONS; c++) {
                        cmp.primaryOutput(c, e, b(line(c, e, k)));
                    }
                }
                cmp.checkpointStarted(e + 1);
                cmp.checkpointCovered(e + 1);
            }
        }, "test-vcpu");
        Thread network = new Thread(() -> {
            await(start);
            for (int e = 0; e < 2; e++) {
                for (int k = 0; k < LINES; k++) {
                    for (int c = 1; c <= CONNECTIONS; c++) {
                        String text = k % 97 == 5 ? line(c, e, k) + " differs" : line(c, e, k);
                        cmp.secondaryOutput(c, e, b(text));
                    }
                }
            }
        }, "test-network");
        Thread timer = new Thread(() -> {
            await(start);
            while (!done.get()) {
                cmp.poll();
                cmp.stats();
                Thread.onSpinWait();
            }
        }, "test-timer");
        vcpu.start();
        network.start();
        timer.start();
        start.countDown();
        vcpu.join();
        network.join();
        done.set(true);
        timer.join();

        cmp.checkpointStarted(3);
        cmp.checkpointCovered(3);

        assertThat(problems).as("round %d", round).isEmpty();
        for (int c = 1; c <= CONNECTIONS; c++) {
            List<String> expected = new ArrayList<>();
            for (int e = 0; e < 2; e++) {
                for (int k = 0; k < LINES; k++) {
                    expected.add(line(c, e, k));
                }
            }
            assertThat(released.get(c)).as("round %d, connection %d", round, c).containsExactlyElementsOf(expected);
        }
        CompareStats stats = cmp.stats();
        assertThat(stats.released()).isEqualTo(2L * CONNECTIONS * LINES);
        assertThat(stats.held()).isZero();
        assertThat(stats.secondaryQueued()).isZero();
        assertThat(stats.mismatches()).isEqualTo(mismatchRequests.get());
        assertThat(stats.matched() + stats.mismatches()).isLessThanOrEqualTo(2L * CONNECTIONS * LINES);
        assertThat(stats.checkpointsRequested(Reason.QUEUE_FULL)).isZero();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

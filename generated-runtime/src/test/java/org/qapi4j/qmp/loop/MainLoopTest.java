package org.qapi4j.qmp.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.qapi4j.qmp.testing.LogCapture;

/** The main loop, spinning (the default) and sleeping at once: order, one thread, timers, shutdown. */
class MainLoopTest {
    @ParameterizedTest
    @ValueSource(longs = {0, 50_000})
    void runsTasksFromManyThreadsOnOneThreadInEachSubmittersOrder(long spinNanos) throws Exception {
        SpinningMainLoop loop = new SpinningMainLoop("test-loop", Duration.ofNanos(spinNanos));
        int submitters = 4;
        int perSubmitter = 20_000;
        List<List<Integer>> seen = new ArrayList<>();
        for (int i = 0; i < submitters; i++) {
            seen.add(new ArrayList<>());
        }
        List<Thread> threadsSeen = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(submitters * perSubmitter);
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < submitters; s++) {
            int submitter = s;
            Thread t = new Thread(() -> {
                for (int i = 0; i < perSubmitter; i++) {
                    int value = i;
                    loop.execute(() -> {
                        // Unsynchronised on purpose: the loop's single thread needs no lock.
                        seen.get(submitter).add(value);
                        if (value == 0) {
                            threadsSeen.add(Thread.currentThread());
                        }
                        done.countDown();
                    });
                    if (i % 1000 == 0) {
                        // Let the loop run dry now and then, so it spins or parks and is woken.
                        sleepQuietly(1);
                    }
                }
            });
            threads.add(t);
            t.start();
        }
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        for (List<Integer> values : seen) {
            assertThat(values).hasSize(perSubmitter);
            for (int i = 0; i < perSubmitter; i++) {
                assertThat(values.get(i)).isEqualTo(i);
            }
        }
        assertThat(threadsSeen).hasSize(submitters).allMatch(t -> t.getName().equals("test-loop"));
        loop.shutdown();
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 50_000})
    void firesTimersInDeadlineOrderAndNotCancelledOnes(long spinNanos) throws Exception {
        SpinningMainLoop loop = new SpinningMainLoop("test-loop", Duration.ofNanos(spinNanos));
        List<String> fired = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch last = new CountDownLatch(1);
        loop.schedule(() -> fired.add("60"), 60, TimeUnit.MILLISECONDS);
        loop.schedule(() -> fired.add("20"), 20, TimeUnit.MILLISECONDS);
        MainLoop.Timer cancelled = loop.schedule(() -> fired.add("40"), 40, TimeUnit.MILLISECONDS);
        loop.schedule(() -> {
            fired.add("100");
            last.countDown();
        }, 100, TimeUnit.MILLISECONDS);
        cancelled.cancel();
        long start = System.nanoTime();
        assertThat(last.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(90));
        assertThat(fired).containsExactly("20", "60", "100");
        loop.shutdown();
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 50_000})
    void aFailingTaskIsLoggedAndTheLoopGoesOn(long spinNanos) throws Exception {
        SpinningMainLoop loop = new SpinningMainLoop("test-loop", Duration.ofNanos(spinNanos));
        CountDownLatch after = new CountDownLatch(1);
        try (LogCapture log = LogCapture.of(MainLoop.class)) {
            loop.execute(() -> {
                throw new IllegalStateException("a handler bug");
            });
            loop.execute(after::countDown);
            assertThat(after.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(log.warnings()).singleElement().satisfies(record -> {
                assertThat(record.getMessage()).isEqualTo("a main-loop task failed");
                assertThat(record.getThrown()).hasMessage("a handler bug");
            });
        }
        loop.shutdown();
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 50_000})
    void shutdownRunsWhatWasSubmittedThenRefusesMore(long spinNanos) throws Exception {
        SpinningMainLoop loop = new SpinningMainLoop("test-loop", Duration.ofNanos(spinNanos));
        AtomicInteger ran = new AtomicInteger();
        CountDownLatch gate = new CountDownLatch(1);
        loop.execute(() -> awaitQuietly(gate));
        for (int i = 0; i < 100; i++) {
            loop.execute(ran::incrementAndGet);
        }
        loop.shutdown();
        gate.countDown();
        assertThatThrownBy(() -> loop.execute(ran::incrementAndGet)).isInstanceOf(RejectedExecutionException.class);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ran.get() < 100 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(ran).hasValue(100);
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

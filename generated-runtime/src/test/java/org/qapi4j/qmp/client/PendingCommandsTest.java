package org.qapi4j.qmp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.DefaultEventLoop;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Commands waiting for replies, settled however the connection ends. */
class PendingCommandsTest {

    /**
     * A command fails after the connection's own event loop, where its timeout timer was, has
     * shut down (the connection closed): it still settles. Found by QmpConnectionFuzzTest:
     * cancelling the timer threw RejectedExecutionException on the callback thread, before the
     * command's future was completed, so it never was.
     */
    @Test
    @SuppressWarnings("deprecation") // shutdown(): the loop refuses tasks at once, while its thread is still busy
    void aCommandSettlesAfterItsTimersLoopIsGone() throws Exception {
        CallbackExecutor callbacks = new CallbackExecutor("test-callbacks", false);
        PendingCommands pending = new PendingCommands(4, callbacks);
        DefaultEventLoop loop = new DefaultEventLoop();
        CountDownLatch busy = new CountDownLatch(1);
        try {
            PendingCommands.Pending p = pending.open("query-status", false, false);
            pending.await(p, loop, Duration.ofMinutes(1));
            loop.submit(() -> { }).sync(); // the timer is in the loop's queue
            loop.execute(() -> awaitQuietly(busy));
            loop.shutdown(); // as the connection's own loop shuts down when it closes

            assertThat(pending.drain()).containsExactly(p);
            pending.fail(p, new QmpConnectionClosedException("closed"));
            assertThatThrownBy(() -> p.future.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(QmpConnectionClosedException.class);
            assertThat(pending.inFlight()).isZero();
        } finally {
            busy.countDown();
            callbacks.shutdown();
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

package org.qapi4j.vmm.migration.outgoing;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.qapi4j.vmm.migration.stream.StreamWriter;

/**
 * {@code max-bandwidth}, as QEMU 7.2 enforces it: the stream may send a tenth of the limit in
 * each 100 ms window ({@code BUFFER_DELAY}), and waits for the next window when it has. The
 * limit is read at each window, so {@code migrate-set-parameters} takes effect at once; {@link
 * #unlimited()} lifts it for the switch-over, when the guest is stopped and every millisecond
 * counts as downtime (QEMU does the same in {@code migration_completion}).
 */
final class RateLimiter implements StreamWriter.Pacer {
    static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final LongSupplier bytesPerSecond;
    private volatile boolean unlimited;
    private long windowStart = System.nanoTime();
    private long windowBytes;

    RateLimiter(LongSupplier bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    void unlimited() {
        unlimited = true;
    }

    @Override
    public void beforeSending(int bytes) throws InterruptedException {
        long now = System.nanoTime();
        if (now - windowStart >= WINDOW_NANOS) {
            windowStart = now;
            windowBytes = 0;
        }
        long limit = bytesPerSecond.getAsLong();
        if (!unlimited && limit > 0 && windowBytes > 0 && windowBytes + bytes > limit / 10) {
            TimeUnit.NANOSECONDS.sleep(windowStart + WINDOW_NANOS - now);
            windowStart = System.nanoTime();
            windowBytes = 0;
        }
        windowBytes += bytes;
    }
}

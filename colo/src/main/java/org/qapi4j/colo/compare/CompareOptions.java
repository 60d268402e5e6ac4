package org.qapi4j.colo.compare;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of an {@link OutputComparator}.
 *
 * @param timeout how long an output may wait for its counterpart before a checkpoint is
 *     requested (QEMU's {@code compare_timeout}, 3000 ms by default)
 * @param maxQueue outputs queued per connection and side (QEMU's {@code max_queue_size}, 1024)
 */
public record CompareOptions(Duration timeout, int maxQueue) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(3000);
    public static final int DEFAULT_MAX_QUEUE = 1024;

    public CompareOptions {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the timeout must be positive, not " + timeout);
        }
        if (maxQueue < 1) {
            throw new IllegalArgumentException("maxQueue must be at least 1, not " + maxQueue);
        }
    }

    /** QEMU's defaults: 3000 ms, 1024 outputs. */
    public static CompareOptions defaults() {
        return new CompareOptions(DEFAULT_TIMEOUT, DEFAULT_MAX_QUEUE);
    }

    public CompareOptions withTimeout(Duration timeout) {
        return new CompareOptions(timeout, maxQueue);
    }

    public CompareOptions withMaxQueue(int maxQueue) {
        return new CompareOptions(timeout, maxQueue);
    }
}

package org.qapi4j.vmm.migration.outgoing;

/**
 * The link's measured throughput, as QEMU 7.2's {@code migration_update_counters} measures it:
 * over windows of at least 100 ms, the last whole window counting; before the first window
 * closes, the rate since the start. What the switch-over decision and {@code mbps} use.
 */
final class ThroughputMeter {
    private final long startNanos;
    private long startBytes;
    private long windowStartNanos;
    private long windowStartBytes;
    private long windowStartPages;
    private double bytesPerNano = Double.NaN;
    private double pagesPerNano;

    ThroughputMeter(long nowNanos, long bytes) {
        this.startNanos = nowNanos;
        this.startBytes = bytes;
        this.windowStartNanos = nowNanos;
        this.windowStartBytes = bytes;
    }

    /**
     * Records that {@code bytes} and {@code pages} have been sent in all by {@code nowNanos}.
     *
     * @return whether a window closed (the rates changed)
     */
    boolean update(long nowNanos, long bytes, long pages) {
        long elapsed = nowNanos - windowStartNanos;
        if (elapsed < RateLimiter.WINDOW_NANOS) {
            return false;
        }
        bytesPerNano = (double) (bytes - windowStartBytes) / elapsed;
        pagesPerNano = (double) (pages - windowStartPages) / elapsed;
        windowStartNanos = nowNanos;
        windowStartBytes = bytes;
        windowStartPages = pages;
        return true;
    }

    /** Bytes a millisecond: the last window's rate, or the rate since the start. */
    double bytesPerMilli(long nowNanos, long bytes) {
        if (!Double.isNaN(bytesPerNano)) {
            return bytesPerNano * 1_000_000;
        }
        long elapsed = Math.max(nowNanos - startNanos, 1);
        return (double) (bytes - startBytes) / elapsed * 1_000_000;
    }

    /** Megabits a second, {@code query-migrate}'s {@code mbps}. */
    double mbps(long nowNanos, long bytes) {
        return bytesPerMilli(nowNanos, bytes) * 1000 * 8 / 1_000_000;
    }

    long pagesPerSecond() {
        return Math.round(pagesPerNano * 1_000_000_000);
    }
}

package org.qapi4j.vmm.migration.outgoing;

import org.qapi4j.vmm.machine.memory.GuestRam;
import org.qapi4j.vmm.migration.settings.MigrationSettings;

/**
 * Capability {@code auto-converge}, as QEMU 7.2 decides it at each sync of the dirty log ({@code
 * migration_bitmap_sync}, {@code migration_trigger_throttle}, {@code mig_throttle_guest_down}):
 * once at least a second has passed since the last decision, if the guest dirtied more bytes in
 * that period than {@code throttle-trigger-threshold} percent of the bytes sent, twice in a row,
 * the guest is throttled: first to {@code cpu-throttle-initial} percent, then up by {@code
 * cpu-throttle-increment} each time (or, with {@code cpu-throttle-tailslow}, by what should just
 * bring the dirty rate down to the threshold), never beyond {@code max-cpu-throttle}. The same
 * period gives {@code dirty-pages-rate}.
 */
final class AutoConverge {
    private static final long PERIOD_NANOS = 1_000_000_000L;

    private final MigrationSettings settings;
    private long periodStartNanos;
    private long periodStartBytes;
    private long dirtyPagesInPeriod;
    private int highCount;
    private int throttle;

    AutoConverge(MigrationSettings settings, long nowNanos, long bytesSent) {
        this.settings = settings;
        this.periodStartNanos = nowNanos;
        this.periodStartBytes = bytesSent;
    }

    /** What a sync decided: the throttle to apply now, and the dirty rate if the period closed. */
    record Decision(int throttlePercent, long dirtyPagesRate, boolean periodClosed) {}

    /**
     * A sync of the dirty log found {@code dirtyPages} pages dirty, with {@code bytesSent} sent
     * in all by {@code nowNanos}.
     */
    Decision synced(long nowNanos, long dirtyPages, long bytesSent, boolean enabled) {
        dirtyPagesInPeriod += dirtyPages;
        long elapsed = nowNanos - periodStartNanos;
        if (elapsed <= PERIOD_NANOS) {
            return new Decision(throttle, -1, false);
        }
        long bytesDirty = dirtyPagesInPeriod * GuestRam.PAGE_SIZE;
        long bytesThreshold = (bytesSent - periodStartBytes) * settings.throttleTriggerThreshold() / 100;
        if (enabled && bytesDirty > bytesThreshold && ++highCount >= 2) {
            highCount = 0;
            throttleDown(bytesDirty, bytesThreshold);
        }
        long rate = dirtyPagesInPeriod * 1_000_000_000L / elapsed;
        periodStartNanos = nowNanos;
        periodStartBytes = bytesSent;
        dirtyPagesInPeriod = 0;
        return new Decision(throttle, rate, true);
    }

    int throttle() {
        return throttle;
    }

    private void throttleDown(long bytesDirty, long bytesThreshold) {
        if (throttle == 0) {
            throttle = Math.min(settings.cpuThrottleInitial(), 99);
            return;
        }
        long increment = settings.cpuThrottleIncrement();
        if (settings.cpuThrottleTailslow()) {
            long cpuNow = 100 - throttle;
            long cpuIdeal = (long) (cpuNow * ((double) bytesThreshold / bytesDirty));
            increment = Math.min(cpuNow - cpuIdeal, increment);
        }
        throttle = (int) Math.min(Math.min(throttle + increment, settings.maxCpuThrottle()), 99);
    }
}

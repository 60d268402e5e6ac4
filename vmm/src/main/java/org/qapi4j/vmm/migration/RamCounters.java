package org.qapi4j.vmm.migration;

import org.qapi4j.vmm.api.MigrationStats;
import org.qapi4j.vmm.machine.memory.GuestRam;

/**
 * The counters behind {@code query-migrate}'s {@code ram} member, with QEMU 7.2's meanings
 * ({@code populate_ram_info}): the migration thread updates them, any thread reads them.
 * Members for features the VMM does not have (multifd, postcopy, zero-copy, skipped pages) are
 * zero, as QEMU reports them when those features are off.
 */
final class RamCounters {
    private final long totalBytes;
    private volatile long transferred;
    private volatile long duplicate;
    private volatile long normal;
    private volatile long dirtySyncCount;
    private volatile long dirtyPagesRate;
    private volatile double mbps;
    private volatile long pagesPerSecond;
    private volatile long precopyBytes;
    private volatile long downtimeBytes;
    private volatile long remainingPages;

    RamCounters(long totalBytes) {
        this.totalBytes = totalBytes;
    }

    /** A page went: as a zero marker ({@code duplicate}) or whole ({@code normal}). */
    void pageSent(boolean zero) {
        if (zero) {
            duplicate++;
        } else {
            normal++;
        }
    }

    /** Bytes written to the stream since the last call; {@code downtime}: with the guest stopped. */
    void bytesSent(long bytes, boolean downtime) {
        transferred += bytes;
        if (downtime) {
            downtimeBytes += bytes;
        } else {
            precopyBytes += bytes;
        }
    }

    /** A sync of the dirty log: QEMU's {@code dirty-sync-count}, which numbers MIGRATION_PASS. */
    long synced() {
        return ++dirtySyncCount;
    }

    long dirtySyncCount() {
        return dirtySyncCount;
    }

    void remainingPages(long pages) {
        remainingPages = pages;
    }

    /**
     * New rates: throughput, pages sent a second, pages dirtied a second; a NaN or negative
     * value leaves that rate as it was (each is measured over its own period).
     */
    void rates(double mbps, long pagesPerSecond, long dirtyPagesRate) {
        if (!Double.isNaN(mbps)) {
            this.mbps = mbps;
        }
        if (pagesPerSecond >= 0) {
            this.pagesPerSecond = pagesPerSecond;
        }
        if (dirtyPagesRate >= 0) {
            this.dirtyPagesRate = dirtyPagesRate;
        }
    }

    long transferred() {
        return transferred;
    }

    long pagesSent() {
        return duplicate + normal;
    }

    /**
     * {@code ram} as {@code query-migrate} shows it; once completed, QEMU leaves {@code remaining}
     * and {@code dirty-pages-rate} at zero.
     */
    MigrationStats toStats(boolean completed) {
        return new MigrationStats(transferred, completed ? 0 : remainingPages * GuestRam.PAGE_SIZE, totalBytes,
                duplicate, 0, normal, normal * GuestRam.PAGE_SIZE, completed ? 0 : dirtyPagesRate, mbps,
                dirtySyncCount, 0, GuestRam.PAGE_SIZE, 0, pagesPerSecond, precopyBytes, downtimeBytes, 0, 0);
    }
}

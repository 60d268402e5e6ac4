package org.qapi4j.vmm.machine.memory;

/**
 * Which pages of guest RAM were written since the last {@link #takeAndClear()}: what precopy
 * migration sends again each round and what a COLO checkpoint copies.
 *
 * <p>Thread-safe: the vCPU (and any other writer through {@link GuestRam}) sets bits while
 * migration reads and clears them. {@link GuestRam} marks a page after writing it, so a page
 * whose bit a take has just cleared is marked again once the write completes: a reader that
 * takes the log and then reads the pages it names never misses a change (at worst it reads a
 * change early and sends that page twice).
 */
public final class DirtyLog {
    private final AtomicBitmap bitmap;

    DirtyLog(long pages) {
        this.bitmap = new AtomicBitmap(pages);
    }

    /** How many pages the log covers: bit {@code p} of the bitmap is page {@code p}. */
    public long pages() {
        return bitmap.bits();
    }

    /**
     * The pages written since the last take, as a bitmap (page {@code p} is bit {@code p % 64}
     * of word {@code p / 64}), and clears them; each word is read and cleared atomically.
     */
    public long[] takeAndClear() {
        return bitmap.takeAndClear();
    }

    /** How many pages are marked now (a snapshot: writers may be marking more). */
    public long dirtyCount() {
        return bitmap.count();
    }

    /** Marks every page, as migration does at its start so that the first round sends all. */
    public void markAll() {
        bitmap.setAll();
    }

    /** Whether {@code page} is set in a bitmap {@link #takeAndClear()} returned. */
    public static boolean isDirty(long[] bitmap, long page) {
        return (bitmap[(int) (page >>> 6)] & (1L << page)) != 0;
    }

    /** Marks pages {@code first..last}, inclusive. */
    void mark(long first, long last) {
        bitmap.set(first, last);
    }
}

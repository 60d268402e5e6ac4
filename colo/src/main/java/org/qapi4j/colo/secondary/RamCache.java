package org.qapi4j.colo.secondary;

import java.nio.ByteBuffer;
import org.qapi4j.vmm.machine.memory.GuestRam;

/**
 * The secondary's copy of the primary's RAM as of the last checkpoint (QEMU's RAM cache):
 * checkpoints load into it while the secondary's own guest runs on its own RAM; applying a
 * checkpoint copies into the guest's RAM every page that either side changed since the last
 * one: the pages the checkpoint brought (the cache's dirty log) and the pages the secondary's
 * guest wrote (the RAM's dirty log). After that the guest's RAM equals the primary's.
 */
final class RamCache implements AutoCloseable {
    private final GuestRam ram;
    private final GuestRam cache;
    private final ByteBuffer page = ByteBuffer.allocateDirect(GuestRam.PAGE_SIZE);

    private RamCache(GuestRam ram, GuestRam cache) {
        this.ram = ram;
        this.cache = cache;
    }

    /**
     * A cache filled from {@code ram} as the initial migration left it (the primary's RAM). Both
     * are allocated whole here, before the guest runs (QEMU's cache is a full copy of RAM too): a
     * checkpoint's page landing in memory never touched would cost a page fault in the cache and
     * another in the RAM, about 13 µs each on a microVM, inside the checkpoint's pause.
     */
    static RamCache of(GuestRam ram) {
        ram.preallocateUnwritten();
        RamCache cache = new RamCache(ram, GuestRam.allocate(ram.size(), true));
        for (long p = 0; p < ram.pages(); p++) {
            if (!ram.isZeroPage(p)) {
                cache.copy(ram, cache.cache, p);
            }
        }
        cache.cache.dirtyLog().takeAndClear();
        ram.dirtyLog().takeAndClear();
        return cache;
    }

    /** Where a checkpoint's pages load. */
    GuestRam cache() {
        return cache;
    }

    /**
     * Copies into the guest's RAM each page changed on either side since the last checkpoint;
     * the guest must be stopped. Afterwards both dirty logs are clear.
     *
     * @return how many pages were copied
     */
    long apply() {
        long[] received = cache.dirtyLog().takeAndClear();
        long[] written = ram.dirtyLog().takeAndClear();
        long copied = 0;
        for (int w = 0; w < received.length; w++) {
            long word = received[w] | written[w];
            while (word != 0) {
                int bit = Long.numberOfTrailingZeros(word);
                word &= word - 1;
                copy(cache, ram, ((long) w << 6) + bit);
                copied++;
            }
        }
        ram.dirtyLog().takeAndClear();
        return copied;
    }

    private void copy(GuestRam from, GuestRam to, long p) {
        page.clear();
        from.readPage(p, page);
        page.flip();
        to.writePage(p, page);
    }

    @Override
    public void close() {
        cache.close();
    }
}

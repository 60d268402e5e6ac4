package org.qapi4j.vmm.machine.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.RepeatedTest;

/**
 * A writer writes every page exactly once while a taker takes the log as fast as it can: each
 * page must then be in exactly one take (a bit lost between a take's read and its clear would be
 * in none), and a take that names a page must see the page's new bytes (the mark follows the
 * write).
 */
class DirtyLogConcurrencyTest {
    private static final int PAGES = 16 * 1024;

    @RepeatedTest(3)
    void aConcurrentTakerLosesNoPage() throws Exception {
        try (GuestRam ram = GuestRam.allocate((long) PAGES * GuestRam.PAGE_SIZE)) {
            List<Long> order = new ArrayList<>();
            for (long page = 0; page < PAGES; page++) {
                order.add(page);
            }
            Collections.shuffle(order, new java.util.Random(42));

            AtomicBoolean writerDone = new AtomicBoolean();
            Thread writer = new Thread(() -> {
                for (long page : order) {
                    ram.writeLong(page * GuestRam.PAGE_SIZE + 8 * (page % 512), page + 1);
                }
                writerDone.set(true);
            });
            int[] timesSeen = new int[PAGES];
            AtomicLong staleReads = new AtomicLong();
            long takes = 0;
            writer.start();
            boolean last = false;
            while (!last) {
                last = writerDone.get(); // one more take after the writer has finished
                long[] bitmap = ram.dirtyLog().takeAndClear();
                takes++;
                for (int page = 0; page < PAGES; page++) {
                    if (DirtyLog.isDirty(bitmap, page)) {
                        timesSeen[page]++;
                        if (ram.readLong((long) page * GuestRam.PAGE_SIZE + 8 * (page % 512)) != page + 1) {
                            staleReads.incrementAndGet();
                        }
                    }
                }
            }
            writer.join();

            assertThat(takes).as("takes raced with the writer").isGreaterThan(2);
            assertThat(timesSeen).as("every page in exactly one take").containsOnly(1);
            assertThat(staleReads.get()).as("pages a take named but whose write it could not see").isZero();
            assertThat(ram.dirtyLog().dirtyCount()).isZero();
        }
    }
}

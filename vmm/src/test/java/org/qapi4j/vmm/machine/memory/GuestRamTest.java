package org.qapi4j.vmm.machine.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestRamTest {
    private static final int PAGE = GuestRam.PAGE_SIZE;

    private final GuestRam ram = GuestRam.allocate(64 * PAGE);

    @AfterEach
    void close() {
        ram.close();
    }

    @Test
    void sizeMustBeAPositiveMultipleOfThePageSize() {
        assertThatThrownBy(() -> GuestRam.allocate(PAGE + 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("guest RAM size must be a positive multiple of 4096 bytes, not 4097");
        assertThatThrownBy(() -> GuestRam.allocate(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ram.size()).isEqualTo(64L * PAGE);
        assertThat(ram.pages()).isEqualTo(64);
    }

    @Test
    void newRamReadsZeroAndNothingIsDirty() {
        assertThat(ram.readLong(123)).isZero();
        assertThat(ram.readInt(PAGE - 2)).isZero();
        assertThat(ram.dirtyLog().dirtyCount()).isZero();
        assertThat(dirtyPages(ram.dirtyLog().takeAndClear())).isEmpty();
    }

    @Test
    void valuesReadBackLittleEndianIncludingAcrossPages() {
        ram.writeLong(8, 0x0102030405060708L);
        ram.writeLong(PAGE - 3, 0x1122334455667788L);
        ram.writeInt(2 * PAGE - 1, 0xCAFEBABE);
        assertThat(ram.readLong(8)).isEqualTo(0x0102030405060708L);
        assertThat(ram.readLong(PAGE - 3)).isEqualTo(0x1122334455667788L);
        assertThat(ram.readInt(2 * PAGE - 1)).isEqualTo(0xCAFEBABE);
        byte[] bytes = new byte[4];
        ram.read(8, bytes, 0, 4);
        assertThat(bytes).containsExactly(0x08, 0x07, 0x06, 0x05);
    }

    @Test
    void eachWriteMarksExactlyThePagesItTouches() {
        ram.writeLong(5 * PAGE + 16, 1);
        assertThat(dirtyPages(ram.dirtyLog().takeAndClear())).containsExactly(5L);

        ram.writeLong(7 * PAGE - 4, -1); // four bytes in page 6, four in page 7
        assertThat(dirtyPages(ram.dirtyLog().takeAndClear())).containsExactly(6L, 7L);

        ram.writeInt(10 * PAGE - 1, 7); // one byte in page 9, three in page 10
        assertThat(dirtyPages(ram.dirtyLog().takeAndClear())).containsExactly(9L, 10L);

        ram.write(20 * PAGE + 100, new byte[2 * PAGE], 0, 2 * PAGE); // pages 20, 21, 22
        assertThat(dirtyPages(ram.dirtyLog().takeAndClear())).containsExactly(20L, 21L, 22L);

        ram.write(30 * PAGE, new byte[PAGE], 0, PAGE); // exactly one page, ending at a boundary
        assertThat(dirtyPages(ram.dirtyLog().takeAndClear())).containsExactly(30L);

        ram.writePage(63, filled((byte) 1));
        assertThat(ram.dirtyLog().dirtyCount()).isEqualTo(1);
        assertThat(dirtyPages(ram.dirtyLog().takeAndClear())).containsExactly(63L);
    }

    @Test
    void preallocatingTheUnwrittenPagesChangesNoByteAndNoLog() {
        ram.writeLong(3 * PAGE, 0x0102030405060708L); // byte 0 of page 3 is 8: it must stay 8
        ram.dirtyLog().takeAndClear();
        ram.preallocateUnwritten();
        assertThat(ram.readLong(3 * PAGE)).isEqualTo(0x0102030405060708L);
        assertThat(ram.readLong(0)).isZero();
        assertThat(ram.isZeroPage(0)).isTrue();
        assertThat(ram.isZeroPage(3)).isFalse();
        assertThat(ram.dirtyLog().dirtyCount()).as("pages the guest wrote: none since the log was taken").isZero();
    }

    @Test
    void readsDoNotMarkPages() {
        ram.writeLong(0, 42);
        ram.dirtyLog().takeAndClear();
        ram.readLong(0);
        ram.read(0, new byte[3 * PAGE], 0, 3 * PAGE);
        ram.readPage(1, new byte[PAGE]);
        ram.isZeroPage(0);
        assertThat(ram.dirtyLog().dirtyCount()).isZero();
    }

    @Test
    void takeAndClearClears() {
        ram.writeLong(3 * PAGE, 1);
        ram.writeLong(40 * PAGE, 1);
        assertThat(ram.dirtyLog().dirtyCount()).isEqualTo(2);
        assertThat(dirtyPages(ram.dirtyLog().takeAndClear())).containsExactly(3L, 40L);
        assertThat(ram.dirtyLog().dirtyCount()).isZero();
        assertThat(dirtyPages(ram.dirtyLog().takeAndClear())).isEmpty();
    }

    @Test
    void markAllMarksEveryPageAndNoMore() {
        GuestRam odd = GuestRam.allocate(70L * PAGE); // not a multiple of 64 pages: a partial last word
        try {
            odd.dirtyLog().markAll();
            assertThat(odd.dirtyLog().dirtyCount()).isEqualTo(70);
            assertThat(dirtyPages(odd.dirtyLog().takeAndClear())).hasSize(70).endsWith(69L);
        } finally {
            odd.close();
        }
    }

    @Test
    void zeroPagesAreFound() {
        assertThat(ram.isZeroPage(4)).isTrue();
        ram.writeInt(4 * PAGE + PAGE - 4, 1);
        assertThat(ram.isZeroPage(4)).isFalse();
        assertThat(ram.isZeroPage(3)).isTrue();
        assertThat(ram.isZeroPage(5)).isTrue();
        ram.writeInt(4 * PAGE + PAGE - 4, 0); // written, but back to zero: found by looking
        assertThat(ram.isZeroPage(4)).isTrue();
    }

    @Test
    void aZeroPageWrittenOverAnEmptyPageIsMarkedButStaysZero() {
        ram.writePage(9, new byte[PAGE]);
        assertThat(dirtyPages(ram.dirtyLog().takeAndClear())).containsExactly(9L);
        assertThat(ram.isZeroPage(9)).isTrue();
        byte[] page = filled((byte) 7);
        ram.readPage(9, page);
        assertThat(page).containsOnly(0);
    }

    @Test
    void zerosWrittenOverWrittenPagesAreWrittenAndZerosOverEmptyPagesAreOnlyMarked() {
        byte[] ones = filled((byte) 1);
        ram.write(3L * PAGE, ones, 0, PAGE);
        ram.dirtyLog().takeAndClear();
        byte[] zeros = new byte[3 * PAGE];
        ram.write(2L * PAGE + 100, zeros, 0, zeros.length); // pages 2 (part), 3 (whole, written), 4 (whole, empty), 5 (part)
        assertThat(dirtyPages(ram.dirtyLog().takeAndClear())).containsExactly(2L, 3L, 4L, 5L);
        assertThat(ram.isZeroPage(3)).as("the written page was overwritten").isTrue();
        byte[] back = new byte[PAGE];
        ram.readPage(3, back);
        assertThat(back).containsOnly(0);
        assertThat(ram.isZeroPage(4)).isTrue();
    }

    @Test
    void pagesCopyWhole() {
        byte[] page = new byte[PAGE];
        new Random(1).nextBytes(page);
        ram.writePage(12, page);
        byte[] back = new byte[PAGE];
        ram.readPage(12, back);
        assertThat(back).isEqualTo(page);
    }

    @Test
    void outOfRangeAccessesAreRejectedNamingTheRange() {
        long size = ram.size();
        assertThatThrownBy(() -> ram.readLong(size - 4)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("guest-physical range [0x3fffc, 0x40004) is outside RAM [0, 0x40000)");
        assertThatThrownBy(() -> ram.writeLong(-1, 0)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("is outside RAM");
        assertThatThrownBy(() -> ram.writeInt(size, 0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> ram.write(size - 10, new byte[11], 0, 11)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> ram.read(Long.MAX_VALUE - 2, new byte[8], 0, 8)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> ram.readPage(64, new byte[PAGE])).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("page 64 is outside RAM of 64 pages");
        assertThatThrownBy(() -> ram.isZeroPage(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> ram.writePage(0, new byte[PAGE - 1])).isInstanceOf(IllegalArgumentException.class);
        // A rejected write changed nothing and marked nothing.
        assertThat(ram.dirtyLog().dirtyCount()).isZero();
    }

    @Test
    void accessesAcrossChunksWork() {
        // Two 256 MiB chunks; only the pages written are ever allocated.
        try (GuestRam big = GuestRam.allocate(RamBacking.CHUNK_BYTES * 2)) {
            long boundary = RamBacking.CHUNK_BYTES;
            big.writeLong(boundary - 4, 0x0807060504030201L);
            big.writeInt(boundary - 2, 0x44332211);
            assertThat(big.readLong(boundary - 4)).isEqualTo(0x0807_4433_2211_0201L);
            assertThat(big.readInt(boundary - 2)).isEqualTo(0x44332211);
            byte[] across = new byte[3 * PAGE];
            Arrays.fill(across, (byte) 9);
            big.write(boundary - PAGE - 1, across, 0, across.length);
            byte[] back = new byte[across.length];
            big.read(boundary - PAGE - 1, back, 0, back.length);
            assertThat(back).isEqualTo(across);
            long lastPageOfFirstChunk = boundary / PAGE - 1;
            assertThat(dirtyPages(big.dirtyLog().takeAndClear()))
                    .containsExactly(lastPageOfFirstChunk - 1, lastPageOfFirstChunk, lastPageOfFirstChunk + 1, lastPageOfFirstChunk + 2);
        }
    }

    @Test
    void clearZeroesWrittenPagesAndMarksThem() {
        ram.writeLong(2 * PAGE, 5);
        ram.writeLong(33 * PAGE, 6);
        ram.dirtyLog().takeAndClear();
        ram.clear();
        assertThat(ram.readLong(2 * PAGE)).isZero();
        assertThat(ram.readLong(33 * PAGE)).isZero();
        assertThat(ram.isZeroPage(2)).isTrue();
        assertThat(dirtyPages(ram.dirtyLog().takeAndClear())).containsExactly(2L, 33L);
    }

    @Test
    void saveWritesExactlyTheRequestedBytes(@TempDir Path dir) throws Exception {
        byte[] pattern = new byte[PAGE + 300];
        new Random(7).nextBytes(pattern);
        ram.write(3 * PAGE - 150, pattern, 0, pattern.length);
        ram.writeLong(10 * PAGE + 8, 0x7777_7777_7777_7777L);

        Path file = dir.resolve("pmem.bin");
        Files.write(file, new byte[20 * PAGE]); // longer than what is saved: must be truncated
        long address = 2 * PAGE + 17;
        int size = 9 * PAGE + 5; // spans written and never-written pages, ends mid-page
        ram.save(address, size, file);

        byte[] expected = new byte[size];
        ram.read(address, expected, 0, size);
        assertThat(Files.readAllBytes(file)).hasSize(size).isEqualTo(expected);
        assertThat(expected).containsSequence(pattern);

        Path tail = dir.resolve("tail.bin"); // ends in never-written memory: still the exact length
        ram.save(50 * PAGE, 3 * PAGE, tail);
        assertThat(Files.readAllBytes(tail)).hasSize(3 * PAGE).containsOnly(0);

        assertThatThrownBy(() -> ram.save(60 * PAGE, 5 * PAGE, tail)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void closedRamRefusesAccess() {
        GuestRam closed = GuestRam.allocate(PAGE);
        closed.writeLong(0, 1);
        closed.close();
        closed.close(); // idempotent
        assertThatThrownBy(() -> closed.readLong(0)).isInstanceOf(IllegalStateException.class).hasMessage("guest RAM is closed");
        assertThatThrownBy(() -> closed.writePage(0, new byte[PAGE])).isInstanceOf(IllegalStateException.class);
    }

    static java.util.List<Long> dirtyPages(long[] bitmap) {
        java.util.List<Long> pages = new java.util.ArrayList<>();
        for (long page = 0; page < 64L * bitmap.length; page++) {
            if (DirtyLog.isDirty(bitmap, page)) {
                pages.add(page);
            }
        }
        return pages;
    }

    private static byte[] filled(byte value) {
        byte[] page = new byte[PAGE];
        Arrays.fill(page, value);
        return page;
    }
}

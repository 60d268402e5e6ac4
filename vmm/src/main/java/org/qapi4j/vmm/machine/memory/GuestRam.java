package org.qapi4j.vmm.machine.memory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;

/**
 * Guest RAM: {@link #size()} bytes addressed from 0 (guest-physical addresses), in pages of
 * {@value #PAGE_SIZE} bytes, held off the Java heap (see {@link RamBacking}), little-endian.
 *
 * <p>This class is the only way to write guest memory, and every write marks the pages it
 * touched in the {@link #dirtyLog() dirty log} after the bytes are in place; so migration and
 * COLO, which take the log and then read the pages, never miss a change.
 *
 * <p>Zero pages are cheap to find: the RAM also remembers which pages were ever written since
 * power-on (or the last {@link #clear()}), and a page never written is zero without reading it.
 * That matters beyond speed: reading a never-written page of a tmpfs mapping would allocate it,
 * so {@link #readPage}, {@link #isZeroPage} and {@link #save} over a mostly empty 1 GiB guest
 * would otherwise grow the process by 1 GiB.
 *
 * <p>Thread-safe for concurrent reads and writes (each access is an absolute access to the
 * mapping); a reader racing with a writer of the same bytes may see either value, as on real
 * hardware. Out-of-range accesses throw {@link IndexOutOfBoundsException} naming the range.
 */
public final class GuestRam implements AutoCloseable {
    /** Bytes in a page: the unit of the dirty log, of migration and of zero-page detection. */
    public static final int PAGE_SIZE = 4096;

    static final int PAGE_SHIFT = 12;
    private static final ByteBuffer ZERO_PAGE = ByteBuffer.allocate(PAGE_SIZE).asReadOnlyBuffer();
    private static final byte[] ZERO_BYTES = new byte[PAGE_SIZE];

    private final long size;
    private final RamBacking backing;
    private final MappedByteBuffer[] chunks;
    private final DirtyLog dirtyLog;
    /** Pages written since power-on or the last clear: all others are known to be zero. */
    private final AtomicBitmap written;
    private volatile boolean closed;

    private GuestRam(long size, RamBacking backing) {
        this.size = size;
        this.backing = backing;
        this.chunks = backing.chunks();
        this.dirtyLog = new DirtyLog(size / PAGE_SIZE);
        this.written = new AtomicBitmap(size / PAGE_SIZE);
    }

    /**
     * Allocates {@code bytes} of zeroed guest RAM, a positive multiple of {@link #PAGE_SIZE}.
     * Memory is committed only as pages are written.
     *
     * @throws IllegalArgumentException if {@code bytes} is not a positive multiple of the page size
     * @throws java.io.UncheckedIOException if no file system has room to back it
     */
    public static GuestRam allocate(long bytes) {
        return allocate(bytes, false);
    }

    /**
     * As {@link #allocate(long)}; with {@code prealloc}, every page is allocated now (QEMU's
     * {@code -mem-prealloc}) instead of when first written: a page's first write costs a page
     * fault, about 13 µs on a microVM, which caps a migration destination receiving a whole
     * guest into fresh memory at about 250 MB/s. The RAM still reads as zero and no page counts
     * as written, so zero-page shortcuts and the footprint of {@link #save} are unchanged.
     *
     * @throws java.io.UncheckedIOException if the memory runs out while it is allocated
     */
    public static GuestRam allocate(long bytes, boolean prealloc) {
        if (bytes <= 0 || bytes % PAGE_SIZE != 0) {
            throw new IllegalArgumentException("guest RAM size must be a positive multiple of " + PAGE_SIZE + " bytes, not " + bytes);
        }
        RamBacking backing = RamBacking.map(bytes);
        if (prealloc) {
            try {
                backing.preallocate(PAGE_SIZE);
            } catch (RuntimeException e) {
                backing.close();
                throw e;
            }
        }
        return new GuestRam(bytes, backing);
    }

    /** Bytes of RAM. */
    public long size() {
        return size;
    }

    /** Pages of RAM: {@code size() / PAGE_SIZE}. */
    public long pages() {
        return size / PAGE_SIZE;
    }

    /** The log of pages written, which migration and COLO take and clear. */
    public DirtyLog dirtyLog() {
        return dirtyLog;
    }

    public long readLong(long address) {
        check(address, Long.BYTES);
        if (crossesPage(address, Long.BYTES)) {
            return LittleEndian.decode(readBytes(address, Long.BYTES));
        }
        return isWritten(address) ? chunk(address).getLong(offset(address)) : 0;
    }

    public void writeLong(long address, long value) {
        check(address, Long.BYTES);
        if (crossesChunk(address, Long.BYTES)) {
            write(address, LittleEndian.encode(value, Long.BYTES), 0, Long.BYTES);
            return;
        }
        chunk(address).putLong(offset(address), value);
        markWritten(address, Long.BYTES);
    }

    public int readInt(long address) {
        check(address, Integer.BYTES);
        if (crossesPage(address, Integer.BYTES)) {
            return (int) LittleEndian.decode(readBytes(address, Integer.BYTES));
        }
        return isWritten(address) ? chunk(address).getInt(offset(address)) : 0;
    }

    public void writeInt(long address, int value) {
        check(address, Integer.BYTES);
        if (crossesChunk(address, Integer.BYTES)) {
            write(address, LittleEndian.encode(value, Integer.BYTES), 0, Integer.BYTES);
            return;
        }
        chunk(address).putInt(offset(address), value);
        markWritten(address, Integer.BYTES);
    }

    /** Copies {@code len} bytes at {@code address} into {@code dst[off..off+len)}. */
    public void read(long address, byte[] dst, int off, int len) {
        Objects.checkFromIndexSize(off, len, dst.length);
        check(address, len);
        long end = address + len;
        for (long at = address; at < end; ) {
            int n = (int) Math.min(end - at, PAGE_SIZE - (at & (PAGE_SIZE - 1)));
            int to = off + (int) (at - address);
            if (isWritten(at)) {
                chunk(at).get(offset(at), dst, to, n);
            } else {
                Arrays.fill(dst, to, to + n, (byte) 0);
            }
            at += n;
        }
    }

    /**
     * Copies {@code src[off..off+len)} to {@code address}, marking every page it touches. A whole
     * page of zeros written over a never-written page is only marked: the memory already reads
     * as zero, and leaving it unallocated keeps the footprint down (a boot that copies a blank
     * disk into RAM, a migration target receiving zero pages).
     */
    public void write(long address, byte[] src, int off, int len) {
        Objects.checkFromIndexSize(off, len, src.length);
        check(address, len);
        long end = address + len;
        for (long at = address; at < end; ) {
            int n = (int) Math.min(end - at, PAGE_SIZE - (at & (PAGE_SIZE - 1)));
            int from = off + (int) (at - address);
            boolean stillZero = n == PAGE_SIZE && !isWritten(at) && Arrays.mismatch(src, from, from + n, ZERO_BYTES, 0, n) < 0;
            if (!stillZero) {
                chunk(at).put(offset(at), src, from, n);
                written.set(at >>> PAGE_SHIFT, at >>> PAGE_SHIFT);
            }
            dirtyLog.mark(at >>> PAGE_SHIFT, at >>> PAGE_SHIFT);
            at += n;
        }
    }

    /** Copies page {@code page} into {@code dst}, which holds exactly one page. */
    public void readPage(long page, byte[] dst) {
        checkPageBuffer(page, dst);
        read(page << PAGE_SHIFT, dst, 0, PAGE_SIZE);
    }

    /**
     * Overwrites page {@code page} with {@code src}, which holds exactly one page, and marks it
     * dirty (see {@link #write} for zero pages).
     */
    public void writePage(long page, byte[] src) {
        checkPageBuffer(page, src);
        write(page << PAGE_SHIFT, src, 0, PAGE_SIZE);
    }

    /**
     * Appends page {@code page} to {@code dst} (its position advances by a page): how migration
     * copies a page into its send buffer without a heap array in between.
     *
     * @throws java.nio.BufferOverflowException if {@code dst} has less than a page left
     */
    public void readPage(long page, ByteBuffer dst) {
        checkPage(page);
        long address = page << PAGE_SHIFT;
        if (isWritten(address)) {
            dst.put(chunk(address).slice(offset(address), PAGE_SIZE));
        } else {
            dst.put(ZERO_PAGE.duplicate());
        }
    }

    /**
     * Overwrites page {@code page} with the next page of {@code src} (its position advances by a
     * page) and marks it dirty; zeros over a never-written page only mark it (see {@link #write}).
     *
     * @throws java.nio.BufferUnderflowException if {@code src} has less than a page left
     */
    public void writePage(long page, ByteBuffer src) {
        checkPage(page);
        if (src.remaining() < PAGE_SIZE) {
            throw new java.nio.BufferUnderflowException();
        }
        long address = page << PAGE_SHIFT;
        ByteBuffer contents = src.slice(src.position(), PAGE_SIZE);
        src.position(src.position() + PAGE_SIZE);
        if (isWritten(address) || contents.mismatch(ZERO_PAGE) >= 0) {
            chunk(address).put(offset(address), contents, 0, PAGE_SIZE);
            written.set(page, page);
        }
        dirtyLog.mark(page, page);
    }

    /** Zeroes page {@code page} and marks it dirty; free for a page never written. */
    public void zeroPage(long page) {
        zeroPages(page, 1);
    }

    /**
     * Zeroes the {@code count} pages from {@code first} and marks them dirty, in one range of
     * the log: a migration's run of zero pages (an idle guest's whole RAM) costs a bitmap scan.
     */
    public void zeroPages(long first, long count) {
        checkPage(first);
        if (count < 1 || count > pages() - first) {
            throw new IndexOutOfBoundsException(count + " pages from page " + first + " pass the end of RAM of " + pages());
        }
        long end = first + count;
        for (long page = written.nextSet(first, end); page >= 0; page = written.nextSet(page + 1, end)) {
            long address = page << PAGE_SHIFT;
            chunk(address).put(offset(address), ZERO_BYTES, 0, PAGE_SIZE);
        }
        dirtyLog.mark(first, first + count - 1);
    }

    /**
     * Allocates now every page never written, as {@code -mem-prealloc} would have at start, so
     * that its first write costs no page fault. Only while nothing writes this RAM (the guest
     * stopped): it writes a zero byte into each such page, past the dirty log.
     */
    public void preallocateUnwritten() {
        backing.preallocate(PAGE_SIZE, this::isWritten);
    }

    /** Whether every byte of page {@code page} is zero; free for pages never written. */
    public boolean isZeroPage(long page) {
        checkPage(page);
        long address = page << PAGE_SHIFT;
        return !isWritten(address) || chunk(address).slice(offset(address), PAGE_SIZE).mismatch(ZERO_PAGE) < 0;
    }

    /**
     * Writes the {@code size} bytes at {@code address} to {@code file} (created or truncated),
     * byte for byte, as QMP's {@code pmemsave} does. Never-written pages become holes.
     */
    public void save(long address, long size, Path file) throws IOException {
        check(address, size);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long end = address + size;
            for (long at = address; at < end; ) {
                long runEnd = endOfRun(at, end);
                if (isWritten(at)) {
                    ByteBuffer run = chunk(at).slice(offset(at), (int) (runEnd - at));
                    for (long position = at - address; run.hasRemaining(); ) {
                        position += out.write(run, position);
                    }
                }
                at = runEnd;
            }
            if (out.size() < size) {
                out.write(ByteBuffer.allocate(1), size - 1);
            }
        }
    }

    /**
     * Zeroes RAM, as at power-on: every page written since the last clear is zeroed and marked
     * dirty (it changed), and is again known to be zero.
     */
    public void clear() {
        checkOpen();
        for (long page = 0; page < pages(); page++) {
            long address = page << PAGE_SHIFT;
            if (isWritten(address)) {
                chunk(address).put(offset(address), ZERO_BYTES, 0, PAGE_SIZE);
                written.clear(page);
                dirtyLog.mark(page, page);
            }
        }
    }

    /** Frees the memory. Later accesses throw {@link IllegalStateException}. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            backing.close();
        }
    }

    /** Where the memory lives, for diagnostics: {@code /dev/shm} or the temp directory. */
    public Path backingDirectory() {
        return backing.directory();
    }

    /** The end of the run of pages from {@code at} sharing its written-ness and its chunk. */
    private long endOfRun(long at, long end) {
        boolean runWritten = isWritten(at);
        long chunk = at >>> RamBacking.CHUNK_SHIFT;
        long next = ((at >>> PAGE_SHIFT) + 1) << PAGE_SHIFT;
        while (next < end && isWritten(next) == runWritten && (next >>> RamBacking.CHUNK_SHIFT) == chunk) {
            next += PAGE_SIZE;
        }
        return Math.min(next, end);
    }

    private byte[] readBytes(long address, int len) {
        byte[] bytes = new byte[len];
        read(address, bytes, 0, len);
        return bytes;
    }

    private void markWritten(long address, long len) {
        if (len == 0) {
            return;
        }
        long first = address >>> PAGE_SHIFT;
        long last = (address + len - 1) >>> PAGE_SHIFT;
        written.set(first, last);
        dirtyLog.mark(first, last);
    }

    private boolean isWritten(long address) {
        return written.get(address >>> PAGE_SHIFT);
    }

    private static boolean crossesPage(long address, int len) {
        return (address >>> PAGE_SHIFT) != ((address + len - 1) >>> PAGE_SHIFT);
    }

    private static boolean crossesChunk(long address, int len) {
        return (address >>> RamBacking.CHUNK_SHIFT) != ((address + len - 1) >>> RamBacking.CHUNK_SHIFT);
    }

    private MappedByteBuffer chunk(long address) {
        return chunks[(int) (address >>> RamBacking.CHUNK_SHIFT)];
    }

    private static int offset(long address) {
        return (int) (address & (RamBacking.CHUNK_BYTES - 1));
    }

    private void check(long address, long len) {
        checkOpen();
        if (address < 0 || len < 0 || address > size - len) {
            throw new IndexOutOfBoundsException(String.format(
                    "guest-physical range [0x%x, 0x%x) is outside RAM [0, 0x%x)", address, address + len, size));
        }
    }

    private void checkPage(long page) {
        checkOpen();
        if (page < 0 || page >= pages()) {
            throw new IndexOutOfBoundsException("page " + page + " is outside RAM of " + pages() + " pages");
        }
    }

    private void checkPageBuffer(long page, byte[] buffer) {
        checkPage(page);
        if (buffer.length != PAGE_SIZE) {
            throw new IllegalArgumentException("a page buffer holds " + PAGE_SIZE + " bytes, not " + buffer.length);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("guest RAM is closed");
        }
    }
}

package org.qapi4j.vmm.machine.memory;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The memory behind guest RAM: a file in {@code /dev/shm} (or, when that is missing or too
 * small, {@code java.io.tmpdir}) memory-mapped in chunks and deleted at once, so that nothing
 * else can open it.
 *
 * <p>Why a file and not {@code ByteBuffer.allocateDirect}: direct buffers count against
 * {@code -XX:MaxDirectMemorySize} (by default the heap's maximum, so a 1 GiB guest could not
 * run with {@code -Xmx64m}) and are zeroed, touching every page. A sparse file's pages are
 * allocated only when first written, so the process's RSS grows with the pages the guest
 * touches. Chunks, because one mapping holds at most 2 GiB.
 *
 * <p>Why not anonymous memory with transparent huge pages ({@code madvise(MADV_HUGEPAGE)}, as
 * QEMU's RAM has; this kernel gives none to {@code /dev/shm}, {@code shmem_enabled} is {@code
 * never}): Java 17 reaches {@code mmap} and {@code madvise} only through the incubating Foreign
 * Linker, which needs {@code --add-modules jdk.incubator.foreign} and {@code
 * --enable-native-access} on every start and prints a warning about incubator modules on
 * standard error each time, where the VMM's errors are one line as QEMU's; and an anonymous
 * mapping is freed by unmapping it, which crashes the JVM if an access races with it (see
 * below). What it buys was measured too: on this microVM the first touch of 1 GiB of huge pages
 * took 2.7-2.9 times less than of 4 KiB pages (under load), not nothing, because the host still
 * faults in every 4 KiB under each huge page. {@code -mem-prealloc} ({@link #preallocate}) takes
 * the faults out of a migration altogether, without native code.
 *
 * <p>{@link #close()} truncates the file, which hands its memory back to the system at once,
 * instead of unmapping: an access racing with an unmap would crash the JVM, one racing with a
 * truncation only throws an {@link InternalError} in that thread. The mapping's address space
 * goes when the collector frees the buffers.
 */
final class RamBacking implements AutoCloseable {
    /** 256 MiB: small enough that the last, partial chunk wastes little address space. */
    static final int CHUNK_SHIFT = 28;
    static final long CHUNK_BYTES = 1L << CHUNK_SHIFT;

    private final FileChannel channel;
    private final MappedByteBuffer[] chunks;
    private final Path directory;

    private RamBacking(FileChannel channel, MappedByteBuffer[] chunks, Path directory) {
        this.channel = channel;
        this.chunks = chunks;
        this.directory = directory;
    }

    /** Maps {@code bytes} of zeroed memory, little-endian (the byte order of x86 guests). */
    static RamBacking map(long bytes) {
        Path directory = directoryFor(bytes);
        Path file;
        try {
            file = Files.createTempFile(directory, "qapi4j-guest-ram-", ".ram");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create guest RAM's file in " + directory + ": " + e.getMessage(), e);
        }
        FileChannel channel = null;
        try (RandomAccessFile sizer = new RandomAccessFile(file.toFile(), "rw")) {
            // ftruncate: the file grows as a hole, no page allocated until the guest writes it.
            sizer.setLength(bytes);
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            List<MappedByteBuffer> mapped = new ArrayList<>();
            for (long offset = 0; offset < bytes; offset += CHUNK_BYTES) {
                MappedByteBuffer chunk = channel.map(FileChannel.MapMode.READ_WRITE, offset,
                        Math.min(CHUNK_BYTES, bytes - offset));
                chunk.order(ByteOrder.LITTLE_ENDIAN);
                mapped.add(chunk);
            }
            return new RamBacking(channel, mapped.toArray(MappedByteBuffer[]::new), directory);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot map " + bytes + " bytes of guest RAM in " + directory + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // The mapping works without the name; a leftover file in /dev/shm is only untidy.
            }
        }
    }

    /** /dev/shm when it exists and has room (tmpfs: memory, no disk writes), else the temp dir. */
    private static Path directoryFor(long bytes) {
        Path shm = Path.of("/dev/shm");
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long shmFree = usableSpace(shm);
        if (shmFree >= bytes && Files.isWritable(shm)) {
            return shm;
        }
        long tmpFree = usableSpace(tmp);
        if (tmpFree >= bytes && Files.isWritable(tmp)) {
            return tmp;
        }
        // A guest that writes beyond the backing's free space would fault (SIGBUS) on a page
        // deep inside a step; refuse up front instead.
        throw new UncheckedIOException(new IOException("cannot back " + bytes + " bytes of guest RAM: "
                + shm + " has " + Math.max(shmFree, 0) + " bytes free, " + tmp + " has " + Math.max(tmpFree, 0)));
    }

    private static long usableSpace(Path directory) {
        try {
            return Files.isDirectory(directory) ? Files.getFileStore(directory).getUsableSpace() : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Allocates every page now, by writing a zero byte into each (the memory's contents do not
     * change). A write, not {@link MappedByteBuffer#load()}: a read maps a tmpfs page read-only
     * and its first write faults again (measured: a page's first write after {@code load()}
     * still costs a third of a fresh one's). One thread: on the 2-core microVM this was measured
     * on, two threads touching halves took no less time (the faults are served one by one).
     *
     * @throws UncheckedIOException if the file system runs out of memory meanwhile (the access
     *     faults, which the JVM reports as an {@link InternalError})
     */
    void preallocate(int pageSize) {
        preallocate(pageSize, address -> false);
    }

    /** As {@link #preallocate(int)}, skipping the pages whose address {@code skip} accepts. */
    void preallocate(int pageSize, java.util.function.LongPredicate skip) {
        for (int c = 0; c < chunks.length; c++) {
            MappedByteBuffer chunk = chunks[c];
            try {
                for (int at = 0; at < chunk.capacity(); at += pageSize) {
                    if (!skip.test(((long) c << CHUNK_SHIFT) + at)) {
                        chunk.put(at, (byte) 0);
                    }
                }
            } catch (InternalError e) {
                throw new UncheckedIOException(new IOException("cannot preallocate guest RAM in " + directory
                        + ": insufficient free memory (" + e.getMessage() + ")", e));
            }
        }
    }

    MappedByteBuffer[] chunks() {
        return chunks;
    }

    /** Where the memory lives (a tmpfs or the temp directory), for diagnostics. */
    Path directory() {
        return directory;
    }

    @Override
    public void close() {
        try {
            channel.truncate(0);
        } catch (IOException ignored) {
            // Closing the channel below still frees the memory once the buffers are collected.
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Nothing to recover: the file is already unlinked.
            }
        }
    }
}

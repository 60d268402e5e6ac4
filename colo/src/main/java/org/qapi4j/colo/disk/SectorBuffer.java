package org.qapi4j.colo.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A set of a disk's sectors with their contents, kept in files so that a large buffer (a
 * secondary that runs long between checkpoints) does not live on the heap: the hidden and the
 * active buffers of a {@link SecondaryDisk}. Not thread-safe: its owner serialises calls.
 *
 * <p>Two files in the directory the caller gives, both created afresh (whatever was there is
 * from an earlier run and meaningless, since a buffer never outlives its checkpoint interval):
 *
 * <ul>
 *   <li>{@code <name>.data}: a sparse file laid out as the disk itself, sector {@code s} at
 *       byte {@code s * 512}. Only sectors in the buffer are written, so only they take room.
 *   <li>{@code <name>.index}: a bitmap, one bit per sector of the disk, bit {@code s % 8}
 *       (least significant first) of byte {@code s / 8} set when sector {@code s} is in the
 *       buffer. The file is mapped into memory (off the heap); it is sparse too.
 * </ul>
 *
 * Emptying clears the bits that were set (the range of bytes ever touched) and truncates the
 * data file, which gives its blocks back to the file system.
 */
final class SectorBuffer implements AutoCloseable {
    static final int SECTOR_BYTES = 512;

    private final Path dataFile;
    private final Path indexFile;
    private final long sectors;
    private final FileChannel data;
    private final FileChannel indexChannel;
    private final MappedByteBuffer index;
    private long count;
    /** The index bytes that may hold set bits: [dirtyFrom, dirtyTo). */
    private int dirtyFrom = Integer.MAX_VALUE;
    private int dirtyTo;

    private SectorBuffer(Path dataFile, Path indexFile, long sectors, FileChannel data, FileChannel indexChannel,
            MappedByteBuffer index) {
        this.dataFile = dataFile;
        this.indexFile = indexFile;
        this.sectors = sectors;
        this.data = data;
        this.indexChannel = indexChannel;
        this.index = index;
    }

    /** An empty buffer for a disk of {@code sectors} sectors, in {@code dir/name.data} and {@code dir/name.index}. */
    static SectorBuffer create(Path dir, String name, long sectors) throws IOException {
        long indexBytes = (sectors + 7) / 8;
        if (sectors <= 0 || indexBytes > Integer.MAX_VALUE) {
            throw new IOException("a sector buffer holds 1 to " + (Integer.MAX_VALUE * 8L) + " sectors, not " + sectors);
        }
        Files.createDirectories(dir);
        Path dataFile = dir.resolve(name + ".data");
        Path indexFile = dir.resolve(name + ".index");
        FileChannel data = FileChannel.open(dataFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        try {
            FileChannel indexChannel = FileChannel.open(indexFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            try {
                MappedByteBuffer index = indexChannel.map(FileChannel.MapMode.READ_WRITE, 0, indexBytes);
                return new SectorBuffer(dataFile, indexFile, sectors, data, indexChannel, index);
            } catch (IOException | RuntimeException e) {
                indexChannel.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            data.close();
            throw e;
        }
    }

    /** Whether sector {@code sector} is in the buffer. */
    boolean contains(long sector) {
        checkSector(sector);
        return (index.get((int) (sector >>> 3)) & (1 << (sector & 7))) != 0;
    }

    /** How many sectors are in the buffer. */
    long count() {
        return count;
    }

    /** Fills {@code dst} (a whole number of sectors) from the buffer's copy of the sectors from {@code firstSector}. */
    void read(long firstSector, ByteBuffer dst) throws IOException {
        long at = firstSector * SECTOR_BYTES;
        while (dst.hasRemaining()) {
            int n = data.read(dst, at);
            if (n < 0) {
                throw new IOException("sector buffer " + dataFile + " ended early");
            }
            at += n;
        }
    }

    /** Puts {@code src} (a whole number of sectors) in the buffer as the sectors from {@code firstSector}. */
    void write(long firstSector, ByteBuffer src) throws IOException {
        int n = src.remaining() / SECTOR_BYTES;
        checkSector(firstSector);
        checkSector(firstSector + n - 1);
        long at = firstSector * SECTOR_BYTES;
        while (src.hasRemaining()) {
            at += data.write(src, at);
        }
        for (long s = firstSector; s < firstSector + n; s++) {
            int byteIndex = (int) (s >>> 3);
            int bit = 1 << (s & 7);
            byte b = index.get(byteIndex);
            if ((b & bit) == 0) {
                index.put(byteIndex, (byte) (b | bit));
                count++;
                dirtyFrom = Math.min(dirtyFrom, byteIndex);
                dirtyTo = Math.max(dirtyTo, byteIndex + 1);
            }
        }
    }

    /** Calls {@code run} for each run of consecutive sectors in the buffer, in sector order. */
    void forEachRun(RunConsumer run) throws IOException {
        long start = -1;
        for (int i = dirtyFrom; i < dirtyTo; i++) {
            byte b = index.get(i);
            for (int bit = 0; bit < 8; bit++) {
                long s = (long) i * 8 + bit;
                boolean in = (b & (1 << bit)) != 0;
                if (in && start < 0) {
                    start = s;
                } else if (!in && start >= 0) {
                    run.accept(start, s - start);
                    start = -1;
                }
            }
        }
        if (start >= 0) {
            run.accept(start, (long) dirtyTo * 8 - start);
        }
    }

    /** Empties the buffer. */
    void clear() throws IOException {
        for (int i = dirtyFrom; i < dirtyTo; i++) {
            index.put(i, (byte) 0);
        }
        dirtyFrom = Integer.MAX_VALUE;
        dirtyTo = 0;
        count = 0;
        data.truncate(0);
    }

    private void checkSector(long sector) {
        if (sector < 0 || sector >= sectors) {
            throw new IndexOutOfBoundsException("sector " + sector + " is outside the disk's " + sectors);
        }
    }

    /** Closes and removes both files: a buffer is never reused. */
    @Override
    public void close() {
        try {
            data.close();
            indexChannel.close();
            Files.deleteIfExists(dataFile);
            Files.deleteIfExists(indexFile);
        } catch (IOException ignored) {
            // Nothing left to do with them.
        }
    }

    /** A run of {@code count} sectors from {@code firstSector}. */
    @FunctionalInterface
    interface RunConsumer {
        void accept(long firstSector, long count) throws IOException;
    }
}

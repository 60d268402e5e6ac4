package org.qapi4j.vmm.machine.device;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * What a {@link Disk} reads and writes: a fixed-size array of bytes addressed by offset. A
 * {@link DiskImage} is one; a wrapper around an image can be another (COLO's replicated disks
 * forward or buffer writes), so that the device does not know which storage it drives.
 *
 * <p>Offsets and lengths the {@link Disk} passes are multiples of {@link Disk#SECTOR_BYTES};
 * other callers may pass any range inside the disk.
 */
public interface BlockBackend extends AutoCloseable {
    /** The disk's size in bytes as the guest sees it. */
    long dataBytes();

    /** Fills {@code dst} (all its remaining bytes) from the disk at {@code offset}. */
    void read(long offset, ByteBuffer dst) throws IOException;

    /** Writes all of {@code src}'s remaining bytes to the disk at {@code offset}. */
    void write(long offset, ByteBuffer src) throws IOException;

    /** Forces what was written to stable storage. */
    void flush() throws IOException;

    /** The file behind the disk, for messages. */
    Path path();

    /** Releases the storage; idempotent, never throws (a closing machine cannot do more). */
    @Override
    void close();
}

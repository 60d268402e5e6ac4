package org.qapi4j.vmm.machine.device;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * A disk image in qapi4j's own format: a {@value #HEADER_BYTES}-byte header, then the disk's
 * bytes. A file that is not in this format is refused, never written.
 *
 * <p>The header, big-endian:
 *
 * <pre>
 * offset  size  field
 *      0     8  magic "QAPI4JDK"
 *      8     4  format version, 1
 *     12     4  header size in bytes, 4096 (the data starts there)
 *     16     8  data size in bytes, a positive multiple of 512
 *     24     4  sector size in bytes, 512
 *     28     4  CRC-32 of bytes 0..27
 *     32  4064  zero
 * </pre>
 *
 * A new image is sparse: only the header and the sectors the guest writes take room.
 */
public final class DiskImage implements BlockBackend {
    public static final int HEADER_BYTES = 4096;
    public static final int SECTOR_BYTES = 512;
    public static final int VERSION = 1;
    private static final byte[] MAGIC = "QAPI4JDK".getBytes(StandardCharsets.US_ASCII);
    private static final int CHECKED_BYTES = 28;

    private final Path path;
    private final FileChannel channel;
    private final long dataBytes;
    private final boolean created;

    private DiskImage(Path path, FileChannel channel, long dataBytes, boolean created) {
        this.path = path;
        this.channel = channel;
        this.dataBytes = dataBytes;
        this.created = created;
    }

    /**
     * Opens the image at {@code path} for reading and writing, creating it with {@code
     * sizeIfCreated} bytes of zeroed data when no file is there. An existing image keeps its own
     * size.
     *
     * @throws DiskImageException if the file is not a qapi4j disk image (wrong magic, another
     *     version, corrupt or truncated), cannot be opened, or cannot be created
     */
    public static DiskImage openOrCreate(Path path, long sizeIfCreated) throws DiskImageException {
        if (Files.isDirectory(path)) {
            throw new DiskImageException("disk image " + path + " is a directory");
        }
        boolean created = Files.notExists(path) && create(path, sizeIfCreated);
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new DiskImageException("disk image " + path + " cannot be opened for reading and writing: " + reason(e));
        }
        try {
            long dataBytes = checkHeader(path, channel);
            return new DiskImage(path, channel, dataBytes, created);
        } catch (DiskImageException | RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** Creates the image; false if someone else created the file meanwhile. */
    private static boolean create(Path path, long dataBytes) throws DiskImageException {
        if (dataBytes <= 0 || dataBytes % SECTOR_BYTES != 0) {
            throw new DiskImageException("disk image " + path + " does not exist, and cannot be created with "
                    + dataBytes + " bytes: the size must be a positive multiple of " + SECTOR_BYTES);
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer header = header(dataBytes);
            while (header.hasRemaining()) {
                channel.write(header);
            }
            // Grows the file to its full length as a hole: the data reads as zeros.
            channel.write(ByteBuffer.allocate(1), HEADER_BYTES + dataBytes - 1);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false; // created by someone else meanwhile: checked like any other existing image
        } catch (IOException e) {
            throw new DiskImageException("disk image " + path + " cannot be created: " + reason(e));
        }
    }

    static ByteBuffer header(long dataBytes) {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        header.put(MAGIC).putInt(VERSION).putInt(HEADER_BYTES).putLong(dataBytes).putInt(SECTOR_BYTES);
        header.putInt(crc(header.array()));
        return header.clear();
    }

    private static int crc(byte[] header) {
        CRC32 crc = new CRC32();
        crc.update(header, 0, CHECKED_BYTES);
        return (int) crc.getValue();
    }

    /** Checks the header and the file's length; returns the data size. */
    private static long checkHeader(Path path, FileChannel channel) throws DiskImageException {
        try {
            long fileBytes = channel.size();
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
            while (header.hasRemaining() && channel.read(header, header.position()) > 0) {
                // read until the header is full or the file ends
            }
            byte[] bytes = header.array();
            if (fileBytes < MAGIC.length || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
                throw new DiskImageException("disk image " + path + " is not a qapi4j disk image (it does not start with "
                        + new String(MAGIC, StandardCharsets.US_ASCII) + ")");
            }
            if (fileBytes < HEADER_BYTES) {
                throw new DiskImageException("disk image " + path + " is truncated: " + fileBytes
                        + " bytes, shorter than its " + HEADER_BYTES + "-byte header");
            }
            int version = header.getInt(8);
            if (version != VERSION) {
                throw new DiskImageException("disk image " + path + " has format version " + version
                        + "; this VMM reads version " + VERSION);
            }
            if (header.getInt(CHECKED_BYTES) != crc(bytes)) {
                throw new DiskImageException("disk image " + path + " has a corrupt header (checksum mismatch)");
            }
            long dataBytes = header.getLong(16);
            if (header.getInt(12) != HEADER_BYTES || header.getInt(24) != SECTOR_BYTES || dataBytes <= 0
                    || dataBytes % SECTOR_BYTES != 0) {
                throw new DiskImageException("disk image " + path + " has a corrupt header (impossible sizes)");
            }
            if (fileBytes < HEADER_BYTES + dataBytes) {
                throw new DiskImageException("disk image " + path + " is truncated: its header says " + dataBytes
                        + " bytes of data, the file holds " + (fileBytes - HEADER_BYTES));
            }
            return dataBytes;
        } catch (IOException e) {
            throw new DiskImageException("disk image " + path + " cannot be read: " + reason(e));
        }
    }

    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    @Override
    public Path path() {
        return path;
    }

    /** Whether this open created the file (so that a machine that then fails to start can remove it). */
    public boolean created() {
        return created;
    }

    /** The disk's size in bytes (the data, without the header). */
    @Override
    public long dataBytes() {
        return dataBytes;
    }

    /** Fills {@code dst} from the data at {@code offset}. */
    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        checkRange(offset, dst.remaining());
        while (dst.hasRemaining()) {
            if (channel.read(dst, HEADER_BYTES + offset + dst.position()) < 0) {
                throw new IOException("disk image " + path + " ended early");
            }
        }
    }

    /** Writes {@code src} to the data at {@code offset}. */
    @Override
    public void write(long offset, ByteBuffer src) throws IOException {
        checkRange(offset, src.remaining());
        long at = HEADER_BYTES + offset;
        while (src.hasRemaining()) {
            at += channel.write(src, at);
        }
    }

    /** Forces what was written to stable storage. */
    @Override
    public void flush() throws IOException {
        channel.force(false);
    }

    private void checkRange(long offset, int length) {
        if (offset < 0 || offset > dataBytes - length) {
            throw new IndexOutOfBoundsException("disk range [" + offset + ", " + (offset + length)
                    + ") is outside the disk's " + dataBytes + " bytes");
        }
    }

    /** Flushes and closes the file; idempotent, so that both a wrapper and the machine may close it. */
    @Override
    public void close() {
        if (!channel.isOpen()) {
            return;
        }
        try {
            channel.force(false);
        } catch (IOException ignored) {
            // Closing anyway: nothing else can be done with the file.
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing to recover.
        }
    }
}

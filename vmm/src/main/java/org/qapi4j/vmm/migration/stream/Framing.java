package org.qapi4j.vmm.migration.stream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** The layout numbers of the stream, shared by {@link StreamWriter} and {@link StreamReader}. */
final class Framing {
    /** "QAPI4JMS", the stream's first eight bytes. */
    static final byte[] MAGIC = "QAPI4JMS".getBytes(StandardCharsets.US_ASCII);
    /** Kind and length before the payload. */
    static final int PREFIX = 5;
    /** The CRC-32C after the payload. */
    static final int SUFFIX = 4;
    /** The largest payload: a page section of 256 pages with their words, and room to spare. */
    static final int MAX_PAYLOAD = (1 << 20) + (1 << 12);
    /** Bit 63 of a page word: a zero page, no bytes follow. */
    static final long ZERO_PAGE = 1L << 63;
    /**
     * Bit 62 of a page word: a run of zero pages from its index on; a word with their count
     * follows. An idle guest's first pass is then one run, not a word per page for the
     * destination to catch up on while the guest is stopped.
     */
    static final long ZERO_RUN = 1L << 62;
    /** A page word's index bits. */
    static final long PAGE_INDEX = ~(ZERO_PAGE | ZERO_RUN);

    private Framing() {}

    static String describe(SectionKind kind) {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** A frame buffer for small sections; {@link #ensure} grows it when a section needs more. */
    static ByteBuffer allocate() {
        return ByteBuffer.allocateDirect(SMALL_FRAME);
    }

    /**
     * {@code buffer}, or a larger copy of it (position and contents kept, limit at capacity)
     * with room for {@code bytes} bytes in all. Large frames are allocated only by a side that
     * sends or receives pages: a direct buffer of a megabyte costs a zeroing and, near the
     * direct memory limit, a garbage collection, which a READY or a COLO message must not wait
     * for.
     */
    static ByteBuffer ensure(ByteBuffer buffer, int bytes) {
        if (buffer.capacity() >= bytes) {
            return buffer;
        }
        ByteBuffer larger = ByteBuffer.allocateDirect(PREFIX + MAX_PAYLOAD + SUFFIX);
        larger.put(buffer.duplicate().flip());
        return larger;
    }

    /** The frame buffer's first size: a COLO message, a header, a small device state. */
    static final int SMALL_FRAME = 64 * 1024;
}

package org.qapi4j.vmm.migration.stream;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.CRC32C;
import org.qapi4j.vmm.machine.memory.GuestRam;

/**
 * Reads a migration stream (see the package's description) section by section, checking each
 * section's checksum before anything reads its payload, and, at the end section, that no
 * section or page is missing. Every fault is a {@link StreamException} (or the channel's {@link
 * IOException}) naming the section where it was found.
 *
 * <p>Not thread-safe: one migration thread reads.
 */
public final class StreamReader {
    /** A section that passed its checksum; {@code payload} is valid until the next read. */
    public record Section(SectionKind kind, ByteBuffer payload) {}

    private final ReadableByteChannel in;
    private ByteBuffer frame = Framing.allocate();
    private final CRC32C crc = new CRC32C();
    private long bytesRead;
    private long sectionsRead;
    private long pagesRead;

    public StreamReader(ReadableByteChannel in) {
        this.in = Objects.requireNonNull(in, "in");
    }

    /** Reads the magic and the header section. */
    public StreamHeader start() throws IOException {
        frame.clear().limit(Framing.MAGIC.length);
        fill("the stream's start");
        byte[] magic = new byte[Framing.MAGIC.length];
        frame.flip().get(magic);
        if (!Arrays.equals(magic, Framing.MAGIC)) {
            throw new StreamException("not a migration stream of this VMM (it starts with "
                    + new String(magic, StandardCharsets.ISO_8859_1).replaceAll("[^\\x20-\\x7e]", "?") + ")");
        }
        Section header = next();
        if (header.kind() != SectionKind.HEADER) {
            throw new StreamException("the stream starts with a " + Framing.describe(header.kind()) + " section, not its header");
        }
        return StreamHeader.decode(header.payload());
    }

    /**
     * The next section, checksum verified; an end section is also checked against what was read
     * before it.
     *
     * @throws EOFException if the stream ends before a whole section
     * @throws StreamException if the section is corrupted or out of place
     */
    public Section next() throws IOException {
        long section = sectionsRead + 1;
        frame.clear().limit(Framing.PREFIX);
        fill("section " + section);
        byte code = frame.get(0);
        int length = frame.getInt(1);
        SectionKind kind = SectionKind.of(code);
        if (kind == null || length < 0 || length > Framing.MAX_PAYLOAD) {
            throw new StreamException("section " + section + " is corrupted (kind " + (code & 0xFF) + ", length " + length + ")");
        }
        frame = Framing.ensure(frame, Framing.PREFIX + length + Framing.SUFFIX);
        frame.limit(Framing.PREFIX + length + Framing.SUFFIX);
        fill("section " + section + " (" + Framing.describe(kind) + ")");
        crc.reset();
        crc.update(frame.duplicate().position(0).limit(Framing.PREFIX + length));
        if ((int) crc.getValue() != frame.getInt(Framing.PREFIX + length)) {
            throw new StreamException("section " + section + " (" + Framing.describe(kind) + ") fails its checksum");
        }
        ByteBuffer payload = frame.duplicate().position(Framing.PREFIX).limit(Framing.PREFIX + length).slice();
        if (kind == SectionKind.END) {
            checkEnd(section, payload.duplicate());
        }
        sectionsRead = section;
        return new Section(kind, payload);
    }

    /**
     * Writes the pages of a page section into {@code ram}: zero pages (and runs of them) are
     * zeroed, others copied.
     *
     * @return how many pages the section held
     * @throws StreamException if a page lies outside {@code ram} or the section is malformed
     */
    public long loadPages(Section section, GuestRam ram) throws StreamException {
        ByteBuffer payload = section.payload();
        long pages = 0;
        while (payload.hasRemaining()) {
            if (payload.remaining() < Long.BYTES) {
                throw new StreamException("page section " + sectionsRead + " ends inside a page word");
            }
            long word = payload.getLong();
            long page = word & Framing.PAGE_INDEX;
            if (page >= ram.pages()) {
                throw new StreamException("page " + page + " is outside this guest's " + ram.pages() + " pages");
            }
            if ((word & Framing.ZERO_RUN) != 0) {
                long run = payload.remaining() < Long.BYTES ? 0 : payload.getLong();
                if (run < 2 || run > ram.pages() - page) {
                    throw new StreamException("page section " + sectionsRead + " has a malformed run of " + run
                            + " zero pages from page " + page + " (this guest has " + ram.pages() + " pages)");
                }
                ram.zeroPages(page, run);
                pages += run;
                continue;
            }
            if ((word & Framing.ZERO_PAGE) != 0) {
                ram.zeroPage(page);
            } else if (payload.remaining() < GuestRam.PAGE_SIZE) {
                throw new StreamException("page section " + sectionsRead + " ends inside page " + page);
            } else {
                ram.writePage(page, payload);
            }
            pages++;
        }
        pagesRead += pages;
        return pages;
    }

    /** The run state and the device state of a device section. */
    public record Devices(String runState, byte[] state) {}

    public static Devices devices(Section section) throws StreamException {
        ByteBuffer payload = section.payload().duplicate();
        try {
            byte[] state = new byte[Short.toUnsignedInt(payload.getShort())];
            payload.get(state);
            byte[] devices = new byte[payload.remaining()];
            payload.get(devices);
            return new Devices(new String(state, StandardCharsets.UTF_8), devices);
        } catch (java.nio.BufferUnderflowException e) {
            throw new StreamException("the device section is too short");
        }
    }

    /** The reason a {@link SectionKind#REFUSED} section gives. */
    public static String reason(Section section) {
        ByteBuffer payload = section.payload().duplicate();
        byte[] text = new byte[payload.remaining()];
        payload.get(text);
        return new String(text, StandardCharsets.UTF_8);
    }

    /** Bytes read from the channel so far. */
    public long bytesRead() {
        return bytesRead;
    }

    /** Pages loaded so far. */
    public long pagesRead() {
        return pagesRead;
    }

    private void checkEnd(long section, ByteBuffer payload) throws StreamException {
        if (payload.remaining() != 2 * Long.BYTES) {
            throw new StreamException("the end section is malformed");
        }
        long sectionsBefore = payload.getLong();
        long pagesBefore = payload.getLong();
        if (sectionsBefore != section - 1 || pagesBefore != pagesRead) {
            throw new StreamException("the stream lost data: its end counts " + sectionsBefore + " sections and "
                    + pagesBefore + " pages, " + (section - 1) + " sections and " + pagesRead + " pages arrived");
        }
    }

    /** Reads until the frame buffer's limit, or fails naming {@code what} was being read. */
    private void fill(String what) throws IOException {
        while (frame.hasRemaining()) {
            int n = in.read(frame);
            if (n < 0) {
                throw new EOFException("the stream ended within " + what + " after " + bytesRead + " bytes");
            }
            bytesRead += n;
        }
    }
}

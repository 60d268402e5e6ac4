package org.qapi4j.vmm.migration.stream;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.zip.CRC32C;
import org.qapi4j.vmm.machine.memory.GuestRam;

/**
 * Writes a migration stream (see the package's description) to a channel, one checksummed
 * section at a time. Pages are gathered into page sections of up to {@value #PAGES_PER_SECTION}
 * pages, copied from guest RAM straight into a direct buffer, so that a section goes to the
 * socket in one write.
 *
 * <p>Not thread-safe: one migration thread writes.
 */
public final class StreamWriter {
    /** Pages in a full page section: 1 MiB of page data a write. */
    public static final int PAGES_PER_SECTION = 256;

    /** Paces the stream ({@code max-bandwidth}): called before each section is sent. */
    @FunctionalInterface
    public interface Pacer {
        void beforeSending(int bytes) throws InterruptedException;
    }

    private final WritableByteChannel out;
    private final Pacer pacer;
    private ByteBuffer frame = Framing.allocate();
    private final CRC32C crc = new CRC32C();
    private boolean pagesOpen;
    /** Zero pages from {@link #zeroRunFirst} on that {@link #page} took but did not put yet. */
    private long zeroRun;
    private long zeroRunFirst;
    private long bytesSent;
    private long sectionsSent;
    private long pagesSent;

    public StreamWriter(WritableByteChannel out, Pacer pacer) {
        this.out = Objects.requireNonNull(out, "out");
        this.pacer = Objects.requireNonNull(pacer, "pacer");
    }

    /** A writer that sends as fast as the channel takes it. */
    public StreamWriter(WritableByteChannel out) {
        this(out, bytes -> { });
    }

    /** The stream's first bytes: the magic, then the header section. */
    public void start(StreamHeader header) throws IOException {
        frame.clear();
        frame.put(Framing.MAGIC).flip();
        send();
        open(SectionKind.HEADER);
        header.encode(frame);
        close();
    }

    /**
     * Adds page {@code page} of {@code ram} to the open page section (opening one if needed):
     * as a marker if it is all zeros (consecutive zero pages as one run), else with its bytes.
     *
     * @return whether it went as a zero page
     */
    public boolean page(GuestRam ram, long page) throws IOException {
        // Room for the pending zero run's two words, this page's word and bytes, the checksum.
        if (pagesOpen && frame.remaining() < 3 * Long.BYTES + GuestRam.PAGE_SIZE + Framing.SUFFIX
                || pagesOpen && frame.position() - Framing.PREFIX >= PAGES_PER_SECTION * (GuestRam.PAGE_SIZE + Long.BYTES)) {
            flushPages();
        }
        if (!pagesOpen) {
            frame = Framing.ensure(frame, Framing.PREFIX + Framing.MAX_PAYLOAD + Framing.SUFFIX);
            open(SectionKind.PAGES);
            pagesOpen = true;
        }
        pagesSent++;
        if (ram.isZeroPage(page)) {
            if (zeroRun > 0 && zeroRunFirst + zeroRun == page) {
                zeroRun++;
            } else {
                putZeroRun();
                zeroRunFirst = page;
                zeroRun = 1;
            }
            return true;
        }
        putZeroRun();
        frame.putLong(page);
        ram.readPage(page, frame);
        return false;
    }

    /** Sends the open page section, if any: what {@link #page} gathered is on its way. */
    public void flushPages() throws IOException {
        if (pagesOpen) {
            putZeroRun();
            pagesOpen = false;
            close();
        }
    }

    /** Puts the zero pages gathered so far: a single one as a zero page, more as a run. */
    private void putZeroRun() {
        if (zeroRun == 1) {
            frame.putLong(zeroRunFirst | Framing.ZERO_PAGE);
        } else if (zeroRun > 1) {
            frame.putLong(zeroRunFirst | Framing.ZERO_RUN).putLong(zeroRun);
        }
        zeroRun = 0;
    }

    /** The device section: the source's run state (QEMU's global state) and the devices' state. */
    public void devices(String runState, byte[] deviceState) throws IOException {
        flushPages();
        byte[] state = runState.getBytes(StandardCharsets.UTF_8);
        if (Short.BYTES + state.length + deviceState.length > Framing.MAX_PAYLOAD) {
            throw new IOException("device state of " + deviceState.length + " bytes does not fit a section of "
                    + Framing.MAX_PAYLOAD);
        }
        frame = Framing.ensure(frame, Framing.PREFIX + Short.BYTES + state.length + deviceState.length + Framing.SUFFIX);
        open(SectionKind.DEVICES);
        frame.putShort((short) state.length).put(state).put(deviceState);
        close();
    }

    /** The end section: how many sections and pages came before it. */
    public void end() throws IOException {
        flushPages();
        long before = sectionsSent;
        open(SectionKind.END);
        frame.putLong(before).putLong(pagesSent);
        close();
    }

    /** An empty section of {@code kind}: {@link SectionKind#GO} or {@link SectionKind#READY}. */
    public void signal(SectionKind kind) throws IOException {
        flushPages();
        open(kind);
        close();
    }

    /** A section of {@code kind} whose payload is {@code payload}, whole (COLO's messages and links). */
    public void section(SectionKind kind, java.nio.ByteBuffer payload) throws IOException {
        flushPages();
        if (payload.remaining() > Framing.MAX_PAYLOAD) {
            throw new IOException("a section holds at most " + Framing.MAX_PAYLOAD + " bytes, not " + payload.remaining());
        }
        frame = Framing.ensure(frame, Framing.PREFIX + payload.remaining() + Framing.SUFFIX);
        open(kind);
        frame.put(payload);
        close();
    }

    /** {@link SectionKind#REFUSED}, with why. */
    public void refuse(String reason) throws IOException {
        flushPages();
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        open(SectionKind.REFUSED);
        frame.put(text, 0, Math.min(text.length, 4096));
        close();
    }

    /** Bytes written to the channel so far, framing included. */
    public long bytesSent() {
        return bytesSent;
    }

    /** Pages written so far, zero pages included. */
    public long pagesSent() {
        return pagesSent;
    }

    private void open(SectionKind kind) {
        frame.clear();
        frame.put(kind.code()).putInt(0);
    }

    /** Fills in the length, appends the checksum and sends the section. */
    private void close() throws IOException {
        int payload = frame.position() - Framing.PREFIX;
        frame.putInt(1, payload);
        crc.reset();
        crc.update(frame.duplicate().flip());
        frame.putInt((int) crc.getValue());
        frame.flip();
        sectionsSent++;
        send();
    }

    private void send() throws IOException {
        try {
            pacer.beforeSending(frame.remaining());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("the migration was interrupted");
        }
        bytesSent += frame.remaining();
        try {
            while (frame.hasRemaining()) {
                out.write(frame);
            }
        } catch (java.nio.channels.ClosedChannelException e) {
            throw e; // closed on purpose (a cancel), not a failure of the link
        } catch (IOException e) {
            // QEMU's words for the same failure (qemu_fflush), with the system's reason.
            throw new IOException("Unable to write to socket: " + e.getMessage(), e);
        }
    }
}

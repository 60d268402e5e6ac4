package org.qapi4j.vmm.migration.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.qapi4j.vmm.machine.memory.GuestRam;

/**
 * The migration stream between two RAMs in memory: what goes in comes out, and any damage to
 * the bytes in between, of any byte, is refused before it is used.
 */
class StreamTest {
    private static final long PAGES = 600;
    private final GuestRam source = GuestRam.allocate(PAGES * GuestRam.PAGE_SIZE);
    private final GuestRam target = GuestRam.allocate(PAGES * GuestRam.PAGE_SIZE);

    @AfterEach
    void free() {
        source.close();
        target.close();
    }

    @Test
    void pagesDevicesAndTheEndArriveAsSentWithZeroPagesAsMarkers() throws IOException {
        fill(source, 7);
        byte[] stream = write(source, "running", new byte[] {1, 2, 3});
        // 300 pages with data, 300 zero pages as 8-byte markers: far below 600 whole pages.
        assertThat(stream.length).isLessThan(310 * (GuestRam.PAGE_SIZE + 8));

        StreamReader in = reader(stream);
        StreamHeader header = in.start();
        assertThat(header).isEqualTo(StreamHeader.of(GuestRam.PAGE_SIZE, source.size(), "kvstore"));
        StreamReader.Devices devices = readAll(in, target);
        assertThat(devices.runState()).isEqualTo("running");
        assertThat(devices.state()).containsExactly(1, 2, 3);
        assertThat(in.pagesRead()).isEqualTo(PAGES);
        assertSameRam(source, target);
    }

    @Test
    void aZeroPageMarkerClearsAPageTheTargetHadWrittenBefore() throws IOException {
        target.writeLong(5L * GuestRam.PAGE_SIZE, 42);
        StreamReader in = reader(write(source, "paused", new byte[0]));
        in.start();
        readAll(in, target);
        assertThat(target.readLong(5L * GuestRam.PAGE_SIZE)).isZero();
    }

    @Test
    void consecutiveZeroPagesTravelAsOneRunThatClearsWhatTheTargetHadWritten() throws IOException {
        byte[] idle = write(source, "running", new byte[0]);
        assertThat(idle.length).as("600 zero pages").isLessThan(200);
        byte[] page = new byte[GuestRam.PAGE_SIZE];
        Arrays.fill(page, (byte) 7);
        for (long p : new long[] {0, 1, 2, 300, 599}) {
            source.writePage(p, page);
        }
        for (long p : new long[] {20, 25, 301, 598}) {
            target.writePage(p, page);
        }
        byte[] stream = write(source, "running", new byte[0]);
        assertThat(stream.length).isLessThan(5 * (GuestRam.PAGE_SIZE + 8) + 200);
        StreamReader in = reader(stream);
        in.start();
        readAll(in, target);
        assertThat(in.pagesRead()).isEqualTo(PAGES);
        assertSameRam(source, target);
    }

    @Test
    void everyCorruptedByteIsRefused() throws IOException {
        fill(source, 11);
        byte[] stream = write(source, "running", new byte[] {9, 8, 7});
        // Every byte of the magic, the header and the first page words, every byte of the
        // device and end sections, and every 997th byte between (page data, words, framing).
        for (int at = 0; at < stream.length; at += at < 64 || at > stream.length - 64 ? 1 : 997) {
            byte[] damaged = stream.clone();
            damaged[at] ^= (byte) (1 << (at % 8));
            int position = at;
            assertThatThrownBy(() -> {
                StreamReader in = reader(damaged);
                in.start();
                readAll(in, target);
            }).as("byte %d of %d flipped", position, stream.length).isInstanceOf(IOException.class);
        }
    }

    @Test
    void aStreamCutAnywhereIsRefused() throws IOException {
        fill(source, 3);
        byte[] stream = write(source, "running", new byte[] {1});
        for (int length = 0; length < stream.length; length += length < 64 || length > stream.length - 64 ? 1 : 4099) {
            byte[] cut = Arrays.copyOf(stream, length);
            assertThatThrownBy(() -> {
                StreamReader in = reader(cut);
                in.start();
                readAll(in, target);
            }).as("cut at %d of %d", length, stream.length).isInstanceOf(EOFException.class)
                    .hasMessageContaining("the stream ended within");
        }
    }

    @Test
    void aWholeSectionLostIsFoundAtTheEnd() throws IOException {
        fill(source, 5);
        byte[] stream = write(source, "running", new byte[0]);
        // Drop the first page section: magic (8), header section, then the page section.
        int headerEnd = 8 + 5 + sectionLength(stream, 8) + 4;
        int pagesEnd = headerEnd + 5 + sectionLength(stream, headerEnd) + 4;
        byte[] lost = new byte[stream.length - (pagesEnd - headerEnd)];
        System.arraycopy(stream, 0, lost, 0, headerEnd);
        System.arraycopy(stream, pagesEnd, lost, headerEnd, stream.length - pagesEnd);
        StreamReader in = reader(lost);
        in.start();
        assertThatThrownBy(() -> readAll(in, target)).isInstanceOf(StreamException.class)
                .hasMessageContaining("the stream lost data");
    }

    @Test
    void anotherFormatVersionOrAnotherStreamIsRefusedAtTheStart() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new StreamWriter(Channels.newChannel(bytes)).start(new StreamHeader(99, GuestRam.PAGE_SIZE, 4096, "kvstore"));
        assertThatThrownBy(() -> reader(bytes.toByteArray()).start()).isInstanceOf(StreamException.class)
                .hasMessage("the stream's format is version 99, this VMM reads version 2");
        assertThatThrownBy(() -> reader("GET / HTTP/1.1\r\n\r\n".getBytes()).start())
                .isInstanceOf(StreamException.class).hasMessageStartingWith("not a migration stream of this VMM");
    }

    private static int sectionLength(byte[] stream, int at) {
        return ((stream[at + 1] & 0xFF) << 24) | ((stream[at + 2] & 0xFF) << 16) | ((stream[at + 3] & 0xFF) << 8)
                | (stream[at + 4] & 0xFF);
    }

    /** Writes random bytes to every other page; the rest stay zero. */
    private static void fill(GuestRam ram, long seed) {
        Random random = new Random(seed);
        byte[] page = new byte[GuestRam.PAGE_SIZE];
        for (long p = 0; p < ram.pages(); p += 2) {
            random.nextBytes(page);
            ram.writePage(p, page);
        }
    }

    private static byte[] write(GuestRam ram, String runState, byte[] devices) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StreamWriter out = new StreamWriter(Channels.newChannel(bytes));
        out.start(StreamHeader.of(GuestRam.PAGE_SIZE, ram.size(), "kvstore"));
        for (long p = 0; p < ram.pages(); p++) {
            out.page(ram, p);
        }
        out.devices(runState, devices);
        out.end();
        return bytes.toByteArray();
    }

    private static StreamReader reader(byte[] stream) {
        return new StreamReader(Channels.newChannel(new ByteArrayInputStream(stream)));
    }

    private static StreamReader.Devices readAll(StreamReader in, GuestRam ram) throws IOException {
        StreamReader.Devices devices = null;
        while (true) {
            StreamReader.Section section = in.next();
            switch (section.kind()) {
                case PAGES -> in.loadPages(section, ram);
                case DEVICES -> devices = StreamReader.devices(section);
                case END -> {
                    return devices;
                }
                default -> throw new AssertionError(section.kind());
            }
        }
    }

    private static void assertSameRam(GuestRam expected, GuestRam actual) {
        byte[] a = new byte[GuestRam.PAGE_SIZE];
        byte[] b = new byte[GuestRam.PAGE_SIZE];
        for (long p = 0; p < expected.pages(); p++) {
            expected.readPage(p, a);
            actual.readPage(p, b);
            assertThat(b).as("page %d", p).isEqualTo(a);
        }
    }
}

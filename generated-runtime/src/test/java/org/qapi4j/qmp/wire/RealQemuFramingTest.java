package org.qapi4j.qmp.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.qapi4j.qmp.client.QemuLab;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Differential test against a real QEMU 7.2 monitor: every case of the committed table is sent
 * to QEMU (after {@code qmp_capabilities}, on a fresh connection) and to {@link QmpJsonDecoder};
 * QEMU's replies must be what our messages would produce, and our messages must be what the
 * table records. Skipped when {@code qemu-system-x86_64} is not on the PATH.
 *
 * <p>Our messages map to replies as QEMU's monitor does: a ParseError becomes a GenericError
 * with its description; a non-object value becomes {@code QMP input must be a JSON object};
 * an object is dispatched, and the reply echoes its {@code id} (numbers are compared by value,
 * since QEMU prints doubles with {@code %.17g}).
 *
 * <p>{@code -Dqmp.wire.regen=true} rewrites the table's expectations from the decoder (only for
 * cases where QEMU agreed).
 */
class RealQemuFramingTest {
    private static final String QEMU = QemuLab.BINARY;
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Path TABLE =
            Path.of("src/test/resources/org/qapi4j/qmp/wire", FramingCases.RESOURCE);

    private static QemuLab lab;
    private static Path socket;

    @BeforeAll
    static void startQemu() throws Exception {
        Path qemu = QemuLab.binary();
        Assumptions.assumeTrue(qemu != null,
                QEMU + " is not on the PATH: skipping the differential test against real QEMU"
                        + " (QmpJsonDecoderTest still checks the recorded table)");
        lab = new QemuLab(qemu);
        socket = lab.start("qmp", "-M", "none", "-nodefaults", "-display", "none");
    }

    @AfterAll
    static void stopQemu() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }


    @Test
    void everyCaseMatchesRealQemu() throws Exception {
        List<FramingCases.Case> cases = FramingCases.load();
        List<String> failures = new ArrayList<>();
        Map<String, List<String>> regen = new LinkedHashMap<>();
        int matched = 0;
        for (FramingCases.Case c : cases) {
            List<JsonMessage> ours = FramingCases.decode(c.chunks());
            List<String> expectedReplies = ours.stream().map(RealQemuFramingTest::replyFor).toList();
            List<String> qemuReplies = exchange(c.chunks());
            List<String> described = FramingCases.describeAll(ours);
            boolean agrees = qemuReplies.equals(expectedReplies);
            if (agrees) {
                matched++;
                regen.put(c.name(), described);
            } else {
                failures.add(c.name() + ":\n  QEMU: " + qemuReplies + "\n  ours: " + expectedReplies);
            }
            if (agrees && !Boolean.getBoolean("qmp.wire.regen") && !described.equals(c.expected())) {
                failures.add(c.name() + ": decoder disagrees with the table\n  table: " + c.expected()
                        + "\n  now:   " + described);
            }
        }
        System.out.printf("RealQemuFramingTest: %d of %d cases match QEMU%n", matched, cases.size());
        if (Boolean.getBoolean("qmp.wire.regen")) {
            String text = Files.readString(TABLE);
            FramingCases.write(TABLE, FramingCases.header(text), cases, regen);
        }
        assertThat(failures).as("cases where QEMU and the decoder differ").isEmpty();
    }

    /** What QEMU's monitor replies to one of our messages, in the form {@link #classify} gives. */
    static String replyFor(JsonMessage m) {
        if (m instanceof JsonMessage.ParseError e) {
            return "error GenericError " + e.description();
        }
        JsonNode json = ((JsonMessage.Value) m).json();
        if (!json.isObject()) {
            return "error GenericError QMP input must be a JSON object";
        }
        return "dispatched id=" + canonical(json.get("id"));
    }

    static String classify(JsonNode reply) {
        JsonNode error = reply.get("error");
        if (error != null) {
            String desc = error.get("desc").stringValue();
            if (desc.startsWith("JSON parse error") || desc.equals("QMP input must be a JSON object")
                    || desc.startsWith("JSON token") || desc.startsWith("JSON nesting")) {
                return "error " + error.get("class").stringValue() + " " + desc;
            }
        }
        return "dispatched id=" + canonical(reply.get("id"));
    }

    private static String canonical(JsonNode n) {
        if (n == null) {
            return "none";
        }
        if (n.isNumber()) {
            return FramingCases.canonicalNumber(n);
        }
        if (n.isObject() || n.isArray()) {
            StringBuilder sb = new StringBuilder(n.isObject() ? "{" : "[");
            if (n.isObject()) {
                n.properties().forEach(e ->
                        sb.append(FramingCases.quote(e.getKey())).append(':').append(canonical(e.getValue())).append(','));
            } else {
                n.forEach(e -> sb.append(canonical(e)).append(','));
            }
            return sb.append(n.isObject() ? "}" : "]").toString();
        }
        return n.isString() ? FramingCases.quote(n.stringValue()) : n.toString();
    }

    /** Sends the case to QEMU on a fresh connection; returns its replies up to the follow-up's. */
    private List<String> exchange(List<byte[]> chunks) throws Exception {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> readLines(Channels.newInputStream(ch), lines), "qmp-reader");
            reader.setDaemon(true);
            reader.start();
            String greeting = lines.poll(10, TimeUnit.SECONDS);
            assertThat(greeting).as("greeting").contains("\"QMP\"");
            write(ch, "{\"execute\":\"qmp_capabilities\"}".getBytes(StandardCharsets.US_ASCII));
            assertThat(nextReply(lines)).as("qmp_capabilities").contains("\"return\"");
            for (byte[] chunk : chunks) {
                write(ch, chunk);
                Thread.sleep(2);
            }
            List<String> replies = new ArrayList<>();
            for (;;) {
                String line = nextReply(lines);
                if (line == null) {
                    replies.add("TIMEOUT");
                    return replies;
                }
                JsonNode reply = JSON.readTree(line);
                replies.add(classify(reply));
                JsonNode id = reply.get("id");
                if (id != null && id.isString() && id.stringValue().equals("sync")) {
                    return replies;
                }
            }
        }
    }

    private static String nextReply(BlockingQueue<String> lines) throws InterruptedException {
        for (;;) {
            String line = lines.poll(10, TimeUnit.SECONDS);
            if (line == null || !line.contains("\"event\"")) {
                return line;
            }
        }
    }

    private static void write(SocketChannel ch, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static void readLines(InputStream in, BlockingQueue<String> lines) {
        try {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                if (c == '\n') {
                    lines.add(line.toString().strip());
                    line.setLength(0);
                } else {
                    line.append((char) c); // QEMU's replies are ASCII
                }
            }
        } catch (IOException closed) {
            // connection closed
        }
    }
}

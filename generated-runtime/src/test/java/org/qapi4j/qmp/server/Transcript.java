package org.qapi4j.qmp.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.qapi4j.qmp.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A QMP conversation, as a text file, replayed against a server on a socket, or against
 * in-process monitors.
 *
 * <pre>
 * # a comment
 * &#64;qemu                   tags: qemu (QEMU 7.2 answers it, too); compat-reject (the server,
 *                         or QEMU, rejects deprecated and unstable commands); preconfig (it
 *                         starts in QEMU's preconfig state)
 * -&gt; {"execute": "stop"}   the client sends the text and a newline (connection "a")
 * &lt;- {"return": {}}        the server's next line is exactly this (it must end in \r\n)
 * b: -&gt; ...               the same on connection "b" (connections open at first use)
 * b: &lt;- EOF               the server closes connection b
 * b: .. 200               connection b receives nothing for 200 ms
 * !sleep 100              waits
 * !emit NAME {"k": 1}     the test emits an event through the server's API (not on QEMU)
 * </pre>
 *
 * In expected lines, {@code $INT} matches an integer, {@code $STR} a JSON string, and
 * {@code $GREETING} stands for QEMU 7.2's greeting.
 */
final class Transcript {
    static final String GREETING = "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, "
            + "\"package\": \"Debian 1:7.2+dfsg-7+deb12u18+b3\"}, \"capabilities\": [\"oob\"]}}";
    private static final Pattern LINE = Pattern.compile("^(?:([a-z][a-z0-9]*):\\s+)?(->|<-|\\.\\.)\\s?(.*)$");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$INT|\\$STR");
    private static final long TIMEOUT_MS = 5000;

    /** Where a transcript is replayed. */
    interface Target {
        /** Where connection {@code name} ("a", "b", "c") connects: each to its own listener. */
        SocketAddress address(String connection);

        /** Opens connection {@code name}: by default a socket to {@link #address}. */
        default Peer open(String connection) throws IOException {
            return new Connection(address(connection));
        }

        /** Emits an event by the server's API; unsupported for QEMU. */
        void emit(String name, ObjectNode data);
    }

    sealed interface Step permits Send, Expect, Eof, Silence, Sleep, Emit {
        int line();
    }

    record Send(int line, String conn, byte[] bytes) implements Step {}

    record Expect(int line, String conn, String text, Pattern pattern) implements Step {}

    record Eof(int line, String conn) implements Step {}

    record Silence(int line, String conn, long ms) implements Step {}

    record Sleep(int line, long ms) implements Step {}

    record Emit(int line, String event, ObjectNode data) implements Step {}

    final String name;
    final Set<String> tags;
    final List<Step> steps;

    private Transcript(String name, Set<String> tags, List<Step> steps) {
        this.name = name;
        this.tags = tags;
        this.steps = steps;
    }

    static List<String> names() {
        try (InputStream in = Transcript.class.getResourceAsStream("transcripts/index.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::strip).filter(s -> !s.isEmpty() && !s.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Transcript load(String name) {
        try (InputStream in = Transcript.class.getResourceAsStream("transcripts/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no transcript " + name);
            }
            return parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Transcript parse(String name, String text) {
        Set<String> tags = new LinkedHashSet<>();
        List<Step> steps = new ArrayList<>();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            int number = i + 1;
            String line = lines.get(i);
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            if (trimmed.startsWith("@")) {
                for (String tag : trimmed.substring(1).split("\\s+@?")) {
                    tags.add(tag);
                }
                continue;
            }
            if (trimmed.startsWith("!")) {
                String[] parts = trimmed.substring(1).split("\\s+", 3);
                switch (parts[0]) {
                    case "sleep" -> steps.add(new Sleep(number, Long.parseLong(parts[1])));
                    case "emit" -> steps.add(new Emit(number, parts[1],
                            parts.length > 2 ? (ObjectNode) Json.parse(parts[2]) : Json.object()));
                    default -> throw new IllegalArgumentException(name + ":" + number + ": unknown directive " + trimmed);
                }
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException(name + ":" + number + ": cannot read " + line);
            }
            String conn = m.group(1) != null ? m.group(1) : "a";
            String body = m.group(3);
            switch (m.group(2)) {
                case "->" -> steps.add(new Send(number, conn, (body + "\n").getBytes(StandardCharsets.UTF_8)));
                case "<-" -> {
                    if (body.equals("EOF")) {
                        steps.add(new Eof(number, conn));
                    } else {
                        String expected = body.replace("$GREETING", GREETING);
                        steps.add(new Expect(number, conn, expected, pattern(expected)));
                    }
                }
                default -> steps.add(new Silence(number, conn, Long.parseLong(body.strip())));
            }
        }
        return new Transcript(name, tags, steps);
    }

    private static Pattern pattern(String expected) {
        StringBuilder regex = new StringBuilder();
        Matcher m = PLACEHOLDER.matcher(expected);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(expected.substring(last, m.start())));
            regex.append(m.group().equals("$INT") ? "-?[0-9]+" : "\"(?:[^\"\\\\]|\\\\.)*\"");
            last = m.end();
        }
        regex.append(Pattern.quote(expected.substring(last)));
        return Pattern.compile(regex.toString());
    }

    /** Replays the transcript; throws AssertionError at the first difference. */
    void run(Target target) throws Exception {
        Map<String, Peer> connections = new LinkedHashMap<>();
        try {
            for (Step step : steps) {
                if (step instanceof Send s) {
                    connection(connections, s.conn(), target).send(s.bytes());
                } else if (step instanceof Expect e) {
                    Object got = connection(connections, e.conn(), target).next(TIMEOUT_MS);
                    if (!(got instanceof String actual) || !e.pattern().matcher(actual).matches()) {
                        throw fail(step, "expected " + e.text() + "\n      got " + show(got));
                    }
                } else if (step instanceof Eof eof) {
                    Object got = connection(connections, eof.conn(), target).next(TIMEOUT_MS);
                    if (got != Peer.EOF) {
                        throw fail(step, "expected the connection to close, got " + show(got));
                    }
                } else if (step instanceof Silence silence) {
                    Object got = connection(connections, silence.conn(), target).next(silence.ms());
                    if (got != null) {
                        throw fail(step, "expected nothing for " + silence.ms() + " ms, got " + show(got));
                    }
                } else if (step instanceof Sleep sleep) {
                    Thread.sleep(sleep.ms());
                } else if (step instanceof Emit emit) {
                    target.emit(emit.event(), emit.data());
                }
            }
            // Nothing more may come.
            for (Map.Entry<String, Peer> entry : connections.entrySet()) {
                Object extra = entry.getValue().next(100);
                if (extra != null && extra != Peer.EOF) {
                    throw new AssertionError(name + ": connection " + entry.getKey() + " received more: " + show(extra));
                }
            }
        } finally {
            for (Peer c : connections.values()) {
                c.close();
            }
        }
    }

    private AssertionError fail(Step step, String what) {
        return new AssertionError(name + ":" + step.line() + ": " + what);
    }

    private static String show(Object got) {
        return got == null ? "nothing (timeout)" : got == Peer.EOF ? "EOF" : String.valueOf(got);
    }

    private static Peer connection(Map<String, Peer> connections, String name, Target target) throws IOException {
        Peer c = connections.get(name);
        if (c == null) {
            c = target.open(name);
            connections.put(name, c);
        }
        return c;
    }

    /** One client of the server under test. */
    interface Peer extends AutoCloseable {
        /** Stands for the end of the server's output. */
        Object EOF = new Object() {
            @Override
            public String toString() {
                return "EOF";
            }
        };

        void send(byte[] bytes) throws IOException;

        /** The next line without its {@code \r\n}, {@link #EOF}, or null after {@code ms} without either. */
        Object next(long ms) throws InterruptedException;

        @Override
        void close() throws IOException;
    }

    /** A client connection: lines read by a thread into a queue. */
    static final class Connection implements Peer {

        private final SocketChannel channel;
        private final BlockingQueue<Object> lines = new LinkedBlockingQueue<>();
        private final Thread reader;

        Connection(SocketAddress address) throws IOException {
            channel = address instanceof UnixDomainSocketAddress
                    ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
            channel.connect(address);
            reader = new Thread(this::readLoop, "transcript-reader");
            reader.setDaemon(true);
            reader.start();
        }

        private void readLoop() {
            ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
            java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
            try {
                while (channel.read(buffer) >= 0) {
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                        byte b = buffer.get();
                        line.write(b);
                        if (b == '\n') {
                            byte[] bytes = line.toByteArray();
                            line.reset();
                            String text = new String(bytes, StandardCharsets.UTF_8);
                            lines.add(text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                                    : "!! line not ended by \\r\\n: " + text);
                        }
                    }
                    buffer.clear();
                }
            } catch (IOException e) {
                // closed
            }
            if (line.size() > 0) {
                lines.add("!! unterminated: " + line);
            }
            lines.add(EOF);
        }

        @Override
        public void send(byte[] bytes) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }

        @Override
        public Object next(long ms) throws InterruptedException {
            Object got = lines.poll(ms, TimeUnit.MILLISECONDS);
            if (got == EOF) {
                lines.add(EOF);
            }
            return got;
        }

        /** The next line parsed, skipping nothing. */
        JsonNode nextJson(long ms) throws InterruptedException {
            Object got = next(ms);
            if (!(got instanceof String s)) {
                throw new AssertionError("expected a line, got " + show(got));
            }
            return Json.parse(s);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}

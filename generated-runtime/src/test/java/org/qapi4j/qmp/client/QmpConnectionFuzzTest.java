package org.qapi4j.qmp.client;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.qapi4j.codegen.testing.QuietSeedReplay;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.qmp.json.Json;
import org.qapi4j.qmp.wire.QmpInputParser;
import tools.jackson.databind.JsonNode;

/**
 * Coverage-guided fuzzing of the client's reply path: whatever bytes a server sends (as its
 * greeting, replies and events), a {@link QmpConnection} only ever fails in the documented
 * ways, never hangs, and settles every command it sent.
 *
 * <p>The input is a script for a {@link ScriptedPeer} over a Unix socket. Its first byte holds
 * flags:
 *
 * <ul>
 *   <li>{@code 0x01}: the peer first sends QEMU 7.2's greeting;
 *   <li>{@code 0x02}: the peer answers the first value the client sends (its
 *       {@code qmp_capabilities}) with {@code {"return": {}, "id": ID}};
 *   <li>{@code 0x04}: callbacks run on the event loop ({@code callbacksOnEventLoop});
 *   <li>{@code 0x08}: the client asks for {@code oob} and, if it was enabled, sends one
 *       {@code exec-oob} command;
 *   <li>{@code 0x10}: the client sends one command without reply;
 *   <li>{@code 0x20}: the peer keeps the connection open at the end, so that timeouts settle
 *       what waits (100 ms for connecting, 50 ms per command);
 *   <li>{@code 0xC0}: how many commands the client sends once connected (0 to 3).
 * </ul>
 *
 * <p>The rest is what the peer sends, in segments separated by {@code @@}: segment {@code k}
 * goes out once the client has sent {@code k} JSON values (or after a few milliseconds without
 * one). The client's ids are predictable: {@code qmp_capabilities} has id 0 and the commands
 * 1, 2 and so on, in the order above. Then the peer closes the connection (unless
 * {@code 0x20}) and the client is closed. Properties:
 *
 * <ol>
 *   <li>{@code connect()} completes, normally or with a {@link QmpConnectionClosedException},
 *       within its timeout and a grace;
 *   <li>every command completes (with a value, or with a {@link QmpException} from an error
 *       reply, a {@link QmpTimeoutException} or a {@link QmpConnectionClosedException}), and
 *       afterwards none is in flight;
 *   <li>the listener receives {@link QmpEventMessage}s whose accessors all work;
 *   <li>after {@code close()}, the connection is closed, says why, and its close future has
 *       completed;
 *   <li>the only log records at WARNING or above are the client's documented warnings about
 *       messages it drops (no stack trace); nothing from Netty.
 * </ol>
 *
 * <p>A normal build replays the seeds under
 * {@code src/test/resources/org/qapi4j/qmp/client/QmpConnectionFuzzTestInputs/}. To fuzz:
 * {@code bin/fuzz 10 client} (see the README).
 */
@ExtendWith(QuietSeedReplay.class)
public class QmpConnectionFuzzTest {
    static final byte[] SEPARATOR = "@@".getBytes(StandardCharsets.US_ASCII);
    /** How long the peer waits for the client's next value before it sends the next segment anyway. */
    private static final long SEGMENT_WAIT_MS = 10;
    /** Beyond a timeout, how long anything may take before it counts as a hang. */
    private static final long GRACE_MS = 10_000;

    private static @Nullable Fixture fixture;

    /** The peer's socket, once per class, and what the client logs. */
    private static final class Fixture {
        final ScriptedPeer peer;
        final List<LogRecord> logged = Collections.synchronizedList(new ArrayList<>());
        final List<Logger> watched = List.of(Logger.getLogger("org.qapi4j"), Logger.getLogger("io.netty"));
        final List<Boolean> useParents = new ArrayList<>();
        final Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    logged.add(record);
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };

        Fixture() throws IOException {
            // Checked here rather than printed: the client's warnings about what it drops are
            // the expected answer to most inputs.
            for (Logger logger : watched) {
                useParents.add(logger.getUseParentHandlers());
                logger.addHandler(handler);
                logger.setUseParentHandlers(false);
            }
            QmpConnection.LOG.log(System.Logger.Level.WARNING, "probe");
            if (logged.size() != 1) {
                throw new AssertionError("the client's log is not observable: " + logged);
            }
            logged.clear();
            peer = ScriptedPeer.unix();
        }

        void close() throws IOException {
            peer.close();
            for (int i = 0; i < watched.size(); i++) {
                watched.get(i).removeHandler(handler);
                watched.get(i).setUseParentHandlers(useParents.get(i));
            }
        }
    }

    private static synchronized Fixture fixture() {
        if (fixture == null) {
            try {
                fixture = new Fixture();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return fixture;
    }

    @AfterAll
    static synchronized void closePeer() throws IOException {
        if (fixture != null) {
            fixture.close();
            fixture = null;
        }
    }

    @FuzzTest(maxDuration = "10m")
    @DictionaryEntries({
        "@@", "{\"return\": {}, \"id\": 0}", "{\"return\": {}, \"id\": 1}", "\"id\": 2", "\"id\": 3", "\"id\": 4",
        "\"id\": 5", "{\"return\": ", "{\"error\": {\"class\": \"GenericError\", \"desc\": \"x\"}",
        "\"class\": ", "\"desc\": ", "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7}, "
            + "\"package\": \"\"}, \"capabilities\": [\"oob\"]}}",
        "\"capabilities\": ", "[\"oob\"]", "\"version\": ", "\"qemu\": ", "\"major\": ", "\"package\": ",
        "{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, \"event\": \"STOP\"}", "\"event\": ",
        "\"timestamp\": ", "\"seconds\": ", "\"microseconds\": ", "\"data\": ", "\\x0D\\x0A", "{", "}", "[", "]",
        ":", ",", "\"", "\\\\", "\\\\u0000", "null", "true", "false", "-1", "1e999", "9223372036854775808",
        "-9223372036854775809", "\\xFF", "\\xC0\\x80"
    })
    void settlesEverythingWhateverTheServerSends(byte[] input) throws Exception {
        run(fixture(), input);
    }

    private static void run(Fixture f, byte[] input) throws Exception {
        int flags = input.length > 0 ? input[0] & 0xFF : 0;
        boolean greet = (flags & 0x01) != 0;
        boolean negotiate = (flags & 0x02) != 0;
        boolean onEventLoop = (flags & 0x04) != 0;
        boolean oob = (flags & 0x08) != 0;
        boolean withoutReply = (flags & 0x10) != 0;
        boolean keepOpen = (flags & 0x20) != 0;
        int commands = flags >>> 6;
        List<byte[]> segments = segments(input);

        Duration connectTimeout = keepOpen ? Duration.ofMillis(100) : Duration.ofSeconds(30);
        Duration commandTimeout = keepOpen ? Duration.ofMillis(50) : Duration.ofSeconds(30);
        List<Throwable> listenerErrors = Collections.synchronizedList(new ArrayList<>());
        List<Sent> sent = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<QmpConnection> connecting = QmpConnection.builder()
                .address(f.peer.address())
                .connectTimeout(connectTimeout)
                .commandTimeout(commandTimeout)
                .callbacksOnEventLoop(onEventLoop)
                .enableOob(oob)
                .eventListener(event -> {
                    try {
                        readAll(event);
                    } catch (RuntimeException | Error e) {
                        listenerErrors.add(e);
                    }
                })
                .connect();
        // Once connected, send from the callback (never blocking there): nothing waits for it.
        CompletableFuture<@Nullable Void> sending = connecting.handle((c, connectError) -> {
            if (c != null) {
                for (int i = 0; i < commands; i++) {
                    sent.add(new Sent(c.execute("fuzz-" + i, Json.object()), true));
                }
                if (oob && c.oobEnabled()) {
                    sent.add(new Sent(c.executeOob("fuzz-oob", null), true));
                }
                if (withoutReply) {
                    sent.add(new Sent(c.executeWithoutReply("fuzz-no-reply", Json.object()), false));
                }
            }
            return null;
        });

        String transcript;
        try (ScriptedPeer.Session s = f.peer.accept()) {
            Reader reader = new Reader(s.channel);
            try {
                if (greet) {
                    write(s.channel, ScriptedPeer.GREETING_72.getBytes(StandardCharsets.UTF_8));
                }
                for (int k = 0; k < segments.size(); k++) {
                    if (k > 0) {
                        reader.awaitValues(k, SEGMENT_WAIT_MS);
                    }
                    write(s.channel, segments.get(k));
                    if (negotiate && k == 0) {
                        reader.awaitValues(1, SEGMENT_WAIT_MS);
                        String id = reader.firstId();
                        if (id != null) {
                            write(s.channel, ("{\"return\": {}, \"id\": " + id + "}\r\n").getBytes(StandardCharsets.UTF_8));
                        }
                    }
                }
            } catch (IOException clientWentAway) {
                // The client may close first (a message it could not read): fine.
            }
            if (keepOpen) {
                // Only the timeouts settle things now.
                QmpConnection c = settle(connecting, connectTimeout, input);
                sending.get(GRACE_MS, TimeUnit.MILLISECONDS);
                settleAll(sent, commandTimeout, input);
                if (c != null) {
                    c.close();
                }
            }
            transcript = reader.toString();
        }

        QmpConnection c = settle(connecting, connectTimeout, input);
        sending.get(GRACE_MS, TimeUnit.MILLISECONDS);
        settleAll(sent, commandTimeout, input);
        if (c != null) {
            c.close();
            check(!c.isOpen(), "open after close()", input, transcript);
            check(c.closeCause() != null, "closed without a cause", input, transcript);
            try {
                c.closeFuture().get(GRACE_MS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                check(false, "closeFuture() not complete after close()", input, transcript);
            }
            check(c.inFlight() == 0, c.inFlight() + " commands in flight after all settled", input, transcript);
        }
        if (!listenerErrors.isEmpty()) {
            throw new AssertionError("an event's accessors failed for input " + quote(input), listenerErrors.get(0));
        }
        synchronized (f.logged) {
            for (LogRecord record : f.logged) {
                boolean documented = record.getLoggerName().equals(QmpConnection.class.getName())
                        && record.getLevel() == Level.WARNING && record.getThrown() == null;
                if (!documented) {
                    AssertionError error = new AssertionError("logged " + record.getLevel() + " " + record.getLoggerName()
                            + ": " + record.getMessage() + " for input " + quote(input) + "; client sent: " + transcript,
                            record.getThrown());
                    f.logged.clear();
                    throw error;
                }
            }
            f.logged.clear();
        }
    }

    /** A command sent: {@code replied} when its future completes with the reply's value, never null. */
    private record Sent(CompletableFuture<?> future, boolean replied) {}

    /** The connection, or null when connecting failed as documented; a finding otherwise. */
    private static @Nullable QmpConnection settle(CompletableFuture<QmpConnection> connecting, Duration timeout,
            byte[] input) throws InterruptedException {
        try {
            return connecting.get(timeout.toMillis() + GRACE_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("connect() did not complete for input " + quote(input));
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof QmpConnectionClosedException)) {
                throw new AssertionError("connect() failed with " + e.getCause() + " for input " + quote(input),
                        e.getCause());
            }
            return null;
        }
    }

    private static void settleAll(List<Sent> sent, Duration timeout, byte[] input) throws InterruptedException {
        List<Sent> all;
        synchronized (sent) {
            all = new ArrayList<>(sent);
        }
        for (Sent command : all) {
            try {
                Object value = command.future().get(timeout.toMillis() + GRACE_MS, TimeUnit.MILLISECONDS);
                check(value != null || !command.replied(), "a command completed with null", input, "");
            } catch (TimeoutException e) {
                throw new AssertionError("a command was never settled for input " + quote(input));
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                boolean documented = cause instanceof QmpException qmp && qmp.error() != null
                        || cause instanceof QmpClientException; // closed, timed out, not sent
                if (!documented) {
                    throw new AssertionError("a command failed with " + cause + " for input " + quote(input), cause);
                }
            }
        }
    }

    /** Everything a listener may read from an event; none of it may throw. */
    private static void readAll(QmpEventMessage event) {
        event.name().length();
        event.data().size();
        event.json().size();
        event.timestamp();
        event.seconds();
        event.microseconds();
        event.toString();
    }

    /** The script after the flags byte, split at {@link #SEPARATOR}. */
    static List<byte[]> segments(byte[] input) {
        List<byte[]> segments = new ArrayList<>();
        int start = Math.min(1, input.length);
        for (int i = start; i <= input.length - SEPARATOR.length; i++) {
            if (input[i] == SEPARATOR[0] && input[i + 1] == SEPARATOR[1]) {
                segments.add(java.util.Arrays.copyOfRange(input, start, i));
                start = i + SEPARATOR.length;
                i = start - 1;
            }
        }
        segments.add(java.util.Arrays.copyOfRange(input, start, input.length));
        return segments;
    }

    /**
     * Writes on the channel itself: its streams ({@code Channels.newOutputStream}) would wait
     * for the reader's blocking read to end.
     */
    private static void write(SocketChannel channel, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** Reads what the client sends, counting its JSON values as QEMU frames them. */
    private static final class Reader {
        private final SocketChannel channel;
        private final ByteArrayOutputStream all = new ByteArrayOutputStream();
        private int values;
        private boolean eof;

        Reader(SocketChannel channel) {
            this.channel = channel;
            Thread thread = new Thread(this::run, "fuzz-peer-reader");
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            QmpInputParser input = new QmpInputParser();
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            try {
                while (channel.read(buffer.clear()) >= 0) {
                    buffer.flip();
                    int complete = input.feed(buffer.array(), 0, buffer.limit()).size();
                    synchronized (this) {
                        all.write(buffer.array(), 0, buffer.limit());
                        values += complete;
                        notifyAll();
                    }
                }
            } catch (IOException closed) {
                // The test closed the socket, or the client reset it.
            }
            synchronized (this) {
                eof = true;
                notifyAll();
            }
        }

        synchronized void awaitValues(int n, long millis) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            while (values < n && !eof) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        /** The id of the first value the client sent, as JSON text, or null. */
        synchronized @Nullable String firstId() {
            if (values == 0) {
                return null;
            }
            String text = all.toString(StandardCharsets.UTF_8);
            try {
                JsonNode first = Json.parse(text.substring(0, text.indexOf('}') + 1));
                JsonNode id = first.get("id");
                return id == null ? null : id.toString();
            } catch (RuntimeException e) {
                return null;
            }
        }

        @Override
        public synchronized String toString() {
            return all.toString(StandardCharsets.UTF_8);
        }
    }

    private static void check(boolean ok, String what, byte[] input, String transcript) {
        if (!ok) {
            throw new AssertionError(what + " for input " + quote(input) + "; client sent: " + transcript);
        }
    }

    static String quote(byte[] input) {
        StringBuilder b = new StringBuilder("\"");
        for (byte x : input) {
            int c = x & 0xFF;
            if (c == '"' || c == '\\') {
                b.append('\\').append((char) c);
            } else if (c >= 0x20 && c < 0x7F) {
                b.append((char) c);
            } else {
                b.append(String.format("\\x%02X", c));
            }
        }
        return b.append('"').append(" (").append(input.length).append(" bytes)").toString();
    }
}

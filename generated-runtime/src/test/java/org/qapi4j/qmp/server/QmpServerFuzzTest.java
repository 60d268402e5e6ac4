package org.qapi4j.qmp.server;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.qapi4j.codegen.testing.QuietSeedReplay;
import org.qapi4j.qmp.dispatch.CommandContext;
import org.qapi4j.qmp.dispatch.CommandDispatcher;
import org.qapi4j.qmp.dispatch.CommandSpec;
import org.qapi4j.qmp.json.Json;
import org.qapi4j.qmp.monitor.QmpVersion;
import org.qapi4j.qmp.wire.QemuJson;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Coverage-guided fuzzing of a real {@link QmpServer} connection over a Unix socket: framing
 * ({@link org.qapi4j.qmp.wire.QmpJsonDecoder}), request checks and dispatch. Each input runs on
 * a new connection: greeting, {@code qmp_capabilities} (with {@code oob} enabled when the
 * input's length is odd), the input's bytes, the reset byte 0xFF and
 * {@code {"execute":"query-status","id":"after-<nonce>"}}. The nonce is fresh each time so that
 * an input cannot contain the final command itself. Properties:
 *
 * <ol>
 *   <li>every line the server sends ends in CRLF and is JSON (see {@link #parseLine} for the
 *       one QEMU-faithful exception, {@code inf} and {@code nan});
 *   <li>each line is a reply ({@code return} or {@code error}, optional {@code id}, nothing
 *       else) or an event; an error has one of QEMU's classes and a non-empty {@code desc}; a
 *       parse error says {@code JSON parse error, ...} or one of the three limit texts;
 *   <li>the final command is answered with {@code return} (0xFF resets the decoder whatever
 *       came before, see {@code QmpJsonDecoder}): the connection is open and not wedged;
 *   <li>nothing is logged at WARNING or above by the server or Netty (a handler or pipeline
 *       exception, an unanswered request, an unexpected message all log), and no handler ran
 *       on the wrong thread.
 * </ol>
 *
 * <p>The dispatcher is {@link TestCommands} without the commands that block, sleep for a time
 * the input chooses, build replies as big as asked, fail with a handler bug (logged by
 * design) or stop the server.
 *
 * <p>A normal build replays the seeds under
 * {@code src/test/resources/org/qapi4j/qmp/server/QmpServerFuzzTestInputs/}. To fuzz:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl generated-runtime test -Dtest=QmpServerFuzzTest}.
 */
@ExtendWith(QuietSeedReplay.class)
public class QmpServerFuzzTest {
    private static final long LINE_TIMEOUT_MS = 10_000;
    private static final Set<String> QEMU_ERROR_CLASSES =
            Set.of("GenericError", "CommandNotFound", "DeviceNotActive", "DeviceNotFound", "KVMMissingCap");
    private static final Set<String> LIMIT_TEXTS = Set.of("JSON token size limit exceeded",
            "JSON token count limit exceeded", "JSON nesting depth limit exceeded");
    private static final Set<String> FUZZ_SAFE = Set.of("qmp_capabilities", "query-status", "stop", "cont",
            "query-yank", "x-echo", "x-emit", "x-fail-later", "x-no-reply", "x-count");
    /** QEMU prints non-finite doubles as C's printf does: {@code inf}, {@code -nan} ... */
    private static final Pattern NON_FINITE = Pattern.compile("(?<=[\\[:,] )-?(inf|nan)(?=[,}\\]])");

    private static @Nullable Fixture fixture;

    /** The server, once per class, and what it logs. */
    private static final class Fixture {
        final Path dir;
        final TestCommands commands = new TestCommands();
        final QmpServer server;
        final List<LogRecord> logged = Collections.synchronizedList(new ArrayList<>());
        final List<Logger> watched = List.of(Logger.getLogger("org.qapi4j"), Logger.getLogger("io.netty"));
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

        final List<Boolean> usedParentHandlers = new ArrayList<>();

        Fixture() throws IOException {
            // Checked below instead of printed.
            for (Logger logger : watched) {
                usedParentHandlers.add(logger.getUseParentHandlers());
                logger.addHandler(handler);
                logger.setUseParentHandlers(false);
            }
            // The server logs through System.Logger: make sure that reaches java.util.logging here.
            QmpServer.LOG.log(System.Logger.Level.ERROR, "probe");
            if (logged.size() != 1) {
                throw new AssertionError("the server's log is not observable: " + logged);
            }
            logged.clear();
            dir = Files.createTempDirectory("qmpfuzz");
            CommandDispatcher safe = new CommandDispatcher() {
                private final Map<String, CommandSpec> specs = commands.commands().entrySet().stream()
                        .filter(e -> FUZZ_SAFE.contains(e.getKey()))
                        .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));

                @Override
                public Map<String, CommandSpec> commands() {
                    return specs;
                }

                @Override
                public CompletionStage<JsonNode> dispatch(String name, @Nullable ObjectNode arguments,
                        CommandContext context) {
                    if (!specs.containsKey(name)) {
                        throw new AssertionError("dispatched a command that does not exist: " + name);
                    }
                    return commands.dispatch(name, arguments, context);
                }
            };
            server = QmpServer.builder(safe).version(QmpVersion.QEMU_7_2).unix(dir.resolve("qmp.sock")).start();
            commands.attach(server);
        }

        void close() throws IOException {
            server.close();
            for (int i = 0; i < watched.size(); i++) {
                watched.get(i).removeHandler(handler);
                watched.get(i).setUseParentHandlers(usedParentHandlers.get(i));
            }
            Files.deleteIfExists(dir);
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
    static synchronized void stopServer() throws IOException {
        if (fixture != null) {
            fixture.close();
            fixture = null;
        }
    }

    @FuzzTest(maxDuration = "5m")
    @DictionaryEntries({
        "{\"execute\":", "{\"exec-oob\":", "\"arguments\":", "\"id\":", "\"control\":", "\"enable\":[\"oob\"]",
        "\"qmp_capabilities\"", "\"query-status\"", "\"stop\"", "\"cont\"", "\"query-yank\"", "\"x-echo\"",
        "\"x-emit\"", "\"x-fail-later\"", "\"x-no-reply\"", "\"x-count\"", "\"event\":", "\"data\":", "\"n\":",
        "\"fail\":", "{", "}", "[", "]", ":", ",", "\"", "'", "true", "false", "null", "-", "1e999", ".5",
        "18446744073709551616", "\\x0A", "\\xFF", "\\xC0\\x80", "\\xED\\xA0\\x80"
    })
    void survivesAnyInputAndAnswersAfterReset(byte[] input) throws Exception {
        run(fixture(), input);
    }

    private static void run(Fixture f, byte[] input) throws Exception {
        boolean oob = input.length % 2 == 1;
        String after = "after-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        List<String> lines = new ArrayList<>();
        try (Transcript.Connection c = new Transcript.Connection(f.server.addresses().get(0))) {
            check(Transcript.GREETING.equals(c.next(LINE_TIMEOUT_MS)), "greeting", input, lines);
            c.send((oob ? "{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":[\"oob\"]}}"
                    : "{\"execute\":\"qmp_capabilities\"}").getBytes(StandardCharsets.US_ASCII));
            check("{\"return\": {}}".equals(c.next(LINE_TIMEOUT_MS)), "negotiation", input, lines);

            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(input);
            all.write(0xFF);
            all.writeBytes(("{\"execute\":\"query-status\",\"id\":\"" + after + "\"}").getBytes(StandardCharsets.US_ASCII));
            c.send(all.toByteArray());

            while (true) {
                Object got = c.next(LINE_TIMEOUT_MS);
                if (!(got instanceof String line)) {
                    check(false, got == null ? "no answer to the final command within " + LINE_TIMEOUT_MS + " ms"
                            : "connection closed before the final command was answered", input, lines);
                    return;
                }
                lines.add(line);
                check(!line.startsWith("!!"), "line framing: " + line, input, lines);
                JsonNode json = parseLine(line, input, lines);
                checkShape(json, input, lines);
                if (json.has("id") && after.equals(json.get("id").asString(""))) {
                    check(json.has("return") && json.get("return").isObject()
                            && json.get("return").has("status"), "the final command's answer", input, lines);
                    break;
                }
            }
        }
        check(f.commands.wrongThread.get() == 0, "a handler ran on the wrong thread", input, lines);
        synchronized (f.logged) {
            if (!f.logged.isEmpty()) {
                LogRecord first = f.logged.get(0);
                String what = first.getLevel() + " " + first.getLoggerName() + ": " + first.getMessage()
                        + (first.getThrown() != null ? " / " + first.getThrown() : "");
                AssertionError error = new AssertionError("logged " + what + " for input " + quote(input)
                        + "; lines: " + lines, first.getThrown());
                f.logged.clear();
                throw error;
            }
        }
    }

    /**
     * Parses a line strictly. QEMU writes a non-finite double as {@code inf}, {@code -inf},
     * {@code nan} or {@code -nan} (printf's {@code %.17g}), which is not JSON, and so does
     * {@link QemuJson} to match it byte for byte ({@code x-echo} of {@code 1e999} does it): such
     * a bare token is accepted as a number and nothing else is.
     */
    private static JsonNode parseLine(String line, byte[] input, List<String> lines) {
        try {
            return Json.parse(line);
        } catch (JacksonException e) {
            String patched = NON_FINITE.matcher(line).replaceAll("0");
            try {
                return Json.parse(patched);
            } catch (JacksonException again) {
                check(false, "invalid JSON: " + line + " (" + e.getMessage() + ")", input, lines);
                throw e;
            }
        }
    }

    private static void checkShape(JsonNode json, byte[] input, List<String> lines) {
        check(json.isObject(), "not an object", input, lines);
        if (json.has("event")) {
            check(json.get("event").isString() && json.get("timestamp") != null
                    && json.get("timestamp").path("seconds").isIntegralNumber()
                    && json.get("timestamp").path("microseconds").isIntegralNumber()
                    && (!json.has("data") || json.get("data").isObject())
                    && json.size() == (json.has("data") ? 3 : 2), "event shape", input, lines);
            return;
        }
        int expected = 1 + (json.has("id") ? 1 : 0);
        check(json.size() == expected && (json.has("return") || json.has("error")), "reply shape", input, lines);
        if (json.has("error")) {
            JsonNode error = json.get("error");
            check(error.isObject() && error.size() == 2, "error members", input, lines);
            check(QEMU_ERROR_CLASSES.contains(error.path("class").asString("")), "error class", input, lines);
            String desc = error.path("desc").asString("");
            check(error.get("desc").isString() && !desc.isEmpty(), "error desc", input, lines);
            if (desc.startsWith("JSON")) {
                check(desc.startsWith("JSON parse error, ") || LIMIT_TEXTS.contains(desc),
                        "parse error text", input, lines);
                check(error.path("class").asString("").equals("GenericError") && !json.has("id"),
                        "parse error class and id", input, lines);
            }
        }
    }

    private static void check(boolean ok, String what, byte[] input, List<String> lines) {
        if (!ok) {
            throw new AssertionError(what + " for input " + quote(input) + "; lines: " + lines);
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

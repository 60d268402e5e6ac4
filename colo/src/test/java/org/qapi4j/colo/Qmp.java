package org.qapi4j.colo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.qapi4j.vmm.process.Lab;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A QMP client for the COLO tests: a reader thread keeps every event with the time it arrived
 * ({@link System#nanoTime()}), so a test can wait for events with a deadline while it also sends
 * commands; replies are taken in order, each with a deadline. Lines are kept as sent (raw) next
 * to their parsed form, for byte-for-byte comparisons.
 */
final class Qmp implements AutoCloseable {
    static final JsonMapper JSON = JsonMapper.builder().build();

    /** An event: its name, its data (null when it has none), when it arrived, and its line. */
    record Ev(String name, JsonNode data, long nanos, String line) {
        /** The event's own timestamp (the sender's wall clock), in microseconds. */
        long micros() {
            JsonNode t = JSON.readTree(line).get("timestamp");
            return t.get("seconds").asLong() * 1_000_000 + t.get("microseconds").asLong();
        }

        /** "NAME", or "NAME status" for MIGRATION, "NAME mode reason" for COLO_EXIT. */
        String brief() {
            return switch (name) {
                case "MIGRATION" -> name + " " + data.get("status").asString();
                case "COLO_EXIT" -> name + " " + data.get("mode").asString() + " " + data.get("reason").asString();
                default -> name;
            };
        }
    }

    private static final String END = "\u0000end";
    private final String name;
    private final SocketChannel channel;
    private final LinkedBlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private final List<Ev> events = new ArrayList<>();
    private final Thread reader;

    private Qmp(String name, SocketChannel channel) {
        this.name = name;
        this.channel = channel;
        BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel),
                StandardCharsets.UTF_8));
        reader = new Thread(() -> read(in), "qmp-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Connects to {@code node}'s monitor and negotiates. */
    static Qmp of(Lab.Node node) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(node.qmpSocket()));
        Qmp qmp = new Qmp(node.name(), channel);
        String greeting = qmp.nextReply(10);
        assertThat(greeting).as("%s's greeting", node.name()).contains("\"QMP\"");
        assertThat(qmp.raw("{\"execute\": \"qmp_capabilities\"}")).isEqualTo("{\"return\": {}}");
        return qmp;
    }

    private void read(BufferedReader in) {
        try {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("{\"timestamp\"") || line.startsWith("{\"event\"")) {
                    JsonNode event = JSON.readTree(line);
                    synchronized (events) {
                        events.add(new Ev(event.get("event").asString(), event.get("data"), System.nanoTime(), line));
                        events.notifyAll();
                    }
                } else {
                    replies.add(line);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process died or the test closed us
        }
        replies.add(END);
        synchronized (events) {
            events.notifyAll();
        }
    }

    private String nextReply(double seconds) {
        try {
            String line = replies.poll((long) (seconds * 1000), TimeUnit.MILLISECONDS);
            if (line == null) {
                throw new AssertionError(name + ": no QMP reply within " + seconds + " s");
            }
            if (line.equals(END)) {
                replies.add(END);
                return null;
            }
            return line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Sends {@code request} as it is and returns the reply's line as it came (null if the monitor closed). */
    String raw(String request) throws IOException {
        // Straight to the channel: its stream adapters share one lock, which the reader holds while it waits.
        ByteBuffer bytes = ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
        return nextReply(30);
    }

    static String request(String execute, String arguments) {
        return "{\"execute\": \"" + execute + "\"" + (arguments == null ? "" : ", \"arguments\": " + arguments) + "}";
    }

    /** The parsed reply of {@code execute} with {@code arguments} (JSON or null). */
    JsonNode call(String execute, String arguments) throws IOException {
        String line = raw(request(execute, arguments));
        assertThat(line).as("%s: a reply to %s", name, execute).isNotNull();
        return JSON.readTree(line);
    }

    /** {@code execute}'s {@code return}; fails on an error reply. */
    JsonNode ok(String execute, String arguments) throws IOException {
        JsonNode reply = call(execute, arguments);
        assertThat(reply.has("return")).as("%s: %s answers %s", name, request(execute, arguments), reply).isTrue();
        return reply.get("return");
    }

    JsonNode ok(String execute) throws IOException {
        return ok(execute, null);
    }

    /** {@code execute}'s error description; fails on a success reply. */
    String error(String execute) throws IOException {
        JsonNode reply = call(execute, null);
        assertThat(reply.has("error")).as("%s: %s answers %s", name, execute, reply).isTrue();
        return reply.get("error").get("desc").asString();
    }

    String runState() throws IOException {
        return ok("query-status").get("status").asString();
    }

    JsonNode queryMigrate() throws IOException {
        return ok("query-migrate");
    }

    String migrationStatus() throws IOException {
        JsonNode status = queryMigrate().get("status");
        return status == null ? "none" : status.asString();
    }

    /** {@code query-colo-status} as compact JSON with sorted keys. */
    String coloStatus() throws IOException {
        JsonNode status = ok("query-colo-status");
        return "{\"last-mode\":" + status.get("last-mode") + ",\"mode\":" + status.get("mode") + ",\"reason\":"
                + status.get("reason") + "}";
    }

    void capabilities(String... enabled) throws IOException {
        List<String> caps = new ArrayList<>();
        for (String cap : enabled) {
            caps.add("{\"capability\": \"" + cap + "\", \"state\": true}");
        }
        ok("migrate-set-capabilities", "{\"capabilities\": [" + String.join(", ", caps) + "]}");
    }

    /** The events so far, in arrival order. */
    List<Ev> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** The events after the first {@code from}. */
    List<Ev> eventsFrom(int from) {
        synchronized (events) {
            return List.copyOf(events.subList(Math.min(from, events.size()), events.size()));
        }
    }

    int eventCount() {
        synchronized (events) {
            return events.size();
        }
    }

    /** Brief forms of {@code events} whose names are in {@code names}. */
    static List<String> briefs(List<Ev> events, String... names) {
        List<String> out = new ArrayList<>();
        for (Ev e : events) {
            if (names.length == 0 || List.of(names).contains(e.name())) {
                out.add(e.brief());
            }
        }
        return out;
    }

    /**
     * Waits until an event at index {@code from} or later matches {@code match} and returns it;
     * fails after {@code seconds} with the events seen.
     */
    Ev await(int from, Predicate<Ev> match, String what, double seconds) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        synchronized (events) {
            while (true) {
                for (int i = from; i < events.size(); i++) {
                    if (match.test(events.get(i))) {
                        return events.get(i);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!reader.isAlive() && replies.contains(END))) {
                    throw new AssertionError(name + ": no " + what + " within " + seconds + " s; events: "
                            + briefs(events.subList(Math.min(from, events.size()), events.size())));
                }
                events.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    Ev await(int from, String brief, double seconds) throws InterruptedException {
        return await(from, e -> e.brief().equals(brief), brief, seconds);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}

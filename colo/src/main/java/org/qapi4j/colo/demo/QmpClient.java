package org.qapi4j.colo.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A blocking QMP client on a Unix socket: one command at a time, its {@code return} or an
 * exception with QMP's error text; events go, as they arrive, to a listener (on the reader
 * thread, with their JSON, whose {@code timestamp} is the VMM's clock). Thread-safe for calls.
 */
public final class QmpClient implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNode CLOSED = JSON.createObjectNode().put("closed", true);

    private final SocketChannel channel;
    private final BlockingQueue<JsonNode> replies = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile Consumer<JsonNode> events;

    private QmpClient(SocketChannel channel, Consumer<JsonNode> events) throws IOException {
        this.channel = channel;
        this.events = events;
        BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel),
                StandardCharsets.UTF_8));
        if (in.readLine() == null) {
            throw new IOException("the monitor closed before its greeting");
        }
        this.reader = new Thread(() -> read(in), "qmp-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Connects to the monitor at {@code socket}, trying for up to {@code timeoutMillis} while it
     * does not listen yet, and negotiates capabilities.
     */
    public static QmpClient connect(Path socket, long timeoutMillis, Consumer<JsonNode> events) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
                QmpClient client = new QmpClient(channel, events);
                client.call("qmp_capabilities", null);
                return client;
            } catch (IOException notYet) {
                channel.close();
                if (System.nanoTime() > deadline) {
                    throw new IOException("no QMP monitor on " + socket + ": " + notYet.getMessage());
                }
                sleep(5);
            }
        }
    }

    /** Where events go from now on. */
    public void onEvent(Consumer<JsonNode> listener) {
        this.events = listener;
    }

    /** Sends {@code execute} with {@code arguments} (JSON text, or null) and returns its {@code return}. */
    public synchronized JsonNode call(String execute, String arguments) throws IOException {
        String request = "{\"execute\": \"" + execute + "\"" + (arguments == null ? "" : ", \"arguments\": " + arguments)
                + "}\n";
        // Straight to the channel: a stream of Channels would wait for the reader's lock.
        ByteBuffer bytes = ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
        JsonNode reply;
        try {
            reply = replies.poll(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(execute + ": interrupted");
        }
        if (reply == null) {
            throw new IOException(execute + ": no answer in 30 s");
        }
        if (reply == CLOSED) {
            replies.add(CLOSED);
            throw new IOException(execute + ": the monitor closed");
        }
        if (reply.has("error")) {
            throw new IOException(execute + ": " + reply.get("error").path("desc").asString(""));
        }
        return reply.get("return");
    }

    private void read(BufferedReader in) {
        try {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                JsonNode node = JSON.readTree(line);
                if (node.has("event")) {
                    Consumer<JsonNode> listener = events;
                    if (listener != null) {
                        listener.accept(node);
                    }
                } else {
                    replies.add(node);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the monitor went away: callers see CLOSED
        }
        replies.add(CLOSED);
    }

    /** The microseconds since the epoch of an event's {@code timestamp}. */
    public static long eventMicros(JsonNode event) {
        JsonNode timestamp = event.path("timestamp");
        return timestamp.path("seconds").asLong() * 1_000_000 + timestamp.path("microseconds").asLong();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package org.qapi4j.vmm.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A QMP client that sees the bytes, for comparing two servers line by line: it sends a request
 * and returns the next line that is not an event; events are kept, timestamps replaced by
 * {@link #TIMESTAMP}, in arrival order. Blocking.
 */
public final class QmpLines implements AutoCloseable {
    public static final String TIMESTAMP = "\"timestamp\": {\"seconds\": S, \"microseconds\": U}";
    private static final Pattern TIMESTAMP_JSON = Pattern.compile(
            "\"timestamp\": \\{\"seconds\": \\d+, \"microseconds\": \\d+\\}");

    private final SocketChannel channel;
    private final BufferedReader in;
    private final OutputStream out;
    private final String greeting;
    private final List<String> events = new ArrayList<>();
    private final List<String> rawEvents = new ArrayList<>();

    private QmpLines(SocketChannel channel) throws IOException {
        this.channel = channel;
        this.in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
        this.out = Channels.newOutputStream(channel);
        this.greeting = in.readLine();
    }

    /** Connects to {@code socket}, reads the greeting and negotiates. */
    public static QmpLines negotiated(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        QmpLines client = new QmpLines(channel);
        String reply = client.call("{\"execute\": \"qmp_capabilities\"}");
        if (!reply.equals("{\"return\": {}}")) {
            client.close();
            throw new IOException("negotiation failed: " + reply);
        }
        return client;
    }

    public String greeting() {
        return greeting;
    }

    /** Sends {@code request} and returns the next line that is not an event (null at EOF). */
    public String call(String request) throws IOException {
        out.write((request + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return nextReply();
    }

    /** The next line that is not an event, keeping the events before it; null at the end of the stream. */
    public String nextReply() throws IOException {
        for (String line = readLine(); line != null; line = readLine()) {
            if (line.startsWith("{\"timestamp\"") || line.startsWith("{\"event\"")) {
                keep(line);
            } else {
                return line;
            }
        }
        return null;
    }

    /**
     * The next line, or null at the end of the stream. A process that exits (QEMU after {@code
     * quit}, in about half the runs here) may reset the connection instead of closing it: that
     * is its end too.
     */
    private String readLine() throws IOException {
        try {
            return in.readLine();
        } catch (SocketException e) {
            if (String.valueOf(e.getMessage()).contains("Connection reset")) {
                return null;
            }
            throw e;
        }
    }

    /** Reads lines until {@code count} events have arrived in all (blocking), and returns them all. */
    public List<String> awaitEvents(int count) throws IOException {
        while (events.size() < count) {
            String line = readLine();
            if (line == null) {
                break;
            }
            keep(line);
        }
        return List.copyOf(events);
    }

    /**
     * The events received so far as the server sent them, timestamps included (for timing), and
     * reads on until one named {@code name} has arrived; blocking.
     */
    public List<String> awaitRawEvent(String name) throws IOException {
        String wanted = "\"event\": \"" + name + "\"";
        while (rawEvents.stream().noneMatch(e -> e.contains(wanted))) {
            String line = readLine();
            if (line == null) {
                throw new IOException("the server closed the connection before event " + name);
            }
            keep(line);
        }
        return List.copyOf(rawEvents);
    }

    private void keep(String event) {
        rawEvents.add(event);
        events.add(TIMESTAMP_JSON.matcher(event).replaceAll(TIMESTAMP));
    }

    /** The events received so far, and forgets them. */
    public List<String> takeEvents() {
        List<String> taken = List.copyOf(events);
        events.clear();
        return taken;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}

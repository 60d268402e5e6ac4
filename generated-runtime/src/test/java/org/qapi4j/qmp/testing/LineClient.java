package org.qapi4j.qmp.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A QMP client that sees the bytes: it sends text lines and reads the server's lines as they
 * are, for tests that compare a server's output with QEMU's byte for byte. Blocking.
 */
public final class LineClient implements AutoCloseable {
    private final SocketChannel channel;
    private final BufferedReader in;
    private final OutputStream out;

    private LineClient(SocketChannel channel) {
        this.channel = channel;
        this.in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8), 1 << 20);
        this.out = Channels.newOutputStream(channel);
    }

    /** Connects to the Unix socket {@code path}. */
    public static LineClient connect(Path path) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(path));
        return new LineClient(channel);
    }

    /** Connects, reads the greeting and negotiates without capabilities. */
    public static LineClient negotiated(Path path) throws IOException {
        LineClient client = connect(path);
        client.readLine();
        String reply = client.call("{\"execute\": \"qmp_capabilities\"}");
        if (!reply.equals("{\"return\": {}}")) {
            client.close();
            throw new IOException("negotiation failed: " + reply);
        }
        return client;
    }

    /** Sends {@code text} and a newline. */
    public void send(String text) throws IOException {
        out.write((text + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** The next line, without its line end; null at the end of the stream. */
    public String readLine() throws IOException {
        return in.readLine();
    }

    /** Sends {@code request} and returns the next line. */
    public String call(String request) throws IOException {
        send(request);
        return readLine();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}

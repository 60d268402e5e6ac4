package org.qapi4j.qmp.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.qapi4j.qmp.wire.JsonMessage;
import org.qapi4j.qmp.wire.QmpInputParser;
import tools.jackson.databind.JsonNode;

/**
 * A QMP server that a test scripts byte by byte: it accepts one connection, and the test writes
 * exactly the text it wants the client to see and reads the JSON values the client sent.
 * Plain blocking JDK sockets, nothing of Netty, so the peer shares no code with the client.
 */
final class ScriptedPeer implements AutoCloseable {
    static final String GREETING_72 = "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, "
            + "\"package\": \"Debian 1:7.2+dfsg-7+deb12u18\"}, \"capabilities\": [\"oob\"]}}\r\n";

    private final ServerSocketChannel server;
    private final SocketAddress address;
    private final Path dir;

    private ScriptedPeer(ServerSocketChannel server, SocketAddress address, Path dir) {
        this.server = server;
        this.address = address;
        this.dir = dir;
    }

    static ScriptedPeer unix() throws IOException {
        Path dir = Files.createTempDirectory("qmp-peer");
        Path socket = dir.resolve("s");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        return new ScriptedPeer(server, UnixDomainSocketAddress.of(socket), dir);
    }

    static ScriptedPeer tcp() throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.INET);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return new ScriptedPeer(server, server.getLocalAddress(), null);
    }

    SocketAddress address() {
        return address;
    }

    /** Waits for the client to connect. */
    Session accept() throws IOException {
        return new Session(server.accept());
    }

    /** Accepts, greets as QEMU 7.2 does, and accepts the client's {@code qmp_capabilities}. */
    Session acceptNegotiated() throws IOException {
        Session s = accept();
        s.send(GREETING_72);
        JsonNode negotiation = s.read();
        s.send("{\"return\": {}, \"id\": " + negotiation.get("id") + "}\r\n");
        return s;
    }

    @Override
    public void close() throws IOException {
        server.close();
        if (dir != null) {
            Files.deleteIfExists(dir.resolve("s"));
            Files.deleteIfExists(dir);
        }
    }

    /** A client builder for this peer, with a connect timeout that fails a hung test fast. */
    static QmpConnection.Builder client(ScriptedPeer peer) {
        return QmpConnection.builder().address(peer.address()).connectTimeout(Duration.ofSeconds(5));
    }

    /** How {@code future} failed; an AssertionError when it completes normally or not in time. */
    static Throwable failure(CompletableFuture<?> future) {
        try {
            future.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError("did not fail: " + e, e);
        }
        throw new AssertionError("completed normally");
    }

    /** An event line as QEMU writes it, with a fixed timestamp; {@code data} may be null. */
    static String event(String name, String data) {
        return "{\"timestamp\": {\"seconds\": 1700000000, \"microseconds\": 123456}, \"event\": \"" + name + "\""
                + (data == null ? "" : ", \"data\": " + data) + "}\r\n";
    }

    static final class Session implements AutoCloseable {
        final SocketChannel channel;
        private final OutputStream out;
        private final InputStream in;
        private final QmpInputParser input = new QmpInputParser();

        Session(SocketChannel channel) {
            this.channel = channel;
            this.out = Channels.newOutputStream(channel);
            this.in = Channels.newInputStream(channel);
        }

        void send(String text) throws IOException {
            send(text.getBytes(StandardCharsets.UTF_8));
        }

        void send(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        /**
         * The next JSON value the client sent; null when it closed. Framed by QEMU's own input
         * parsing, a byte at a time, so nothing after the value is consumed.
         */
        JsonNode read() throws IOException {
            while (true) {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                for (JsonMessage message : input.feed(new byte[] {(byte) b})) {
                    if (message instanceof JsonMessage.Value value) {
                        return value.json();
                    }
                    throw new IOException("the client sent what does not parse: " + message);
                }
            }
        }

        /** Reads a request and answers it with {@code returnJson} under its id. */
        JsonNode answer(String returnJson) throws IOException {
            JsonNode request = read();
            send("{\"return\": " + returnJson + ", \"id\": " + request.get("id") + "}\r\n");
            return request;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}

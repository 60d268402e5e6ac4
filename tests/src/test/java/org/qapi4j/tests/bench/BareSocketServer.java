package org.qapi4j.tests.bench;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The benchmark's floor: a server that does no QMP work at all. It greets, then answers every
 * top-level JSON object it reads (found by counting braces: the benchmark sends no strings with
 * braces in them) with the reply {@code query-status} gets, one thread per connection. Whatever
 * rate the benchmark client reaches against it is what the socket, the kernel and the client
 * allow on this machine; no QMP server can answer faster.
 *
 * <p>Two ways to wait for input, as a real server has to choose: {@code spin} reads a
 * non-blocking socket in a loop, which answers soonest and burns a processor per connection;
 * otherwise a blocking read sleeps until input comes, which costs a wake-up per request.
 */
final class BareSocketServer implements AutoCloseable {
    private static final byte[] GREETING = "{\"QMP\": {\"version\": {}, \"capabilities\": []}}\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REPLY = "{\"return\": {\"status\": \"prelaunch\", \"singlestep\": false, \"running\": false}}\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    private final ServerSocketChannel listener;
    private final boolean spin;
    private final Thread acceptor;

    BareSocketServer(Path socket, boolean spin) throws IOException {
        this.spin = spin;
        listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        listener.bind(UnixDomainSocketAddress.of(socket));
        acceptor = new Thread(this::acceptLoop, "bare-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void acceptLoop() {
        while (listener.isOpen()) {
            try {
                SocketChannel connection = listener.accept();
                Thread serving = new Thread(() -> serve(connection), "bare-serve");
                serving.setDaemon(true);
                serving.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(SocketChannel connection) {
        try (connection) {
            ByteBuffer in = ByteBuffer.allocateDirect(1 << 16);
            ByteBuffer out = ByteBuffer.allocateDirect(1 << 20);
            writeAll(connection, out.put(GREETING).flip());
            connection.configureBlocking(!spin);
            int depth = 0;
            while (true) {
                int read = connection.read(in);
                if (read < 0) {
                    return;
                }
                if (read == 0) {
                    Thread.onSpinWait();
                    continue;
                }
                in.flip();
                out.clear();
                while (in.hasRemaining()) {
                    byte b = in.get();
                    if (b == '{') {
                        depth++;
                    } else if (b == '}' && --depth == 0) {
                        if (out.remaining() < REPLY.length) {
                            writeAll(connection, out.flip());
                            out.clear();
                        }
                        out.put(REPLY);
                    }
                }
                in.clear();
                writeAll(connection, out.flip());
            }
        } catch (IOException gone) {
            // The client closed the connection.
        }
    }

    private static void writeAll(SocketChannel connection, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (connection.write(buffer) == 0) {
                Thread.onSpinWait();
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}

package org.qapi4j.tests.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
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

    private BareSocketServer(ServerSocketChannel listener, boolean spin) {
        this.listener = listener;
        this.spin = spin;
        Thread acceptor = new Thread(this::acceptLoop, "bare-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A server on the Unix socket {@code socket}. */
    static BareSocketServer unix(Path socket, boolean spin) throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        listener.bind(UnixDomainSocketAddress.of(socket));
        return new BareSocketServer(listener, spin);
    }

    /** A server on a free TCP port of 127.0.0.1. */
    static BareSocketServer tcp(boolean spin) throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.INET);
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return new BareSocketServer(listener, spin);
    }

    /** {@code unix:PATH} or {@code tcp:127.0.0.1:PORT}, as {@link QmpLoadClient#connect} takes it. */
    String address() throws IOException {
        SocketAddress local = listener.getLocalAddress();
        if (local instanceof InetSocketAddress inet) {
            return "tcp:" + inet.getAddress().getHostAddress() + ":" + inet.getPort();
        }
        return "unix:" + ((UnixDomainSocketAddress) local).getPath();
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
            if (connection.getLocalAddress() instanceof InetSocketAddress) {
                connection.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
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

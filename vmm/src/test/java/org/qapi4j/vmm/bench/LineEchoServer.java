package org.qapi4j.vmm.bench;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The floor of {@link VmmBench}'s kvstore figures: a loopback TCP server that answers every line
 * with {@code OK} and does nothing else, a thread per connection, TCP_NODELAY as the VMM's NIC.
 * Answers are flushed when no more input is waiting, so pipelined requests share a write.
 */
final class LineEchoServer implements AutoCloseable {
    private static final byte[] OK = "OK\n".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket server;
    private final List<Socket> connections = new CopyOnWriteArrayList<>();

    private LineEchoServer(ServerSocket server) {
        this.server = server;
    }

    static LineEchoServer start() throws IOException {
        LineEchoServer echo = new LineEchoServer(new ServerSocket(0, 64, InetAddress.getLoopbackAddress()));
        Thread acceptor = new Thread(echo::accept, "echo-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return echo;
    }

    InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    private void accept() {
        while (true) {
            Socket socket;
            try {
                socket = server.accept();
                socket.setTcpNoDelay(true);
            } catch (IOException closed) {
                return;
            }
            connections.add(socket);
            Thread thread = new Thread(() -> serve(socket), "echo-" + socket.getPort());
            thread.setDaemon(true);
            thread.start();
        }
    }

    private static void serve(Socket socket) {
        try (socket;
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                OutputStream out = new BufferedOutputStream(socket.getOutputStream())) {
            while (in.readLine() != null) {
                out.write(OK);
                if (!in.ready()) {
                    out.flush();
                }
            }
        } catch (IOException gone) {
            // the client closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : connections) {
            socket.close();
        }
    }
}

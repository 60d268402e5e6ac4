package org.qapi4j.colo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP proxy on loopback between a COLO primary and its secondary's {@code -incoming} address,
 * which the test controls: every connection the primary opens there (the migration's, then
 * COLO's proxy link and disk link, all to that address) is forwarded both ways until {@link
 * #cut}, which closes each forwarded connection on both sides and refuses new ones: the link
 * between the hosts is gone, both processes live on.
 */
final class ColoLinkProxy implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress destination;
    private final List<Socket> sockets = new ArrayList<>();
    private volatile boolean cut;
    private volatile boolean frozen;
    private int connections;

    ColoLinkProxy(InetSocketAddress destination) throws IOException {
        this.destination = destination;
        server = new ServerSocket();
        server.bind(new InetSocketAddress("127.0.0.1", 0));
        Thread acceptor = new Thread(this::accept, "colo-link-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The URI to give the primary's {@code migrate}. */
    String uri() {
        return "tcp:127.0.0.1:" + server.getLocalPort();
    }

    synchronized int connections() {
        return connections;
    }

    private void accept() {
        while (!cut) {
            try {
                Socket from = server.accept();
                Socket to = new Socket();
                to.connect(destination);
                from.setTcpNoDelay(true);
                to.setTcpNoDelay(true);
                synchronized (this) {
                    if (cut) {
                        from.close();
                        to.close();
                        return;
                    }
                    sockets.add(from);
                    sockets.add(to);
                    connections++;
                }
                pump(from, to);
                pump(to, from);
            } catch (IOException e) {
                return; // the server socket closed: cut or closed
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[65536];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    while (frozen && !cut) {
                        Thread.sleep(10); // a silent partition: bytes neither pass nor fail
                    }
                    out.write(buffer, 0, n);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // cut, or one side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "colo-link-pump");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * A silent partition: from now on no byte passes either way, and no connection is closed
     * (as when a switch between the hosts drops everything): only a timeout can notice it.
     */
    void freeze() {
        frozen = true;
    }

    /** Cuts the link: every forwarded connection closed on both sides, new ones refused. */
    void cut() {
        List<Socket> open;
        synchronized (this) {
            cut = true;
            open = new ArrayList<>(sockets);
        }
        closeQuietly(server);
        for (Socket socket : open) {
            closeQuietly(socket);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing is the point
        }
    }

    @Override
    public void close() {
        cut();
    }
}

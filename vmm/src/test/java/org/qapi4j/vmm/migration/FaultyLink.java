package org.qapi4j.vmm.migration;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy between a migration's source and its destination that the test controls: it
 * forwards the bytes of one connection both ways, and can cut both directions once {@code N}
 * bytes have gone from source to destination, or flip one bit of byte {@code N} of that stream.
 * The source connects to {@link #uri()}; the proxy connects to the destination when it does.
 */
final class FaultyLink implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress destination;
    private final long cutAfter;
    private final long flipAt;
    private final int flipMask;
    private final AtomicLong forwarded = new AtomicLong();
    private final List<Socket> sockets = new ArrayList<>();
    private volatile boolean cut;
    private final Thread acceptor;

    private FaultyLink(InetSocketAddress destination, long cutAfter, long flipAt, int flipMask) throws IOException {
        this.destination = destination;
        this.cutAfter = cutAfter;
        this.flipAt = flipAt;
        this.flipMask = flipMask;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress("127.0.0.1", 0));
        acceptor = new Thread(this::accept, "faulty-link");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Forwards everything unchanged (until {@link #cutNow}). */
    static FaultyLink clean(InetSocketAddress destination) throws IOException {
        return new FaultyLink(destination, Long.MAX_VALUE, -1, 0);
    }

    /** Closes both directions once {@code bytes} bytes went from source to destination. */
    static FaultyLink cutAfter(InetSocketAddress destination, long bytes) throws IOException {
        return new FaultyLink(destination, bytes, -1, 0);
    }

    /** Flips bit {@code bit} (0..7) of byte {@code offset} of the source's stream, nothing else. */
    static FaultyLink flipBit(InetSocketAddress destination, long offset, int bit) throws IOException {
        return new FaultyLink(destination, Long.MAX_VALUE, offset, 1 << bit);
    }

    /** The URI to give the source's {@code migrate}. */
    String uri() {
        return "tcp:127.0.0.1:" + server.getLocalPort();
    }

    /** Bytes forwarded from source to destination so far. */
    long forwarded() {
        return forwarded.get();
    }

    /** Whether the link was cut (by its byte count or by {@link #cutNow}). */
    boolean isCut() {
        return cut;
    }

    /** Polls until {@code bytes} went from source to destination; fails after {@code seconds}. */
    void awaitForwarded(long bytes, double seconds) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (forwarded.get() < bytes) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + forwarded.get() + " of " + bytes + " bytes went through in " + seconds + " s");
            }
            Thread.sleep(2);
        }
    }

    private void accept() {
        try {
            Socket fromSource = server.accept();
            Socket toDestination = new Socket();
            toDestination.connect(destination, 5000);
            synchronized (sockets) {
                sockets.add(fromSource);
                sockets.add(toDestination);
            }
            Thread back = new Thread(() -> pump(toDestination, fromSource, false), "faulty-link-back");
            back.setDaemon(true);
            back.start();
            pump(fromSource, toDestination, true);
        } catch (IOException e) {
            cutNow();
        }
    }

    private void pump(Socket from, Socket to, boolean forward) {
        byte[] buffer = new byte[64 * 1024];
        try {
            // Not closed here: a half-closed direction must leave the other one working.
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            while (!cut) {
                int n = in.read(buffer);
                if (n < 0) {
                    to.shutdownOutput();
                    return;
                }
                if (forward) {
                    long start = forwarded.get();
                    if (start + n > cutAfter) {
                        out.write(buffer, 0, (int) (cutAfter - start));
                        out.flush();
                        forwarded.addAndGet(cutAfter - start);
                        cutNow();
                        return;
                    }
                    if (flipAt >= start && flipAt < start + n) {
                        buffer[(int) (flipAt - start)] ^= (byte) flipMask;
                    }
                    out.write(buffer, 0, n);
                    forwarded.addAndGet(n);
                } else {
                    out.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            cutNow();
        }
    }

    /** Closes both directions now. */
    void cutNow() {
        cut = true;
        synchronized (sockets) {
            for (Socket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing is all we want
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        cutNow();
        server.close();
    }
}

package org.qapi4j.tests.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import org.HdrHistogram.Histogram;

/**
 * The one client every QMP server in the benchmarks is measured with, ours and QEMU's alike: a
 * plain blocking socket that writes requests and counts reply lines, so that the client costs
 * the same whoever answers.
 *
 * <p>Replies are counted by their {@code \r\n} line ends; events would be counted as replies,
 * so the benchmarks send commands that emit none ({@code query-status}).
 */
final class QmpLoadClient implements AutoCloseable {
    private static final byte[] NEGOTIATE = "{\"execute\":\"qmp_capabilities\"}".getBytes(StandardCharsets.US_ASCII);

    private final SocketChannel channel;
    private final ByteBuffer in = ByteBuffer.allocateDirect(1 << 20);

    private QmpLoadClient(SocketChannel channel) {
        this.channel = channel;
        in.flip();
    }

    /** Connects to {@code address} ({@code unix:PATH} or {@code tcp:HOST:PORT}) and negotiates. */
    static QmpLoadClient connect(String address) throws IOException {
        QmpLoadClient client = connectOnly(address);
        client.awaitLines(1); // greeting
        client.send(NEGOTIATE, 1);
        client.awaitLines(1);
        return client;
    }

    private static QmpLoadClient connectOnly(String address) throws IOException {
        SocketChannel channel;
        if (address.startsWith("unix:")) {
            SocketAddress unix = UnixDomainSocketAddress.of(address.substring("unix:".length()));
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(unix);
        } else {
            String hostPort = address.substring("tcp:".length());
            int colon = hostPort.lastIndexOf(':');
            channel = SocketChannel.open(new InetSocketAddress(hostPort.substring(0, colon),
                    Integer.parseInt(hostPort.substring(colon + 1))));
            channel.socket().setTcpNoDelay(true);
        }
        return new QmpLoadClient(channel);
    }

    /**
     * Milliseconds from the start of a connect to {@code address} to the whole greeting, on a
     * connection of its own that then closes; a refused connect (a server that has made its
     * socket file but does not listen yet) is tried again, and counts from the last try.
     */
    static double firstGreetingMillis(String address) throws Exception {
        for (int attempt = 0; ; attempt++) {
            long start = System.nanoTime();
            try (QmpLoadClient client = connectOnly(address)) {
                client.awaitLines(1);
                return (System.nanoTime() - start) / 1e6;
            } catch (java.net.ConnectException refused) {
                if (attempt == 200) {
                    throw refused;
                }
                Thread.sleep(5);
            }
        }
    }

    /** Writes {@code request} {@code times} times back to back (one write system call when it fits). */
    void send(byte[] request, int times) throws IOException {
        ByteBuffer out = ByteBuffer.allocate(request.length * times);
        for (int i = 0; i < times; i++) {
            out.put(request);
        }
        out.flip();
        while (out.hasRemaining()) {
            channel.write(out);
        }
    }

    /** Reads until {@code count} more reply lines have arrived. */
    void awaitLines(int count) throws IOException {
        int seen = 0;
        while (seen < count) {
            while (in.hasRemaining() && seen < count) {
                if (in.get() == '\n') {
                    seen++;
                }
            }
            if (seen < count) {
                in.clear();
                if (channel.read(in) < 0) {
                    throw new IOException("server closed the connection after " + seen + " of " + count + " replies");
                }
                in.flip();
            }
        }
    }

    /** Synchronous round trips for {@code seconds}: one request, wait for its reply, repeat. */
    Histogram roundTrips(byte[] request, double seconds) throws IOException {
        Histogram latencies = new Histogram(3_600_000_000L, 3);
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            long start = System.nanoTime();
            send(request, 1);
            awaitLines(1);
            latencies.recordValue((System.nanoTime() - start) / 1000);
        }
        return latencies;
    }

    /** {@code count} requests sent at once, then all replies read; returns the seconds taken. */
    double pipelined(byte[] request, int count) throws IOException {
        long start = System.nanoTime();
        send(request, count);
        awaitLines(count);
        return (System.nanoTime() - start) / 1e9;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}

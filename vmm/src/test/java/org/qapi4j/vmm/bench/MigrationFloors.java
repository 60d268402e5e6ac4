package org.qapi4j.vmm.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.qapi4j.vmm.machine.memory.GuestRam;

/**
 * The floors under a migration's throughput, measured in the benchmark's JVM beside the real
 * migrations: what it costs a destination just to receive 1 GiB into fresh guest RAM (a socket
 * copy plus the tmpfs pages the RAM allocates as it is written), and what the stream's CRC-32C
 * costs a side per gigabyte; and the plain loopback copy that both this benchmark and COLO's
 * measure their page wire time against.
 */
public final class MigrationFloors {
    private static final long GIB = 1L << 30;
    private static final int CHUNK = 1 << 20;

    private MigrationFloors() {}

    /**
     * Milliseconds to copy 1 GiB over one loopback TCP connection in 1 MiB writes, in this JVM:
     * the floor under any transfer on this machine.
     */
    public static double loopbackCopyMillis() throws Exception {
        byte[] chunk = new byte[1 << 20];
        new SplittableRandom(7).nextBytes(chunk);
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            long[] received = new long[1];
            Thread reader = new Thread(() -> {
                try (Socket socket = server.accept(); InputStream in = socket.getInputStream()) {
                    byte[] buffer = new byte[1 << 20];
                    for (int n; (n = in.read(buffer)) > 0;) {
                        received[0] += n;
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            reader.start();
            long start = System.nanoTime();
            try (Socket socket = new Socket("127.0.0.1", server.getLocalPort()); OutputStream out = socket.getOutputStream()) {
                for (long sent = 0; sent < GIB; sent += chunk.length) {
                    out.write(chunk);
                }
            }
            reader.join();
            double ms = (System.nanoTime() - start) / 1e6;
            if (received[0] != GIB) {
                throw new IOException("the floor received " + received[0] + " bytes");
            }
            return ms;
        }
    }

    /**
     * Milliseconds to copy 1 GiB over one loopback TCP connection in 1 MiB writes from and into
     * direct buffers ({@link SocketChannel}), as the migration stream does: no copy through a
     * heap array on either side, which {@link #loopbackCopyMillis()}'s socket streams make.
     */
    static double loopbackChannelCopyMillis() throws Exception {
        ByteBuffer chunk = randomChunk(7);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            long[] received = new long[1];
            Thread reader = new Thread(() -> {
                try (SocketChannel socket = server.accept()) {
                    ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK);
                    for (int n; (n = socket.read(buffer.clear())) >= 0;) {
                        received[0] += n;
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            reader.start();
            long start = System.nanoTime();
            send(server, chunk);
            reader.join();
            double ms = (System.nanoTime() - start) / 1e6;
            if (received[0] != GIB) {
                throw new IOException("the channel floor received " + received[0] + " bytes");
            }
            return ms;
        }
    }

    /** Sends 1 GiB of {@code chunk} to {@code server}'s address, then closes. */
    private static void send(ServerSocketChannel server, ByteBuffer chunk) throws IOException {
        try (SocketChannel socket = SocketChannel.open(server.getLocalAddress())) {
            for (long sent = 0; sent < GIB; sent += CHUNK) {
                ByteBuffer view = chunk.duplicate();
                while (view.hasRemaining()) {
                    socket.write(view);
                }
            }
        }
    }

    private static ByteBuffer randomChunk(int seed) {
        ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK);
        byte[] random = new byte[CHUNK];
        new SplittableRandom(seed).nextBytes(random);
        return chunk.put(random).flip();
    }

    /**
     * 1 GiB over loopback TCP in 1 MiB writes, each page written into a 1 GiB guest RAM as it
     * arrives: the socket floor plus the destination's memory; with {@code prealloc}, RAM whose
     * pages were allocated before the clock starts ({@code -mem-prealloc}), else fresh RAM,
     * which allocates each page at its first write.
     */
    static MigrationRun.Result socketIntoGuestRam(boolean prealloc) throws Exception {
        ByteBuffer chunk = randomChunk(11);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.INET);
                GuestRam ram = GuestRam.allocate(GIB, prealloc)) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            long[] received = new long[1];
            Thread reader = new Thread(() -> {
                try (SocketChannel socket = server.accept()) {
                    ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK);
                    long page = 0;
                    while (true) {
                        buffer.clear();
                        while (buffer.hasRemaining() && socket.read(buffer) >= 0) {
                            // fill a whole chunk: pages land whole
                        }
                        buffer.flip();
                        if (!buffer.hasRemaining()) {
                            return;
                        }
                        received[0] += buffer.remaining();
                        while (buffer.remaining() >= GuestRam.PAGE_SIZE) {
                            ram.writePage(page++, buffer);
                        }
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            reader.start();
            long start = System.nanoTime();
            send(server, chunk);
            reader.join();
            double ms = (System.nanoTime() - start) / 1e6;
            if (received[0] != GIB) {
                throw new IOException("the guest RAM floor received " + received[0] + " bytes");
            }
            return MigrationRun.Result.floor(ms, GIB);
        }
    }

    /** CRC-32C over 1 GiB in 1 MiB sections on one core: MB/s. */
    static double crc32cMegabytesPerSecond() {
        ByteBuffer chunk = randomChunk(13);
        CRC32C crc = new CRC32C();
        long sink = 0;
        for (int warm = 0; warm < 256; warm++) {
            crc.reset();
            crc.update(chunk.duplicate());
            sink += crc.getValue();
        }
        long start = System.nanoTime();
        for (long done = 0; done < GIB; done += CHUNK) {
            crc.reset();
            crc.update(chunk.duplicate());
            sink += crc.getValue();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (sink == 42) {
            System.out.print(""); // keeps the loop's result alive
        }
        return GIB / 1e6 / seconds;
    }
}

package org.qapi4j.colo.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.qapi4j.vmm.machine.device.DiskImage;

/** Replication over real sockets, client and server in this JVM. */
@Timeout(60)
class DiskReplicationTest {
    private static final int SECTOR = 512;
    private static final long BYTES = 8L << 20;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<IOException> serverEnds = new CopyOnWriteArrayList<>();
    private final List<IOException> primaryLosses = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closing(T closeable) {
        toClose.add(closeable);
        return closeable;
    }

    private static SocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    /** A primary image with some content, and the secondary's base as its copy (both sides start equal). */
    private Path[] images() throws Exception {
        Path primaryFile = dir.resolve("primary.img");
        try (DiskImage image = DiskImage.openOrCreate(primaryFile, BYTES)) {
            byte[] start = new byte[64 * SECTOR];
            new Random(1).nextBytes(start);
            image.write(4096, ByteBuffer.wrap(start));
        }
        Path secondaryFile = dir.resolve("secondary.img");
        Files.copy(primaryFile, secondaryFile);
        return new Path[] {primaryFile, secondaryFile};
    }

    @Test
    void overTcpTheImagesAreByteIdenticalAfterABarrierAndACheckpoint() throws Exception {
        replicate(loopback(), 7);
    }

    @Test
    void overAUnixSocketToo() throws Exception {
        replicate(UnixDomainSocketAddress.of(dir.resolve("replication.sock")), 8);
    }

    private void replicate(SocketAddress address, long seed) throws Exception {
        Path[] files = images();
        SecondaryDisk secondary = closing(SecondaryDisk.open(DiskImage.openOrCreate(files[1], BYTES), dir.resolve("buffers")));
        DiskReplicationServer server = closing(DiskReplicationServer.listen(address, secondary, serverEnds::add));
        PrimaryDisk primary = closing(new PrimaryDisk(DiskImage.openOrCreate(files[0], BYTES),
                DiskReplicationClient.connect(server.localAddress(), BYTES, TIMEOUT), primaryLosses::add));
        Random random = new Random(seed);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 200; i++) {
                int sectors = 1 + random.nextInt(16);
                long offset = (long) random.nextInt((int) (BYTES / SECTOR) - sectors) * SECTOR;
                byte[] data = new byte[sectors * SECTOR];
                random.nextBytes(data);
                ByteBuffer src = ByteBuffer.wrap(data);
                primary.write(offset, src);
                assertThat(src.hasRemaining()).as("the write consumed its buffer").isFalse();
                if (random.nextInt(4) == 0) {
                    secondary.write(offset, ByteBuffer.wrap(new byte[SECTOR])); // the secondary guest's own
                }
            }
            // One write larger than a frame's payload: it is sent as several frames.
            byte[] large = new byte[3 * ReplicationFrame.MAX_PAYLOAD / 2];
            random.nextBytes(large);
            primary.write(BYTES - large.length, ByteBuffer.wrap(large));
            primary.barrier();
            secondary.checkpoint();
            primary.flush();
            secondary.flush();
            assertThat(Files.mismatch(files[0], files[1])).as("round " + round + ": images differ at").isEqualTo(-1L);
            ByteBuffer view = ByteBuffer.allocate((int) BYTES);
            secondary.read(0, view);
            assertThat(view.array()).isEqualTo(Arrays.copyOfRange(Files.readAllBytes(files[0]), DiskImage.HEADER_BYTES,
                    DiskImage.HEADER_BYTES + (int) BYTES));
        }
        assertThat(serverEnds).isEmpty();
        assertThat(primaryLosses).isEmpty();
    }

    @Test
    void barrierReturnsOnlyOnceTheSecondaryHasAppliedTheWrites() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Long> applied = new CopyOnWriteArrayList<>();
        PrimaryWriteSink slow = new PrimaryWriteSink() {
            @Override
            public long dataBytes() {
                return BYTES;
            }

            @Override
            public void applyPrimaryWrite(long offset, ByteBuffer data) throws IOException {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                applied.add(offset);
            }
        };
        DiskReplicationServer server = closing(DiskReplicationServer.listen(loopback(), slow, serverEnds::add));
        DiskReplicationClient client = closing(DiskReplicationClient.connect(server.localAddress(), BYTES, TIMEOUT));
        client.write(0, ByteBuffer.allocate(SECTOR));
        client.write(SECTOR, ByteBuffer.allocate(SECTOR));
        CompletableFuture<Void> barrier = CompletableFuture.runAsync(() -> {
            try {
                client.barrier();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Thread.sleep(300);
        assertThat(barrier).as("the barrier waits while the writes are not applied").isNotDone();
        assertThat(applied).isEmpty();
        release.countDown();
        barrier.get(10, TimeUnit.SECONDS);
        assertThat(applied).containsExactly(0L, (long) SECTOR);
        assertThat(server.appliedWrites()).isEqualTo(2);
    }

    /** Encodes a frame as the client would send it. */
    private static byte[] encode(ReplicationFrame frame) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        frame.writeTo(Channels.newChannel(out));
        return out.toByteArray();
    }

    private void corruptedFrameIsRefused(int flipAt) throws Exception {
        Path[] files = images();
        SecondaryDisk secondary = closing(SecondaryDisk.open(DiskImage.openOrCreate(files[1], BYTES), dir.resolve("buffers")));
        CompletableFuture<IOException> end = new CompletableFuture<>();
        DiskReplicationServer server = closing(DiskReplicationServer.listen(loopback(), secondary, end::complete));
        byte[] before = SecondaryDiskModelTest.baseBytes(files[1]);
        try (SocketChannel raw = SocketChannel.open(server.localAddress())) {
            raw.write(ByteBuffer.wrap(encode(ReplicationFrame.of(ReplicationFrame.HELLO, ReplicationFrame.VERSION, BYTES))));
            assertThat(ReplicationFrame.readFrom(raw).type()).isEqualTo(ReplicationFrame.HELLO);
            byte[] payload = new byte[4 * SECTOR];
            Arrays.fill(payload, (byte) 0x5A);
            byte[] frame = encode(new ReplicationFrame(ReplicationFrame.WRITE, 1, 0, ByteBuffer.wrap(payload)));
            frame[flipAt] ^= 0x10;
            raw.write(ByteBuffer.wrap(frame));
            ReplicationFrame answer = ReplicationFrame.readFrom(raw);
            assertThat(answer.type()).isEqualTo(ReplicationFrame.ERROR);
            assertThat(answer.errorMessage()).contains("corrupt");
            assertThat(ReplicationFrame.readFrom(raw)).as("the secondary closed the link").isNull();
        }
        assertThat(end.get(10, TimeUnit.SECONDS)).isInstanceOf(ReplicationFrame.CorruptFrameException.class);
        assertThat(server.appliedWrites()).isZero();
        assertThat(secondary.hiddenSectors()).isZero();
        assertThat(SecondaryDiskModelTest.baseBytes(files[1])).as("nothing of the frame was applied").isEqualTo(before);
    }

    @Test
    void aFrameWithACorruptedPayloadIsRefusedNeverApplied() throws Exception {
        corruptedFrameIsRefused(ReplicationFrame.HEADER_BYTES + 100);
    }

    @Test
    void aFrameWithACorruptedOffsetIsRefusedNeverApplied() throws Exception {
        corruptedFrameIsRefused(27);
    }

    @Test
    void aFrameWithACorruptedLengthIsRefusedWithoutWaitingForItsBytes() throws Exception {
        corruptedFrameIsRefused(10);
    }

    @Test
    void aCorruptedAnswerEndsReplicationOnThePrimary() throws Exception {
        try (ServerSocketChannel fake = ServerSocketChannel.open().bind(loopback())) {
            CompletableFuture<DiskReplicationClient> connecting = CompletableFuture.supplyAsync(() -> {
                try {
                    return DiskReplicationClient.connect(fake.getLocalAddress(), BYTES, TIMEOUT);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (SocketChannel secondary = fake.accept()) {
                ReplicationFrame.readFrom(secondary);
                secondary.write(ByteBuffer.wrap(encode(ReplicationFrame.of(ReplicationFrame.HELLO, ReplicationFrame.VERSION, BYTES))));
                DiskReplicationClient client = closing(connecting.get(10, TimeUnit.SECONDS));
                PrimaryDisk primary = closing(new PrimaryDisk(DiskImage.openOrCreate(dir.resolve("p.img"), BYTES), client,
                        primaryLosses::add));
                primary.write(0, ByteBuffer.allocate(SECTOR));
                ReplicationFrame.readFrom(secondary); // the write
                CompletableFuture<Void> barrier = CompletableFuture.runAsync(() -> {
                    try {
                        primary.barrier();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                assertThat(ReplicationFrame.readFrom(secondary).type()).isEqualTo(ReplicationFrame.BARRIER);
                byte[] ack = encode(ReplicationFrame.of(ReplicationFrame.BARRIER_ACK, 1, 0));
                ack[ack.length - 1] ^= 1; // the frame's CRC no longer matches
                secondary.write(ByteBuffer.wrap(ack));
                assertThatThrownBy(() -> barrier.get(10, TimeUnit.SECONDS)).hasRootCauseInstanceOf(
                        ReplicationFrame.CorruptFrameException.class);
                assertThat(primaryLosses).hasSize(1);
                assertThat(primary.replicating()).isFalse();
            }
        }
    }

    @Test
    void whenTheLinkDiesThePrimaryKeepsWritingLocallyAndTheListenerHearsOnce() throws Exception {
        Path[] files = images();
        SecondaryDisk secondary = closing(SecondaryDisk.open(DiskImage.openOrCreate(files[1], BYTES), dir.resolve("buffers")));
        DiskReplicationServer server = DiskReplicationServer.listen(loopback(), secondary, serverEnds::add);
        PrimaryDisk primary = closing(new PrimaryDisk(DiskImage.openOrCreate(files[0], BYTES),
                DiskReplicationClient.connect(server.localAddress(), BYTES, TIMEOUT), primaryLosses::add));
        primary.write(0, ByteBuffer.wrap(filled(SECTOR, 1)));
        primary.barrier();
        server.close(); // the secondary dies
        for (int i = 0; i < 2000; i++) {
            primary.write((long) (i % 1000) * SECTOR, ByteBuffer.wrap(filled(SECTOR, 2 + i % 100)));
        }
        assertThat(primaryLosses).as("the listener heard of the loss once").hasSize(1);
        assertThat(primary.replicating()).isFalse();
        assertThatThrownBy(primary::barrier).isInstanceOf(IOException.class).hasMessageContaining("ended");
        assertThat(primaryLosses).as("still once").hasSize(1);
        ByteBuffer read = ByteBuffer.allocate(SECTOR);
        primary.read(999L * SECTOR, read);
        assertThat(read.array()).as("every write landed locally").isEqualTo(filled(SECTOR, 2 + 1999 % 100));
    }

    @Test
    void aSecondaryThatStopsReadingCannotStallThePrimaryLongerThanTheTimeout() throws Exception {
        try (ServerSocketChannel fake = ServerSocketChannel.open().bind(loopback())) {
            CompletableFuture<DiskReplicationClient> connecting = CompletableFuture.supplyAsync(() -> {
                try {
                    return DiskReplicationClient.connect(fake.getLocalAddress(), BYTES, Duration.ofMillis(500));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (SocketChannel hung = fake.accept()) {
                ReplicationFrame.readFrom(hung);
                hung.write(ByteBuffer.wrap(encode(ReplicationFrame.of(ReplicationFrame.HELLO, ReplicationFrame.VERSION, BYTES))));
                PrimaryDisk primary = closing(new PrimaryDisk(DiskImage.openOrCreate(dir.resolve("p.img"), BYTES),
                        connecting.get(10, TimeUnit.SECONDS), primaryLosses::add));
                long start = System.nanoTime();
                byte[] chunk = new byte[256 * 1024];
                for (int i = 0; i < 200; i++) { // 50 MiB: far more than the socket buffers hold
                    primary.write((long) (i % 32) * chunk.length, ByteBuffer.wrap(chunk));
                }
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
                assertThat(primaryLosses).hasSize(1);
                assertThat(primaryLosses.get(0)).hasMessageContaining("no progress");
                assertThat(primary.replicating()).isFalse();
            }
        }
    }

    @Test
    void aSecondaryWithAnotherDiskSizeIsRefusedAtConnect() throws Exception {
        PrimaryWriteSink sink = new PrimaryWriteSink() {
            @Override
            public long dataBytes() {
                return BYTES;
            }

            @Override
            public void applyPrimaryWrite(long offset, ByteBuffer data) {
                throw new AssertionError("nothing is applied");
            }
        };
        CompletableFuture<IOException> end = new CompletableFuture<>();
        DiskReplicationServer server = closing(DiskReplicationServer.listen(loopback(), sink, end::complete));
        assertThatThrownBy(() -> DiskReplicationClient.connect(server.localAddress(), BYTES * 2, TIMEOUT))
                .isInstanceOf(IOException.class).hasMessageContaining(String.valueOf(BYTES));
        assertThat(end.get(10, TimeUnit.SECONDS)).hasMessageContaining("disk of " + (BYTES * 2));
    }

    @Test
    void aWriteTheSecondaryCannotApplyEndsReplicationAndThePrimaryIsToldWhy() throws Exception {
        Path[] files = images();
        SecondaryDisk secondary = closing(SecondaryDisk.open(DiskImage.openOrCreate(files[1], BYTES), dir.resolve("buffers")));
        CompletableFuture<IOException> end = new CompletableFuture<>();
        DiskReplicationServer server = closing(DiskReplicationServer.listen(loopback(), secondary, end::complete));
        DiskReplicationClient client = closing(DiskReplicationClient.connect(server.localAddress(), BYTES, TIMEOUT));
        client.write(BYTES, ByteBuffer.allocate(SECTOR)); // past the disk's end
        assertThatThrownBy(client::barrier).isInstanceOf(IOException.class).hasMessageContaining("cannot be applied");
        assertThat(end.get(10, TimeUnit.SECONDS)).hasMessageContaining("cannot be applied");
        assertThatThrownBy(() -> client.write(0, ByteBuffer.allocate(SECTOR))).as("the link has ended for good")
                .isInstanceOf(IOException.class);
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}

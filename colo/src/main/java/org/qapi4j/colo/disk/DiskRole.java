package org.qapi4j.colo.disk;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.qapi4j.colo.ColoDisk;
import org.qapi4j.vmm.machine.device.BlockBackend;

/**
 * The disk as COLO finds it: the machine's disk goes through this backend from start-up, plain
 * until a COLO session gives it a role. On a primary it forwards every write to the secondary
 * ({@link PrimaryDisk}); on a secondary it keeps the guest's own writes and the primary's
 * overwritten sectors in buffer files ({@link SecondaryDisk}). After a failover it is plain again
 * and can take a role in the next session: a survivor that was a secondary can be a primary.
 */
public final class DiskRole implements BlockBackend {
    private static final int COPY_CHUNK = 1 << 20;

    private final BlockBackend image;
    private volatile BlockBackend current;

    public DiskRole(BlockBackend image) {
        this.image = Objects.requireNonNull(image, "image");
        this.current = image;
    }

    /**
     * The secondary's side at COLO's entry: buffers in a fresh temporary folder, and a
     * replication server on {@code listenOn} (port 0: any) for the primary's writes.
     *
     * @return the role, whose {@link Secondary#address()} the primary must be told
     */
    public Secondary secondary(SocketAddress listenOn, PrintStream stderr, String program) throws IOException {
        Path buffers = Files.createTempDirectory("qapi4j-colo-disk-");
        buffers.toFile().deleteOnExit();
        SecondaryDisk disk = SecondaryDisk.open(image, buffers);
        DiskReplicationServer server = DiskReplicationServer.listen(listenOn, disk,
                e -> stderr.println(program + ": COLO disk replication ended: " + e.getMessage()));
        current = disk;
        return new Secondary(disk, server);
    }

    /**
     * The primary's side at COLO's entry, with its guest stopped: connects to the secondary's
     * replication server, copies the whole disk over (the secondary's image may be older than
     * ours: our guest wrote while the first migration ran, QEMU syncs it with drive-mirror), and
     * forwards every write from then on.
     */
    public ColoDisk primary(SocketAddress secondary, PrintStream stderr, String program) throws IOException {
        DiskReplicationClient client = DiskReplicationClient.connect(secondary, image.dataBytes(),
                DiskReplicationClient.DEFAULT_TIMEOUT);
        PrimaryDisk disk = new PrimaryDisk(image, client,
                e -> stderr.println(program + ": COLO disk replication lost: " + e.getMessage()));
        ByteBuffer chunk = ByteBuffer.allocate(COPY_CHUNK);
        for (long offset = 0; offset < image.dataBytes(); offset += COPY_CHUNK) {
            chunk.clear().limit((int) Math.min(COPY_CHUNK, image.dataBytes() - offset));
            image.read(offset, chunk);
            chunk.flip();
            client.write(offset, chunk);
        }
        client.barrier();
        current = disk;
        return new ColoDisk() {
            @Override
            public void checkpoint() throws IOException {
                disk.barrier();
            }

            @Override
            public void failover() {
                disk.stopReplicating();
                current = image;
            }
        };
    }

    /** The secondary's role: its buffers and the server the primary writes through. */
    public final class Secondary implements ColoDisk {
        private final SecondaryDisk disk;
        private final DiskReplicationServer server;

        private Secondary(SecondaryDisk disk, DiskReplicationServer server) {
            this.disk = disk;
            this.server = server;
        }

        /** Where the primary connects. */
        public SocketAddress address() {
            return server.localAddress();
        }

        @Override
        public void checkpoint() throws IOException {
            disk.checkpoint();
        }

        /**
         * The secondary's own view becomes the disk; replication ends. The emptied buffer files
         * stay in their folder (closing the secondary disk would close the image under it).
         */
        @Override
        public void failover() throws IOException {
            server.close();
            disk.failover();
            current = image;
        }
    }

    /** The address a secondary listens on for the disk, beside the migration's connection. */
    public static SocketAddress listenBeside(SocketAddress migrationLocal) {
        if (migrationLocal instanceof InetSocketAddress inet) {
            return new InetSocketAddress(inet.getAddress(), 0);
        }
        Path path = Path.of(((UnixDomainSocketAddress) migrationLocal).getPath() + ".disk");
        return UnixDomainSocketAddress.of(path);
    }

    @Override
    public long dataBytes() {
        return image.dataBytes();
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        current.read(offset, dst);
    }

    @Override
    public void write(long offset, ByteBuffer src) throws IOException {
        current.write(offset, src);
    }

    @Override
    public void flush() throws IOException {
        current.flush();
    }

    @Override
    public Path path() {
        return image.path();
    }

    @Override
    public void close() {
        BlockBackend now = current;
        if (now != image) {
            now.close();
        }
    }
}

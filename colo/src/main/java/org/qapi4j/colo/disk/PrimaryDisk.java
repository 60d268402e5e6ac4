package org.qapi4j.colo.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;
import org.qapi4j.vmm.machine.device.BlockBackend;

/**
 * The primary's disk: every write goes to the local image and is then forwarded, in the guest's
 * order, to the secondary over a {@link DiskReplicationClient}; {@link #barrier()} is COLO's
 * disk checkpoint (it returns once the secondary has applied every write forwarded so far).
 *
 * <p>The primary's guest must never wait forever on the secondary: when forwarding fails
 * (the link died, or the client's timeout closed it), the listener hears of it once, the
 * client is closed, and from then on writes stay local; the primary serves alone (QEMU's
 * primary after a failover). The guest's write itself succeeds, since the local one did.
 */
public final class PrimaryDisk implements BlockBackend {
    private final BlockBackend local;
    private final Consumer<IOException> onReplicationLost;
    private DiskReplicationClient client; // null: replication has ended
    private IOException lost;

    /**
     * @param local the primary's image (closed with this disk)
     * @param client the link to the secondary (closed with this disk, or when replication ends)
     * @param onReplicationLost hears once why forwarding failed; called on the guest's or the
     *     barrier's thread, so it must not block on them
     */
    public PrimaryDisk(BlockBackend local, DiskReplicationClient client, Consumer<IOException> onReplicationLost) {
        this.local = Objects.requireNonNull(local, "local");
        this.client = Objects.requireNonNull(client, "client");
        this.onReplicationLost = Objects.requireNonNull(onReplicationLost, "onReplicationLost");
    }

    @Override
    public long dataBytes() {
        return local.dataBytes();
    }

    @Override
    public Path path() {
        return local.path();
    }

    @Override
    public synchronized void read(long offset, ByteBuffer dst) throws IOException {
        local.read(offset, dst);
    }

    /**
     * Writes locally, then forwards the same bytes to the secondary, unless replication has
     * ended. A forwarding failure ends replication (see the class comment) and is not thrown.
     */
    @Override
    public synchronized void write(long offset, ByteBuffer src) throws IOException {
        ByteBuffer forwarded = src.duplicate();
        local.write(offset, src);
        if (client != null) {
            try {
                client.write(offset, forwarded);
            } catch (IOException e) {
                replicationLost(e);
            }
        }
    }

    /**
     * COLO's disk checkpoint: returns once the secondary has applied every write forwarded so
     * far, so that its base image equals this disk.
     *
     * @throws IOException if replication has ended or ends now (the listener hears of it once):
     *     the checkpoint cannot complete, and COLO fails over to the primary
     */
    public synchronized void barrier() throws IOException {
        if (client == null) {
            throw new IOException("disk replication has ended: " + lost.getMessage(), lost);
        }
        try {
            client.barrier();
        } catch (IOException e) {
            replicationLost(e);
            throw e;
        }
    }

    /** Whether writes are still forwarded. */
    public synchronized boolean replicating() {
        return client != null;
    }

    /**
     * Ends replication on purpose (COLO fails over to the primary): the link closes, writes stay
     * local from now on, and the listener is not called. Idempotent.
     */
    public synchronized void stopReplicating() {
        if (client != null) {
            client.close();
            client = null;
            lost = new IOException("replication was stopped (failover to the primary)");
        }
    }

    private void replicationLost(IOException cause) {
        client.close();
        client = null;
        lost = cause;
        onReplicationLost.accept(cause);
    }

    @Override
    public synchronized void flush() throws IOException {
        local.flush();
    }

    /** Closes the link (the secondary sees it end) and the local image. Idempotent. */
    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
            lost = new IOException("the primary disk is closed");
        }
        local.close();
    }
}

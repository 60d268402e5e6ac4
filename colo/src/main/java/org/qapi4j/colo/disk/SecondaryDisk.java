package org.qapi4j.colo.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Objects;
import org.qapi4j.vmm.machine.device.BlockBackend;

/**
 * The secondary's disk, as QEMU's block replication arranges it: a base image that receives the
 * primary's forwarded writes (and so equals the primary's disk at each checkpoint), a
 * <em>hidden</em> buffer that keeps what those writes overwrote since the last checkpoint, and
 * an <em>active</em> buffer that takes the secondary guest's own writes since the last
 * checkpoint. The secondary guest therefore sees its own disk as of the last checkpoint plus its
 * own writes: a sector comes from active, else hidden, else base.
 *
 * <p>The base image must start as a copy of the primary's (as in QEMU, where both sides start
 * from the same image). At a {@link #checkpoint()} the secondary takes the primary's state, so
 * both buffers are emptied (its own writes are discarded: the primary's are in base). At a
 * {@link #failover()} the secondary's own view is written into base and it is a plain disk from
 * then on. The buffers are {@link SectorBuffer}s in a directory the caller gives.
 *
 * <p>Any byte range may be read or written; a guest write that covers a sector in part first
 * copies the rest of that sector from the current view into active. Calls are serialised: the
 * replication server's thread, the guest's vCPU and the COLO checkpoint may call concurrently.
 */
public final class SecondaryDisk implements BlockBackend, PrimaryWriteSink {
    private static final int SECTOR = SectorBuffer.SECTOR_BYTES;

    private final BlockBackend base;
    private final SectorBuffer hidden;
    private final SectorBuffer active;
    private boolean failedOver;
    private boolean closed;

    private SecondaryDisk(BlockBackend base, SectorBuffer hidden, SectorBuffer active) {
        this.base = base;
        this.hidden = hidden;
        this.active = active;
    }

    /**
     * The secondary's disk over {@code base}, with empty buffers {@code hidden.*} and {@code
     * active.*} in {@code bufferDir} (created if missing; files left there are replaced).
     *
     * @throws IOException if the buffers cannot be created, or base is not whole sectors
     */
    public static SecondaryDisk open(BlockBackend base, Path bufferDir) throws IOException {
        Objects.requireNonNull(base, "base");
        if (base.dataBytes() % SECTOR != 0) {
            throw new IOException("disk " + base.path() + " of " + base.dataBytes() + " bytes is not whole "
                    + SECTOR + "-byte sectors");
        }
        long sectors = base.dataBytes() / SECTOR;
        SectorBuffer hidden = SectorBuffer.create(bufferDir, "hidden", sectors);
        try {
            return new SecondaryDisk(base, hidden, SectorBuffer.create(bufferDir, "active", sectors));
        } catch (IOException | RuntimeException e) {
            hidden.close();
            throw e;
        }
    }

    @Override
    public long dataBytes() {
        return base.dataBytes();
    }

    @Override
    public Path path() {
        return base.path();
    }

    /** Whether {@link #failover()} ran: the disk is then a plain disk over base. */
    public synchronized boolean failedOver() {
        return failedOver;
    }

    /** Sectors in the hidden buffer (old contents the primary's writes replaced since the checkpoint). */
    public synchronized long hiddenSectors() {
        return hidden.count();
    }

    /** Sectors in the active buffer (the secondary guest's writes since the checkpoint). */
    public synchronized long activeSectors() {
        return active.count();
    }

    /** The secondary guest's read: active, else hidden, else base, sector by sector. */
    @Override
    public synchronized void read(long offset, ByteBuffer dst) throws IOException {
        checkOpen();
        checkRange(offset, dst.remaining());
        if (failedOver) {
            base.read(offset, dst);
            return;
        }
        if (!dst.hasRemaining()) {
            return;
        }
        if (offset % SECTOR == 0 && dst.remaining() % SECTOR == 0) {
            readView(offset / SECTOR, dst);
            return;
        }
        long first = offset / SECTOR;
        ByteBuffer span = ByteBuffer.allocate(spanBytes(offset, dst.remaining()));
        readView(first, span);
        int skip = (int) (offset - first * SECTOR);
        dst.put(span.array(), skip, dst.remaining());
    }

    /** The secondary guest's write: into active (base is the primary's), plain after a failover. */
    @Override
    public synchronized void write(long offset, ByteBuffer src) throws IOException {
        checkOpen();
        checkRange(offset, src.remaining());
        if (failedOver) {
            base.write(offset, src);
            return;
        }
        if (!src.hasRemaining()) {
            return;
        }
        if (offset % SECTOR == 0 && src.remaining() % SECTOR == 0) {
            active.write(offset / SECTOR, src);
            return;
        }
        long first = offset / SECTOR;
        int length = src.remaining();
        ByteBuffer span = ByteBuffer.allocate(spanBytes(offset, length));
        // Only the first and last sectors are covered in part; the rest is overwritten below.
        readView(first, span.slice(0, SECTOR));
        readView(first + span.capacity() / SECTOR - 1, span.slice(span.capacity() - SECTOR, SECTOR));
        span.position((int) (offset - first * SECTOR));
        span.put(src);
        span.clear();
        active.write(first, span);
    }

    /**
     * Applies one of the primary's writes to base, first keeping in hidden what it overwrites
     * there (unless hidden already holds that sector's content as of the checkpoint).
     *
     * @throws IllegalStateException after a failover: the primary is gone
     */
    @Override
    public synchronized void applyPrimaryWrite(long offset, ByteBuffer data) throws IOException {
        checkOpen();
        if (failedOver) {
            throw new IllegalStateException("the secondary disk " + base.path() + " has failed over; it takes no more"
                    + " of the primary's writes");
        }
        checkRange(offset, data.remaining());
        if (data.remaining() == 0) {
            return;
        }
        long first = offset / SECTOR;
        long end = (offset + data.remaining() + SECTOR - 1) / SECTOR;
        long s = first;
        while (s < end) {
            if (hidden.contains(s)) {
                s++;
                continue;
            }
            long runEnd = s + 1;
            while (runEnd < end && !hidden.contains(runEnd) && runEnd - s < 512) {
                runEnd++;
            }
            ByteBuffer old = ByteBuffer.allocate((int) (runEnd - s) * SECTOR);
            base.read(s * SECTOR, old);
            old.flip();
            hidden.write(s, old);
            s = runEnd;
        }
        base.write(offset, data);
    }

    /**
     * The checkpoint: the secondary has taken the primary's state, and base holds the primary's
     * disk (every forwarded write is applied), so both buffers are emptied. No-op after a failover.
     */
    public synchronized void checkpoint() throws IOException {
        checkOpen();
        if (failedOver) {
            return;
        }
        active.clear();
        hidden.clear();
    }

    /**
     * The failover: the secondary guest's own view is committed into base (hidden's sectors,
     * then active's over them), both buffers are emptied and flushed, and the disk is plain from
     * then on. Idempotent.
     */
    public synchronized void failover() throws IOException {
        checkOpen();
        if (failedOver) {
            return;
        }
        commit(hidden);
        commit(active);
        base.flush();
        hidden.clear();
        active.clear();
        failedOver = true;
    }

    private void commit(SectorBuffer buffer) throws IOException {
        buffer.forEachRun((firstSector, count) -> {
            for (long s = firstSector; s < firstSector + count; s += 512) {
                int n = (int) Math.min(512, firstSector + count - s);
                ByteBuffer bytes = ByteBuffer.allocate(n * SECTOR);
                buffer.read(s, bytes);
                bytes.flip();
                base.write(s * SECTOR, bytes);
            }
        });
    }

    @Override
    public synchronized void flush() throws IOException {
        checkOpen();
        base.flush(); // the buffers are discarded on a crash: there is nothing in them to keep
    }

    /** Reads whole sectors from {@code firstSector} as the secondary guest sees them. */
    private void readView(long firstSector, ByteBuffer dst) throws IOException {
        int sectors = dst.remaining() / SECTOR;
        int at = dst.position();
        int i = 0;
        while (i < sectors) {
            int source = source(firstSector + i);
            int j = i + 1;
            while (j < sectors && source(firstSector + j) == source) {
                j++;
            }
            ByteBuffer part = dst.slice(at + i * SECTOR, (j - i) * SECTOR);
            if (source == 0) {
                active.read(firstSector + i, part);
            } else if (source == 1) {
                hidden.read(firstSector + i, part);
            } else {
                base.read((firstSector + i) * SECTOR, part);
            }
            i = j;
        }
        dst.position(at + sectors * SECTOR);
    }

    /** 0 active, 1 hidden, 2 base. */
    private int source(long sector) {
        return active.contains(sector) ? 0 : hidden.contains(sector) ? 1 : 2;
    }

    private static int spanBytes(long offset, int length) {
        long first = offset / SECTOR;
        long end = (offset + length + SECTOR - 1) / SECTOR;
        return (int) ((end - first) * SECTOR);
    }

    private void checkRange(long offset, int length) {
        if (offset < 0 || offset > dataBytes() - length) {
            throw new IndexOutOfBoundsException("disk range [" + offset + ", " + (offset + length)
                    + ") is outside the disk's " + dataBytes() + " bytes");
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the secondary disk " + base.path() + " is closed");
        }
    }

    /** Closes and removes the buffers (their contents are meaningless without the run), then base. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        hidden.close();
        active.close();
        base.close();
    }
}

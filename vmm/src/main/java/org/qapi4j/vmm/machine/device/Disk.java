package org.qapi4j.vmm.machine.device;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.qapi4j.vmm.machine.memory.GuestRam;

/**
 * A block device with DMA: the guest asks it to copy sectors between the disk image and guest
 * RAM. Reads land in RAM through {@link GuestRam}, so they are in the dirty log like any other
 * write. Transfers are synchronous: one completes within the guest step that asked for it, so
 * no request is ever in flight when the vCPU is paused and nothing of it needs saving.
 *
 * <p>The device drives a {@link BlockBackend}: a {@link DiskImage}, or a wrapper around one (as
 * COLO's replicated disks), without knowing which.
 *
 * <p>The image itself is storage, not device state: migration expects both machines to reach
 * the same image (shared storage, as QEMU without block migration).
 */
public final class Disk implements Device {
    /** The unit of transfers: offsets and lengths are multiples of it. */
    public static final int SECTOR_BYTES = DiskImage.SECTOR_BYTES;
    /** The largest transfer, which bounds both a step's time and the buffer it needs. */
    public static final int MAX_TRANSFER = 256 * 1024;

    private final BlockBackend image;
    private final GuestRam ram;

    /** A disk over {@code image}: a plain {@link DiskImage} or a backend that wraps one. */
    public Disk(BlockBackend image, GuestRam ram) {
        this.image = image;
        this.ram = ram;
    }

    /** The disk's size in bytes. */
    public long size() {
        return image.dataBytes();
    }

    /** Copies {@code length} bytes from the disk at {@code diskOffset} into RAM at {@code ramAddress}. */
    public void read(long diskOffset, long ramAddress, int length) throws IOException {
        checkTransfer(diskOffset, length);
        ByteBuffer buffer = ByteBuffer.allocate(length);
        image.read(diskOffset, buffer);
        ram.write(ramAddress, buffer.array(), 0, length);
    }

    /** Copies {@code length} bytes from RAM at {@code ramAddress} to the disk at {@code diskOffset}. */
    public void write(long diskOffset, long ramAddress, int length) throws IOException {
        checkTransfer(diskOffset, length);
        byte[] bytes = new byte[length];
        ram.read(ramAddress, bytes, 0, length);
        image.write(diskOffset, ByteBuffer.wrap(bytes));
    }

    /** Forces written sectors to stable storage. */
    public void flush() throws IOException {
        image.flush();
    }

    private void checkTransfer(long diskOffset, int length) {
        if (diskOffset % SECTOR_BYTES != 0 || length % SECTOR_BYTES != 0 || length <= 0 || length > MAX_TRANSFER) {
            throw new IllegalArgumentException("disk transfer of " + length + " bytes at " + diskOffset
                    + ": offsets and lengths are multiples of " + SECTOR_BYTES + ", lengths at most " + MAX_TRANSFER);
        }
    }

    @Override
    public String name() {
        return "disk";
    }

    @Override
    public int stateVersion() {
        return 1;
    }

    /** The disk's size only, so that a load onto a machine with another disk is refused. */
    @Override
    public void save(DataOutput out) throws IOException {
        out.writeLong(size());
    }

    @Override
    public void load(DataInput in) throws IOException {
        long saved = in.readLong();
        if (saved != size()) {
            throw new IOException("the saved state is of a disk of " + saved + " bytes, this machine's disk "
                    + image.path() + " holds " + size());
        }
    }

    @Override
    public void reset() {
        // Nothing is in flight between steps; see the class comment.
    }
}

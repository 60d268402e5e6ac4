package org.qapi4j.vmm.machine.program.kvstore;

import static org.qapi4j.vmm.machine.program.kvstore.KvstoreLayout.*;

import java.io.IOException;
import org.qapi4j.vmm.machine.device.Disk;
import org.qapi4j.vmm.machine.memory.GuestRam;
import org.qapi4j.vmm.machine.program.Board;
import org.qapi4j.vmm.machine.program.StepResult;

/**
 * The kvstore's boot, a step at a time: at power-on, read (or, on a blank disk, write) the
 * superblock; then copy the disk's request-id log and key table into RAM,
 * {@value Disk#MAX_TRANSFER} bytes a step, counting the keys and finding the next sequence
 * number as they arrive. The cursor lives in the RAM header, so a boot paused or migrated
 * half-way goes on where it was.
 */
final class KvstoreBoot {
    private KvstoreBoot() {}

    static StepResult powerOn(Board board, int capacityForBlankDisk) {
        GuestRam ram = board.ram();
        Disk disk = board.disk();
        if (disk == null) {
            initHeader(ram, capacityForBlankDisk, SERVING);
            board.serial().writeLine("kvstore: no disk: data lives in RAM only, " + capacityForBlankDisk + " keys at most");
            return StepResult.CONTINUE;
        }
        try {
            disk.read(0, SCRATCH, SECTOR);
            int capacity;
            if (ram.readLong(SCRATCH + SB_MAGIC) == DISK_MAGIC) {
                capacity = ram.readInt(SCRATCH + SB_CAPACITY);
                if (ram.readInt(SCRATCH + SB_VERSION) != DISK_VERSION || ram.readInt(SCRATCH + SB_REQUEST_IDS) != REQUEST_ID_ENTRIES
                        || ram.readInt(SCRATCH + SB_SLOT_BYTES) != SLOT || capacity < MIN_CAPACITY || capacity > MAX_CAPACITY) {
                    return fail(board, "the disk holds a kvstore of another format");
                }
            } else if (isZeroSector(ram, SCRATCH)) {
                capacity = capacityForBlankDisk;
                if (bytesFor(capacity) > disk.size()) {
                    return fail(board, "the disk is too small for " + capacity + " keys");
                }
                ram.writeLong(SCRATCH + SB_MAGIC, DISK_MAGIC);
                ram.writeInt(SCRATCH + SB_VERSION, DISK_VERSION);
                ram.writeInt(SCRATCH + SB_CAPACITY, capacity);
                ram.writeInt(SCRATCH + SB_REQUEST_IDS, REQUEST_ID_ENTRIES);
                ram.writeInt(SCRATCH + SB_SLOT_BYTES, SLOT);
                disk.write(0, SCRATCH, SECTOR);
                board.serial().writeLine("kvstore: formatted a blank disk for " + capacity + " keys");
            } else {
                return fail(board, "the disk holds something that is not a kvstore; leaving it untouched");
            }
            if (bytesFor(capacity) > ram.size() || bytesFor(capacity) > disk.size()) {
                return fail(board, "a store of " + capacity + " keys needs " + bytesFor(capacity) + " bytes of RAM and of disk");
            }
            initHeader(ram, capacity, BOOTING);
            return StepResult.CONTINUE;
        } catch (IOException e) {
            return fail(board, "disk error while booting: " + e.getMessage());
        }
    }

    static StepResult continueBoot(Board board) {
        GuestRam ram = board.ram();
        long cursor = ram.readLong(H_BOOT_CURSOR);
        long total = bytesFor(ram.readInt(H_CAPACITY)) - REQUEST_IDS;
        int length = (int) Math.min(Disk.MAX_TRANSFER, total - cursor);
        long from = REQUEST_IDS + cursor;
        try {
            board.disk().read(from, from, length); // same offsets on disk and in RAM
        } catch (IOException e) {
            return fail(board, "disk error while booting: " + e.getMessage());
        }
        countSlots(ram, Math.max(from, TABLE), from + length);
        ram.writeLong(H_BOOT_CURSOR, cursor + length);
        if (cursor + length == total) {
            ram.writeInt(H_STATE, SERVING);
            board.serial().writeLine("kvstore: booted: " + ram.readLong(H_KEYS) + " keys, next sequence number "
                    + ram.readLong(H_NEXT_SEQ));
        }
        return StepResult.CONTINUE;
    }

    /** Counts the used slots in {@code [from, to)} of the table and raises the next sequence number past them. */
    private static void countSlots(GuestRam ram, long from, long to) {
        long keys = ram.readLong(H_KEYS);
        long nextSeq = ram.readLong(H_NEXT_SEQ);
        for (long slot = from; slot < to; slot += SLOT) {
            long seq = ram.readLong(slot);
            if (seq != 0) {
                keys++;
                nextSeq = Math.max(nextSeq, seq + 1);
            }
        }
        ram.writeLong(H_KEYS, keys);
        ram.writeLong(H_NEXT_SEQ, nextSeq);
    }

    private static void initHeader(GuestRam ram, int capacity, int state) {
        ram.writeInt(H_STATE, state);
        ram.writeInt(H_CAPACITY, capacity);
        ram.writeLong(H_NEXT_SEQ, 1);
        ram.writeLong(H_KEYS, 0);
        ram.writeLong(H_BOOT_CURSOR, 0);
        ram.writeLong(H_CONNECTIONS, 0);
        ram.writeLong(H_MAGIC, MAGIC);
    }

    /** Booted, but without a usable store: it answers every request with an error. */
    static StepResult fail(Board board, String why) {
        GuestRam ram = board.ram();
        if (ram.readLong(H_MAGIC) != MAGIC) {
            initHeader(ram, 0, FAILED);
        }
        ram.writeInt(H_STATE, FAILED);
        board.serial().writeLine("kvstore: " + why + "; answering every request with ERR store unavailable");
        return StepResult.CONTINUE;
    }

    private static boolean isZeroSector(GuestRam ram, long address) {
        for (long at = address; at < address + SECTOR; at += Long.BYTES) {
            if (ram.readLong(at) != 0) {
                return false;
            }
        }
        return true;
    }
}

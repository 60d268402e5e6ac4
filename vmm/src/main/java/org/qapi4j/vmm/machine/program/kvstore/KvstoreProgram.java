package org.qapi4j.vmm.machine.program.kvstore;

import static org.qapi4j.vmm.machine.program.kvstore.KvstoreLayout.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.qapi4j.vmm.machine.MachineConfigException;
import org.qapi4j.vmm.machine.device.DiskImage;
import org.qapi4j.vmm.machine.device.Nic;
import org.qapi4j.vmm.machine.device.NicFrame;
import org.qapi4j.vmm.machine.memory.GuestRam;
import org.qapi4j.vmm.machine.program.Board;
import org.qapi4j.vmm.machine.program.GuestProgram;
import org.qapi4j.vmm.machine.program.ProgramOptions;
import org.qapi4j.vmm.machine.program.StepResult;

/**
 * {@code kvstore}: a key-value service that clients reach over the NIC, with its data in guest
 * RAM and on the disk. (The same protocol is described for users in {@code vmm/KVSTORE.md}.)
 *
 * <h2>Protocol</h2>
 *
 * Clients connect to the NIC's TCP address and send lines ending in {@code \n} (a {@code \r}
 * before it is dropped). Every line gets exactly one answer line, in order, so a client may
 * pipeline. Fields are separated by single spaces; command words are upper case.
 *
 * <pre>
 * PUT &lt;request-id&gt; &lt;key&gt; &lt;value&gt;   OK &lt;seq&gt;
 * GET &lt;key&gt;                        VALUE &lt;seq&gt; &lt;value&gt;   or   NONE
 * TIME                             TIME &lt;guest clock, nanoseconds since power-on&gt;
 * RAND                             RAND &lt;16 hex digits from the machine's entropy device&gt;
 * STATS                            STATS keys=&lt;n&gt; capacity=&lt;n&gt; seq=&lt;last seq&gt; connections=&lt;n&gt;
 * PING                             PONG
 * anything else                    ERR &lt;reason&gt;
 * </pre>
 *
 * <ul>
 *   <li>A <b>request id</b> is 1..32 bytes and a <b>key</b> 1..64 bytes, neither holding a
 *       space or a control byte (≤ 0x20, 0x7F); the <b>value</b> is the rest of the line, 0..256
 *       bytes, spaces allowed. A line holds at most {@value Nic#MAX_LINE} bytes.
 *   <li>Each acknowledged write gets the next <b>sequence number</b>, from 1; {@code GET}
 *       answers the sequence number of the write that stored the value.
 *   <li><b>Retries are idempotent.</b> The request ids of the last
 *       {@value KvstoreLayout#REQUEST_ID_ENTRIES} acknowledged writes are kept, in RAM and on
 *       disk. A {@code PUT} whose request id is among them, with the same key and value, writes
 *       nothing and answers {@code OK} with the original sequence number (even if the key was
 *       written again since); with another key or value it answers {@code ERR request id already
 *       used for a different write}. So a client that lost its connection may resend its last
 *       writes, to this machine or to whichever took over the guest, as long as fewer than 1024
 *       other writes were acknowledged meanwhile. Request ids must be unique per write: e.g.
 *       a client id and a counter.
 *   <li>{@code TIME} and {@code RAND} depend on the guest's clock and on host entropy: two
 *       replicas of one guest answer them differently.
 *   <li>Errors: {@code empty line}, {@code unknown command}, {@code usage: ...}, {@code empty
 *       key}, {@code key longer than 64 bytes}, {@code control character in key} (and the same
 *       for the request id), {@code value longer than 256 bytes}, {@code line too long}, {@code
 *       store full}, {@code request id already used for a different write}, {@code store
 *       unavailable} (the disk is unusable; see the serial log). After an error the connection
 *       goes on serving; garbage cannot stop the guest.
 * </ul>
 *
 * <h2>Storage</h2>
 *
 * The store holds {@code capacity} keys (option {@code capacity}, default 4096, used when
 * formatting a blank disk; a formatted disk keeps its own). A write goes to RAM, then its key
 * slot and request-id entry are written to the disk before the answer; the disk is flushed to
 * stable storage at power-off. At boot (power-on or reset) the store is read back from the disk.
 * Without a disk the store lives in RAM only. Layout: {@link KvstoreLayout}.
 *
 * <p>The power button makes it flush the disk and power off. It logs its boot, errors and
 * power-off to the serial log.
 */
public final class KvstoreProgram implements GuestProgram {
    public static final String NAME = "kvstore";
    /** Frames handled per step: bounds how long a pause waits. */
    private static final int FRAMES_PER_STEP = 32;

    /** Configuration, read only when booting on a blank disk (see {@link GuestProgram}). */
    private final int capacityForBlankDisk;

    private KvstoreProgram(int capacityForBlankDisk) {
        this.capacityForBlankDisk = capacityForBlankDisk;
    }

    /**
     * A kvstore for a machine with {@code ramBytes} of RAM and {@code disk} (null: none).
     *
     * @throws MachineConfigException if an option is invalid, the disk holds something else than
     *     a kvstore, or the store does not fit in RAM or on the disk
     */
    public static KvstoreProgram create(ProgramOptions options, long ramBytes, DiskImage disk) throws MachineConfigException {
        long asked = options.number("capacity", -1, MIN_CAPACITY, MAX_CAPACITY);
        options.checkAllUsed();
        int capacity = asked < 0 ? DEFAULT_CAPACITY : (int) asked;
        if (disk != null) {
            Integer formatted = formattedCapacity(disk);
            if (formatted != null) {
                if (asked >= 0 && asked != formatted) {
                    throw new MachineConfigException("disk image " + disk.path() + " holds a kvstore of capacity " + formatted
                            + ", not " + asked + " (leave the capacity option out to use the disk's)");
                }
                capacity = formatted;
            }
            if (bytesFor(capacity) > disk.dataBytes()) {
                throw new MachineConfigException("disk image " + disk.path() + " holds " + disk.dataBytes()
                        + " bytes; a kvstore of " + capacity + " keys needs " + bytesFor(capacity));
            }
        }
        if (bytesFor(capacity) > ramBytes) {
            throw new MachineConfigException("a kvstore of " + capacity + " keys needs at least " + bytesFor(capacity)
                    + " bytes of RAM, the machine has " + ramBytes);
        }
        return new KvstoreProgram(capacity);
    }

    /** The capacity of a kvstore on {@code disk}, null on a blank disk; refuses any other content. */
    private static Integer formattedCapacity(DiskImage disk) throws MachineConfigException {
        ByteBuffer superblock = ByteBuffer.allocate(SECTOR).order(ByteOrder.LITTLE_ENDIAN);
        try {
            disk.read(0, superblock);
        } catch (IOException | IndexOutOfBoundsException e) {
            throw new MachineConfigException("disk image " + disk.path() + " cannot be read: " + e.getMessage());
        }
        if (superblock.getLong((int) SB_MAGIC) == DISK_MAGIC) {
            int capacity = superblock.getInt((int) SB_CAPACITY);
            if (superblock.getInt((int) SB_VERSION) != DISK_VERSION || capacity < MIN_CAPACITY || capacity > MAX_CAPACITY) {
                throw new MachineConfigException("disk image " + disk.path() + " holds a kvstore of another format");
            }
            return capacity;
        }
        for (int i = 0; i < SECTOR; i++) {
            if (superblock.get(i) != 0) {
                throw new MachineConfigException("disk image " + disk.path()
                        + " holds data that is not a kvstore's; kvstore formats blank disks only");
            }
        }
        return null;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public StepResult step(Board board) {
        GuestRam ram = board.ram();
        int state = ram.readLong(H_MAGIC) == MAGIC ? ram.readInt(H_STATE) : POWER_ON;
        if (state == OFF) {
            return StepResult.WAIT_FOR_EVENT;
        }
        if (board.powerButton().takePress()) {
            return powerOff(board);
        }
        switch (state) {
            case POWER_ON:
                return KvstoreBoot.powerOn(board, capacityForBlankDisk);
            case BOOTING:
                return KvstoreBoot.continueBoot(board);
            default:
                for (int i = 0; i < FRAMES_PER_STEP; i++) {
                    NicFrame frame = board.nic().receive();
                    if (frame == null) {
                        return StepResult.WAIT_FOR_EVENT;
                    }
                    KvstoreService.handle(board, frame);
                }
                return StepResult.CONTINUE;
        }
    }

    private static StepResult powerOff(Board board) {
        if (board.disk() != null) {
            try {
                board.disk().flush();
            } catch (IOException e) {
                board.serial().writeLine("kvstore: flushing the disk failed: " + e.getMessage());
            }
        }
        GuestRam ram = board.ram();
        if (ram.readLong(H_MAGIC) != MAGIC) {
            ram.writeLong(H_MAGIC, MAGIC);
        }
        ram.writeInt(H_STATE, OFF);
        board.serial().writeLine("kvstore: power button pressed: disk flushed, powering off");
        return StepResult.SHUTDOWN;
    }
}

package org.qapi4j.vmm.machine.program.kvstore;

import static org.qapi4j.vmm.machine.program.kvstore.KvstoreLayout.*;

import java.util.Arrays;
import org.qapi4j.vmm.machine.memory.GuestRam;

/**
 * The key table in guest RAM: open addressing with linear probing, never deleting, so a probe
 * ends at the key or at the first empty slot.
 */
final class KeyTable {
    private final GuestRam ram;
    private final int capacity;

    KeyTable(GuestRam ram) {
        this.ram = ram;
        this.capacity = ram.readInt(H_CAPACITY);
    }

    /**
     * The slot holding {@code key} (≥ 0), or {@code -(slot + 1)} for the empty slot where it
     * would go, or {@link Integer#MIN_VALUE} when the table is full and has no such key.
     */
    int find(byte[] key) {
        int slot = (int) Long.remainderUnsigned(fnv1a(FNV_OFFSET, key), capacity);
        for (int probes = 0; probes < capacity; probes++) {
            if (seq(slot) == 0) {
                return -(slot + 1);
            }
            if (keyEquals(slot, key)) {
                return slot;
            }
            slot = slot + 1 == capacity ? 0 : slot + 1;
        }
        return Integer.MIN_VALUE;
    }

    static long address(int slot) {
        return TABLE + (long) slot * SLOT;
    }

    long seq(int slot) {
        return ram.readLong(address(slot));
    }

    byte[] value(int slot) {
        long at = address(slot);
        byte[] value = new byte[Math.min(Math.max(ram.readInt(at + 12), 0), MAX_VALUE)];
        ram.read(at + 80, value, 0, value.length);
        return value;
    }

    void store(int slot, byte[] key, byte[] value, long seq) {
        long at = address(slot);
        ram.writeInt(at + 8, key.length);
        ram.writeInt(at + 12, value.length);
        ram.write(at + 16, key, 0, key.length);
        ram.write(at + 80, value, 0, value.length);
        ram.writeLong(at, seq);
    }

    private boolean keyEquals(int slot, byte[] key) {
        long at = address(slot);
        if (ram.readInt(at + 8) != key.length) {
            return false;
        }
        byte[] stored = new byte[key.length];
        ram.read(at + 16, stored, 0, key.length);
        return Arrays.equals(stored, key);
    }
}

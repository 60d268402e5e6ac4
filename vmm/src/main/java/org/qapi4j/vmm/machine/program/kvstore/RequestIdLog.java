package org.qapi4j.vmm.machine.program.kvstore;

import static org.qapi4j.vmm.machine.program.kvstore.KvstoreLayout.*;

import java.util.Arrays;
import org.qapi4j.vmm.machine.memory.GuestRam;

/**
 * The request ids of the last {@value KvstoreLayout#REQUEST_ID_ENTRIES} acknowledged writes, in
 * guest RAM (and on disk): what makes a retried {@code PUT} answer its first answer instead of
 * writing again. Write {@code seq} lives in entry {@code seq % 1024}, so the log needs no head
 * pointer and the oldest entry is the one overwritten.
 */
final class RequestIdLog {
    private final GuestRam ram;

    RequestIdLog(GuestRam ram) {
        this.ram = ram;
    }

    /** The address of the entry for {@code requestId}, or -1 if none of the last writes had it. */
    long find(byte[] requestId) {
        long hash = fnv1a(FNV_OFFSET, requestId);
        for (int i = 0; i < REQUEST_ID_ENTRIES; i++) {
            long at = entry(i);
            // Hash first: one read rules out almost every entry.
            if (ram.readLong(at + 8) == hash && ram.readLong(at) != 0 && idEquals(at, requestId)) {
                return at;
            }
        }
        return -1;
    }

    static long seq(GuestRam ram, long entry) {
        return ram.readLong(entry);
    }

    static long contentHash(GuestRam ram, long entry) {
        return ram.readLong(entry + 16);
    }

    /** Records that write {@code seq} had {@code requestId}; returns the entry's address. */
    long record(long seq, byte[] requestId, long contentHash) {
        long at = entry((int) (seq % REQUEST_ID_ENTRIES));
        ram.writeLong(at + 8, fnv1a(FNV_OFFSET, requestId));
        ram.writeLong(at + 16, contentHash);
        ram.writeInt(at + 24, requestId.length);
        byte[] padded = Arrays.copyOf(requestId, MAX_REQUEST_ID);
        ram.write(at + 28, padded, 0, padded.length);
        ram.writeLong(at, seq);
        return at;
    }

    /** The hash that tells a retry (same key and value) from a reuse of the id for another write. */
    static long contentHash(byte[] key, byte[] value) {
        long hash = fnv1a(FNV_OFFSET, new byte[] {(byte) key.length});
        return fnv1a(fnv1a(hash, key), value);
    }

    private static long entry(int index) {
        return REQUEST_IDS + (long) index * REQUEST_ID_ENTRY;
    }

    private boolean idEquals(long at, byte[] requestId) {
        if (ram.readInt(at + 24) != requestId.length) {
            return false;
        }
        byte[] stored = new byte[requestId.length];
        ram.read(at + 28, stored, 0, stored.length);
        return Arrays.equals(stored, requestId);
    }
}

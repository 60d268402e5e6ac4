package org.qapi4j.vmm.machine.program.kvstore;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Where the kvstore keeps everything, in guest RAM and on its disk. From byte 4096 on, RAM and
 * disk have the same layout, so booting copies the disk into RAM and a write copies a slot back.
 *
 * <pre>
 * RAM page 0, the header (RAM only), little-endian:
 *      0  8  magic "KVSTORE1" (zero: power-on, not booted)
 *      8  4  state: 0 power-on, 1 booting, 2 serving, 3 off, 4 failed
 *     12  4  capacity, in keys
 *     16  8  next sequence number (the last acknowledged write's + 1)
 *     24  8  keys stored
 *     32  8  boot cursor: bytes copied from the disk so far
 *     40  8  connections open
 *   2048 512 scratch sector (the disk's superblock while booting)
 *
 * Disk sector 0, the superblock (disk only):
 *      0  8  magic "KVSTDISK"
 *      8  4  format version, 1
 *     12  4  capacity, in keys
 *     16  4  request-id entries, 1024
 *     20  4  slot size, 512
 *
 * RAM and disk from 4096:
 *   4096          request-id log: 1024 entries of 64 bytes, entry (seq % 1024)
 *                   0 8 seq (0: empty) | 8 8 request-id hash | 16 8 content hash
 *                  24 4 request-id length | 28 32 request-id bytes
 *   69632         key table: capacity slots of 512 bytes, open addressing, linear probing
 *                   0 8 seq of the write that stored the value (0: empty)
 *                   8 4 key length | 12 4 value length | 16 64 key | 80 256 value
 * </pre>
 */
final class KvstoreLayout {
    private KvstoreLayout() {}

    static final long MAGIC = ascii("KVSTORE1");
    static final long DISK_MAGIC = ascii("KVSTDISK");
    static final int DISK_VERSION = 1;

    static final long H_MAGIC = 0;
    static final long H_STATE = 8;
    static final long H_CAPACITY = 12;
    static final long H_NEXT_SEQ = 16;
    static final long H_KEYS = 24;
    static final long H_BOOT_CURSOR = 32;
    static final long H_CONNECTIONS = 40;
    static final long SCRATCH = 2048;

    static final int POWER_ON = 0;
    static final int BOOTING = 1;
    static final int SERVING = 2;
    static final int OFF = 3;
    static final int FAILED = 4;

    static final long SB_MAGIC = 0;
    static final long SB_VERSION = 8;
    static final long SB_CAPACITY = 12;
    static final long SB_REQUEST_IDS = 16;
    static final long SB_SLOT_BYTES = 20;
    static final int SECTOR = 512;

    static final long REQUEST_IDS = 4096;
    static final int REQUEST_ID_ENTRIES = 1024;
    static final int REQUEST_ID_ENTRY = 64;
    static final long TABLE = REQUEST_IDS + (long) REQUEST_ID_ENTRIES * REQUEST_ID_ENTRY;
    static final int SLOT = 512;

    static final int MAX_REQUEST_ID = 32;
    static final int MAX_KEY = 64;
    static final int MAX_VALUE = 256;

    static final int DEFAULT_CAPACITY = 4096;
    static final int MIN_CAPACITY = 16;
    static final int MAX_CAPACITY = 1 << 20;

    /** Bytes of RAM, and of disk, a store of {@code capacity} keys needs. */
    static long bytesFor(long capacity) {
        return TABLE + capacity * SLOT;
    }

    /** The 8 ASCII characters as a little-endian long, as they lie in memory. */
    static long ascii(String eight) {
        return ByteBuffer.wrap(eight.getBytes(StandardCharsets.US_ASCII)).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /** FNV-1a, 64 bits: a hash that is the same on every JVM, as replicas need. */
    static long fnv1a(long hash, byte[] bytes) {
        for (byte b : bytes) {
            hash = (hash ^ (b & 0xFF)) * 0x100000001B3L;
        }
        return hash;
    }

    static final long FNV_OFFSET = 0xCBF29CE484222325L;
}

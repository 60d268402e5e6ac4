package org.qapi4j.vmm.machine.memory;

/**
 * Little-endian numbers in byte arrays: how {@link GuestRam} reads and writes a number that
 * straddles two pages (two chunks of its mapping), byte by byte.
 */
final class LittleEndian {
    private LittleEndian() {}

    static long decode(byte[] bytes) {
        long value = 0;
        for (int i = bytes.length - 1; i >= 0; i--) {
            value = (value << 8) | (bytes[i] & 0xFF);
        }
        return value;
    }

    static byte[] encode(long value, int len) {
        byte[] bytes = new byte[len];
        for (int i = 0; i < len; i++) {
            bytes[i] = (byte) (value >>> (8 * i));
        }
        return bytes;
    }
}

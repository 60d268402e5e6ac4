package org.qapi4j.colo.disk;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.zip.CRC32C;

/**
 * One frame of the disk replication protocol, and its encoding. The protocol is ours (QEMU
 * uses NBD); it is framed so that each frame carries its own checksum: a corrupted frame is
 * detected and ends replication, and is never applied to a disk.
 *
 * <p>A frame, big-endian:
 *
 * <pre>
 * offset  size  field
 *      0     4  magic "QDRF"
 *      4     1  type: 1 HELLO, 2 WRITE, 3 BARRIER, 4 BARRIER_ACK, 5 ERROR
 *      5     3  zero
 *      8     4  payload length in bytes, 0..{@value #MAX_PAYLOAD}
 *     12     8  sequence
 *     20     8  offset
 *     28     4  CRC-32C of bytes 0..27 (so that a corrupted length is never trusted)
 *     32     n  payload
 *   32+n     4  CRC-32C of bytes 0..31+n (the whole frame)
 * </pre>
 *
 * <ul>
 *   <li>HELLO (primary first, then the secondary's answer): sequence = protocol version
 *       {@value #VERSION}, offset = the disk's size in bytes; no payload.
 *   <li>WRITE (primary): sequence = 1, 2, 3... with no gap; the payload is written at offset.
 *   <li>BARRIER (primary): sequence = the last WRITE's sequence (0: none yet).
 *   <li>BARRIER_ACK (secondary): the BARRIER's sequence, once every write up to it is applied.
 *   <li>ERROR (either side, then it closes): the payload is a UTF-8 message.
 * </ul>
 */
record ReplicationFrame(byte type, long sequence, long offset, ByteBuffer payload) {
    static final byte HELLO = 1;
    static final byte WRITE = 2;
    static final byte BARRIER = 3;
    static final byte BARRIER_ACK = 4;
    static final byte ERROR = 5;

    static final int VERSION = 1;
    static final int MAGIC = 0x51445246; // "QDRF"
    static final int HEADER_BYTES = 32;
    static final int CHECKED_HEADER_BYTES = 28;
    static final int TRAILER_BYTES = 4;
    /** The largest payload: a larger write is sent as several frames. */
    static final int MAX_PAYLOAD = 1 << 20;

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    ReplicationFrame {
        if (payload.remaining() > MAX_PAYLOAD) {
            throw new IllegalArgumentException("a frame's payload is at most " + MAX_PAYLOAD + " bytes");
        }
    }

    static ReplicationFrame of(byte type, long sequence, long offset) {
        return new ReplicationFrame(type, sequence, offset, EMPTY);
    }

    static ReplicationFrame error(String message) {
        byte[] bytes = message.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new ReplicationFrame(ERROR, 0, 0, ByteBuffer.wrap(bytes, 0, Math.min(bytes.length, 4096)));
    }

    String errorMessage() {
        return java.nio.charset.StandardCharsets.UTF_8.decode(payload.duplicate()).toString();
    }

    static String typeName(byte type) {
        switch (type) {
            case HELLO: return "HELLO";
            case WRITE: return "WRITE";
            case BARRIER: return "BARRIER";
            case BARRIER_ACK: return "BARRIER_ACK";
            case ERROR: return "ERROR";
            default: return "type " + type;
        }
    }

    /** Writes the whole frame; the payload's position is not moved. */
    void writeTo(WritableByteChannel channel) throws IOException {
        ByteBuffer data = payload.duplicate();
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        header.putInt(MAGIC).put(type).put((byte) 0).putShort((short) 0).putInt(data.remaining()).putLong(sequence)
                .putLong(offset);
        CRC32C crc = new CRC32C();
        crc.update(header.array(), 0, CHECKED_HEADER_BYTES);
        header.putInt((int) crc.getValue());
        header.flip();
        CRC32C frameCrc = new CRC32C();
        frameCrc.update(header.array(), 0, HEADER_BYTES);
        frameCrc.update(data.duplicate());
        ByteBuffer trailer = ByteBuffer.allocate(TRAILER_BYTES).putInt((int) frameCrc.getValue()).flip();
        ByteBuffer[] parts = {header, data, trailer};
        if (channel instanceof java.nio.channels.GatheringByteChannel) {
            java.nio.channels.GatheringByteChannel gathering = (java.nio.channels.GatheringByteChannel) channel;
            while (trailer.hasRemaining()) {
                gathering.write(parts);
            }
        } else {
            for (ByteBuffer part : parts) {
                while (part.hasRemaining()) {
                    channel.write(part);
                }
            }
        }
    }

    /**
     * Reads one frame; null at a clean end of stream (before a frame's first byte).
     *
     * @throws CorruptFrameException if the frame fails its checks: nothing of it may be used
     * @throws EOFException if the stream ends inside a frame
     */
    static ReplicationFrame readFrom(ReadableByteChannel channel) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        if (!readFully(channel, header, true)) {
            return null;
        }
        header.flip();
        if (header.getInt(0) != MAGIC) {
            throw new CorruptFrameException("a frame does not start with the protocol's magic");
        }
        CRC32C crc = new CRC32C();
        crc.update(header.array(), 0, CHECKED_HEADER_BYTES);
        if (header.getInt(CHECKED_HEADER_BYTES) != (int) crc.getValue()) {
            throw new CorruptFrameException("a frame's header fails its CRC-32C");
        }
        int length = header.getInt(8);
        if (length < 0 || length > MAX_PAYLOAD) {
            throw new CorruptFrameException("a frame claims a payload of " + length + " bytes, more than "
                    + MAX_PAYLOAD);
        }
        ByteBuffer rest = ByteBuffer.allocate(length + TRAILER_BYTES);
        readFully(channel, rest, false);
        CRC32C frameCrc = new CRC32C();
        frameCrc.update(header.array(), 0, HEADER_BYTES);
        frameCrc.update(rest.array(), 0, length);
        if (rest.getInt(length) != (int) frameCrc.getValue()) {
            throw new CorruptFrameException("a frame fails its CRC-32C");
        }
        byte type = header.get(4);
        if (type < HELLO || type > ERROR || header.get(5) != 0 || header.getShort(6) != 0) {
            throw new CorruptFrameException("a frame has an unknown type " + type + " or non-zero reserved bytes");
        }
        return new ReplicationFrame(type, header.getLong(12), header.getLong(20), ByteBuffer.wrap(rest.array(), 0, length));
    }

    /** False if the stream ended before the first byte and {@code endAllowed}. */
    private static boolean readFully(ReadableByteChannel channel, ByteBuffer buffer, boolean endAllowed)
            throws IOException {
        boolean first = true;
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                if (first && endAllowed) {
                    return false;
                }
                throw new EOFException("the replication link ended inside a frame");
            }
            first = first && buffer.position() == 0;
        }
        return true;
    }

    /** A frame failed its checks: replication cannot go on, since the stream can no longer be trusted. */
    static final class CorruptFrameException extends IOException {
        private static final long serialVersionUID = 1L;

        CorruptFrameException(String message) {
            super("corrupt replication frame: " + message);
        }
    }
}

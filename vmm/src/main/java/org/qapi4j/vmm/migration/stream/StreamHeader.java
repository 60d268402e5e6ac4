package org.qapi4j.vmm.migration.stream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The stream's first section: the format's version and the machine the guest needs. A
 * destination of another page size, RAM size or guest program refuses the stream before it
 * loads a byte.
 *
 * @param version the stream format's version ({@link #VERSION} when written by this code)
 * @param pageSize bytes per page of RAM
 * @param ramBytes bytes of guest RAM
 * @param program the guest program's name
 */
public record StreamHeader(int version, int pageSize, long ramBytes, String program) {
    /** The format this code writes and reads. Bump it on any change of a section's layout. */
    public static final int VERSION = 2; // 2: runs of zero pages

    public StreamHeader {
        Objects.requireNonNull(program, "program");
    }

    /** A header of this code's version. */
    public static StreamHeader of(int pageSize, long ramBytes, String program) {
        return new StreamHeader(VERSION, pageSize, ramBytes, program);
    }

    void encode(ByteBuffer out) {
        out.putInt(version).putInt(pageSize).putLong(ramBytes);
        byte[] name = program.getBytes(StandardCharsets.UTF_8);
        out.putShort((short) name.length).put(name);
    }

    static StreamHeader decode(ByteBuffer in) throws StreamException {
        try {
            int version = in.getInt();
            if (version != VERSION) {
                throw new StreamException("the stream's format is version " + version + ", this VMM reads version " + VERSION);
            }
            int pageSize = in.getInt();
            long ramBytes = in.getLong();
            byte[] name = new byte[Short.toUnsignedInt(in.getShort())];
            in.get(name);
            return new StreamHeader(version, pageSize, ramBytes, new String(name, StandardCharsets.UTF_8));
        } catch (java.nio.BufferUnderflowException e) {
            throw new StreamException("the stream's header section is too short");
        }
    }
}

package org.qapi4j.vmm.machine.device;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * What the guest receives from the NIC: an event on one connection, tagged with the
 * connection's id. A connection's frames arrive in order: {@link Kind#OPENED}, then its lines,
 * then {@link Kind#CLOSED}.
 *
 * @param kind what happened
 * @param connection the connection's id, unique for the machine's lifetime (and beyond a
 *     migration: the numbering moves with the guest)
 * @param line the line's bytes, without its terminator; empty for other kinds
 */
public record NicFrame(Kind kind, int connection, byte[] line) {
    /** What a frame says. */
    public enum Kind {
        /** A client connected. */
        OPENED,
        /** A line from the client. */
        LINE,
        /** The client sent a line longer than {@link Nic#MAX_LINE} bytes; its bytes were dropped. */
        LINE_TOO_LONG,
        /** The client is gone; answers to it are dropped. */
        CLOSED
    }

    private static final byte[] NO_BYTES = new byte[0];

    public NicFrame {
        line = line == null ? NO_BYTES : line;
    }

    static NicFrame of(Kind kind, int connection) {
        return new NicFrame(kind, connection, NO_BYTES);
    }

    void writeTo(DataOutput out) throws IOException {
        out.writeByte(kind.ordinal());
        out.writeInt(connection);
        out.writeInt(line.length);
        out.write(line);
    }

    static NicFrame readFrom(DataInput in) throws IOException {
        int kind = in.readUnsignedByte();
        if (kind >= Kind.values().length) {
            throw new IOException("NIC state holds a frame of unknown kind " + kind);
        }
        int connection = in.readInt();
        int length = in.readInt();
        if (connection < 0 || length < 0 || length > Nic.MAX_LINE || (length > 0 && kind != Kind.LINE.ordinal())) {
            throw new IOException("NIC state holds a malformed frame (connection " + connection + ", " + length + " bytes)");
        }
        byte[] line = new byte[length];
        in.readFully(line);
        return new NicFrame(Kind.values()[kind], connection, line);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NicFrame frame && frame.kind == kind && frame.connection == connection
                && Arrays.equals(frame.line, line);
    }

    @Override
    public int hashCode() {
        return (kind.hashCode() * 31 + connection) * 31 + Arrays.hashCode(line);
    }

    @Override
    public String toString() {
        return kind + "(" + connection + (kind == Kind.LINE ? ", " + line.length + " bytes" : "") + ")";
    }
}

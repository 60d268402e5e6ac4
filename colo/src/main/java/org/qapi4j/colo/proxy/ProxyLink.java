package org.qapi4j.colo.proxy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import org.qapi4j.vmm.machine.device.NicFrame;
import org.qapi4j.vmm.migration.stream.SectionKind;
import org.qapi4j.vmm.migration.stream.StreamException;
import org.qapi4j.vmm.migration.stream.StreamReader;
import org.qapi4j.vmm.migration.stream.StreamWriter;

/**
 * The COLO proxy link between the primary's and the secondary's NICs, a second connection to
 * the migration's address, in the migration stream's checksummed sections: a {@code HELLO}
 * naming the link, then {@link SectionKind#MIRROR} sections (primary to secondary: each frame
 * the primary's guest was given, numbered) and {@link SectionKind#OUTPUT} sections (secondary
 * to primary: each answer of the secondary's guest, with the checkpoint epoch it was given in).
 */
final class ProxyLink implements AutoCloseable {
    static final String NAME = "colo-proxy";

    private final SocketChannel channel;
    private final StreamReader in;
    private final StreamWriter out;

    private ProxyLink(SocketChannel channel) {
        this.channel = channel;
        this.in = new StreamReader(channel);
        this.out = new StreamWriter(channel);
    }

    /** The primary's end: says what the connection is for. */
    static ProxyLink open(SocketChannel channel) throws IOException {
        ProxyLink link = new ProxyLink(channel);
        link.out.section(SectionKind.HELLO, ByteBuffer.wrap(NAME.getBytes(StandardCharsets.US_ASCII)));
        return link;
    }

    /** The secondary's end: checks what the connection is for. */
    static ProxyLink accept(SocketChannel channel) throws IOException {
        ProxyLink link = new ProxyLink(channel);
        StreamReader.Section hello = link.in.next();
        if (hello.kind() != SectionKind.HELLO || !NAME.equals(StreamReader.reason(hello))) {
            throw new StreamException("expected the COLO proxy link, got a " + hello.kind() + " section");
        }
        return link;
    }

    /** A mirrored frame. */
    record Mirror(long seq, NicFrame frame) {}

    /** A secondary's answer. */
    record Output(int connection, long epoch, byte[] line) {}

    synchronized void sendMirror(long seq, NicFrame frame) throws IOException {
        ByteBuffer payload = ByteBuffer.allocate(8 + 1 + 4 + frame.line().length);
        payload.putLong(seq).put((byte) frame.kind().ordinal()).putInt(frame.connection()).put(frame.line()).flip();
        out.section(SectionKind.MIRROR, payload);
    }

    synchronized void sendOutput(int connection, long epoch, byte[] line) throws IOException {
        ByteBuffer payload = ByteBuffer.allocate(4 + 8 + line.length);
        payload.putInt(connection).putLong(epoch).put(line).flip();
        out.section(SectionKind.OUTPUT, payload);
    }

    /** The next section's content: a {@link Mirror} or an {@link Output}. */
    Object receive() throws IOException {
        StreamReader.Section section = in.next();
        ByteBuffer payload = section.payload().duplicate();
        try {
            if (section.kind() == SectionKind.MIRROR) {
                long seq = payload.getLong();
                int kind = Byte.toUnsignedInt(payload.get());
                int connection = payload.getInt();
                byte[] line = new byte[payload.remaining()];
                payload.get(line);
                if (kind >= NicFrame.Kind.values().length) {
                    throw new StreamException("a mirrored frame of unknown kind " + kind);
                }
                return new Mirror(seq, new NicFrame(NicFrame.Kind.values()[kind], connection, line));
            }
            if (section.kind() == SectionKind.OUTPUT) {
                int connection = payload.getInt();
                long epoch = payload.getLong();
                byte[] line = new byte[payload.remaining()];
                payload.get(line);
                return new Output(connection, epoch, line);
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new StreamException("a malformed " + section.kind() + " section on the COLO proxy link");
        }
        throw new StreamException("unexpected " + section.kind() + " section on the COLO proxy link");
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // gone either way
        }
    }
}

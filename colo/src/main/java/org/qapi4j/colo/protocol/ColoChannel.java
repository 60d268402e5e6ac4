package org.qapi4j.colo.protocol;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.qapi4j.vmm.api.COLOMessage;
import org.qapi4j.vmm.migration.ColoHook;
import org.qapi4j.vmm.migration.stream.SectionKind;
import org.qapi4j.vmm.migration.stream.StreamException;
import org.qapi4j.vmm.migration.stream.StreamReader;
import org.qapi4j.vmm.migration.stream.StreamWriter;

/**
 * COLO's messages on the migration's connection, in the migration stream's checksummed sections
 * (kind {@link SectionKind#COLO}: the {@code COLOMessage} as a byte, then a 64-bit value, which
 * only {@code vmstate-size} uses). A message other than the one expected ends COLO with QEMU's
 * error ({@code colo_receive_check_message}).
 */
public final class ColoChannel {
    private final ColoHook.Link link;
    private final FaultInjector faults;
    private volatile long checkpoint;

    public ColoChannel(ColoHook.Link link, FaultInjector faults) {
        this.link = Objects.requireNonNull(link, "link");
        this.faults = Objects.requireNonNull(faults, "faults");
    }

    /** The checkpoint the messages from now on belong to (0: COLO's entry), for fault injection. */
    public void checkpoint(long n) {
        checkpoint = n;
    }

    public StreamReader in() {
        return link.in();
    }

    public StreamWriter out() {
        return link.out();
    }

    public ColoHook.Link link() {
        return link;
    }

    public void send(COLOMessage.Known message) throws IOException {
        send(message, 0);
    }

    public void send(COLOMessage.Known message, long value) throws IOException {
        faults.before(message, checkpoint);
        ByteBuffer payload = ByteBuffer.allocate(9);
        payload.put((byte) message.ordinal()).putLong(value).flip();
        synchronized (link.out()) {
            link.out().section(SectionKind.COLO, payload);
        }
    }

    /** Reads the next message, which must be {@code expected}; returns its value. */
    public long expect(COLOMessage.Known expected) throws IOException {
        StreamReader.Section section = link.in().next();
        return received(section, expected);
    }

    /**
     * The value of {@code section} if it is message {@code expected} (else QEMU's error), once
     * the faults {@code after=expected} of this checkpoint happened.
     */
    public long received(StreamReader.Section section, COLOMessage.Known expected) throws StreamException {
        long value = check(section, expected);
        faults.after(expected, checkpoint);
        return value;
    }

    /** The value of {@code section} if it is message {@code expected}, else QEMU's error. */
    public static long check(StreamReader.Section section, COLOMessage.Known expected) throws StreamException {
        if (section.kind() != SectionKind.COLO) {
            throw new StreamException("Unexpected COLO message: a " + section.kind() + " section, expected "
                    + expected.ordinal());
        }
        ByteBuffer payload = section.payload().duplicate();
        if (payload.remaining() != 9) {
            throw new StreamException("malformed COLO message of " + payload.remaining() + " bytes");
        }
        int message = Byte.toUnsignedInt(payload.get());
        if (message != expected.ordinal()) {
            throw new StreamException("Unexpected COLO message " + message + ", expected " + expected.ordinal());
        }
        return payload.getLong();
    }
}

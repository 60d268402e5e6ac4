package org.qapi4j.colo.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.qapi4j.vmm.api.COLOMessage;
import org.qapi4j.vmm.cli.ColoFault;
import org.qapi4j.vmm.migration.ColoLink;
import org.qapi4j.vmm.migration.stream.StreamException;
import org.qapi4j.vmm.migration.stream.StreamReader;
import org.qapi4j.vmm.migration.stream.StreamWriter;

/**
 * COLO's messages between two ends of a real socket: values arrive with their message, and a
 * message out of order ends COLO with QEMU 7.2's text ({@code colo_receive_check_message}).
 */
class ColoChannelTest {
    private Path dir;
    private SocketChannel primarySide;
    private SocketChannel secondarySide;
    private ColoChannel primary;
    private ColoChannel secondary;

    @BeforeEach
    void connect() throws IOException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "colo-channel");
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("s"));
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(address);
            primarySide = SocketChannel.open(address);
            secondarySide = server.accept();
        }
        primary = channel(primarySide, FaultInjector.none());
        secondary = channel(secondarySide, FaultInjector.none());
    }

    @AfterEach
    void close() throws IOException {
        primarySide.close();
        secondarySide.close();
        Files.deleteIfExists(dir.resolve("s"));
        Files.deleteIfExists(dir);
    }

    private static ColoChannel channel(SocketChannel socket, FaultInjector faults) {
        return new ColoChannel(new ColoLink(socket, new StreamReader(socket), new StreamWriter(socket), () -> socket,
                () -> { }, () -> { }, () -> { }), faults);
    }

    @Test
    void aMessageArrivesWithItsValue() throws IOException {
        primary.send(COLOMessage.Known.VMSTATE_SIZE, 123_456);
        assertThat(secondary.expect(COLOMessage.Known.VMSTATE_SIZE)).isEqualTo(123_456);
    }

    @Test
    void aMessageOutOfOrderIsQemusError() throws IOException {
        primary.send(COLOMessage.Known.VMSTATE_SEND);
        assertThatThrownBy(() -> secondary.expect(COLOMessage.Known.CHECKPOINT_REQUEST))
                .isInstanceOf(StreamException.class).hasMessage("Unexpected COLO message 3, expected 1");
    }

    @Test
    void anotherSectionWhereAMessageIsDueIsRefused() throws IOException {
        primary.out().signal(org.qapi4j.vmm.migration.stream.SectionKind.GO);
        assertThatThrownBy(() -> secondary.expect(COLOMessage.Known.CHECKPOINT_REPLY))
                .isInstanceOf(StreamException.class).hasMessage("Unexpected COLO message: a GO section, expected 2");
    }

    @Test
    void aDelayFaultHoldsTheMessageOnlyInItsCheckpoint() throws IOException {
        FaultInjector faults = new FaultInjector(List.of(new ColoFault(2, "vmstate-received", ColoFault.Action.DELAY, 300)),
                System.err, "test");
        ColoChannel delayed = channel(secondarySide, faults);
        delayed.checkpoint(1);
        long start = System.nanoTime();
        delayed.send(COLOMessage.Known.VMSTATE_RECEIVED);
        assertThat((System.nanoTime() - start) / 1_000_000).as("checkpoint 1: no delay").isLessThan(250);
        delayed.checkpoint(2);
        start = System.nanoTime();
        delayed.send(COLOMessage.Known.VMSTATE_RECEIVED);
        assertThat((System.nanoTime() - start) / 1_000_000).as("checkpoint 2: delayed").isGreaterThanOrEqualTo(300);
        assertThat(primary.expect(COLOMessage.Known.VMSTATE_RECEIVED)).isZero();
        assertThat(primary.expect(COLOMessage.Known.VMSTATE_RECEIVED)).isZero();
    }
}

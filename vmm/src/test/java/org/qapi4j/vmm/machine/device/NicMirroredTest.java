package org.qapi4j.vmm.machine.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A COLO secondary's NIC: its input is the primary's frames by number, once each and in order,
 * and a loaded checkpoint keeps the mirrored frames that are newer than it.
 */
class NicMirroredTest {
    private final List<Nic> nics = new ArrayList<>();

    @AfterEach
    void close() {
        nics.forEach(Nic::close);
    }

    private Nic nic() throws IOException {
        Nic nic = Nic.listen("127.0.0.1", 0, () -> { });
        nics.add(nic);
        return nic;
    }

    private static NicFrame line(int connection, String text) {
        return new NicFrame(NicFrame.Kind.LINE, connection, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void mirroredFramesArriveOnceInOrderAndAGapIsAnError() throws Exception {
        Nic secondary = nic();
        secondary.mirrored(true);
        secondary.inject(0, NicFrame.of(NicFrame.Kind.OPENED, 1));
        secondary.inject(1, line(1, "PUT a k v"));
        secondary.inject(1, line(1, "PUT a k v")); // already held: dropped
        assertThat(secondary.receive()).isEqualTo(NicFrame.of(NicFrame.Kind.OPENED, 1));
        assertThat(secondary.receive()).isEqualTo(line(1, "PUT a k v"));
        assertThat(secondary.receive()).isNull();
        assertThatThrownBy(() -> secondary.inject(5, line(1, "GET k"))).isInstanceOf(IOException.class)
                .hasMessage("mirrored frame 5 arrived, frame 2 is missing");
    }

    @Test
    void aLoadedCheckpointKeepsTheNewerMirroredFramesAndTheConnections() throws Exception {
        Nic primary = nic();
        Nic secondary = nic();
        secondary.mirrored(true);
        // The primary's state at the checkpoint: connection 1 open, frames 0..1 queued.
        primary.mirrored(true);
        primary.inject(0, NicFrame.of(NicFrame.Kind.OPENED, 1));
        primary.inject(1, line(1, "one"));
        ByteArrayOutputStream state = new ByteArrayOutputStream();
        primary.save(new DataOutputStream(state));
        // The secondary got frames 0..2 meanwhile: frame 2 came after the primary saved.
        secondary.inject(0, NicFrame.of(NicFrame.Kind.OPENED, 1));
        secondary.inject(1, line(1, "one"));
        secondary.inject(2, line(1, "two"));
        secondary.load(new DataInputStream(new ByteArrayInputStream(state.toByteArray())));
        assertThat(secondary.receive()).isEqualTo(NicFrame.of(NicFrame.Kind.OPENED, 1));
        assertThat(secondary.receive()).isEqualTo(line(1, "one"));
        assertThat(secondary.receive()).isEqualTo(line(1, "two"));
        assertThat(secondary.receive()).as("no CLOSED: the mirrored connection lives on").isNull();
        // Failover: the guest sees the mirrored connection close, and clients are served here.
        secondary.mirrored(false);
        assertThat(secondary.receive()).isEqualTo(NicFrame.of(NicFrame.Kind.CLOSED, 1));
    }

    @Test
    void aClientAfterFailoverGetsANumberNoMirroredConnectionHad() throws Exception {
        Nic secondary = nic();
        secondary.mirrored(true);
        // Connection 7 was opened on the primary after the last checkpoint: only its frame came here.
        secondary.inject(0, NicFrame.of(NicFrame.Kind.OPENED, 7));
        assertThat(secondary.receive()).isEqualTo(NicFrame.of(NicFrame.Kind.OPENED, 7));
        secondary.mirrored(false);
        try (Socket client = new Socket(secondary.address().getAddress(), secondary.address().getPort())) {
            client.setSoTimeout(10_000);
            client.getOutputStream().write("GET k\n".getBytes(StandardCharsets.US_ASCII));
            // The guest sees the mirrored connection close first, then the new client.
            assertThat(NicTest.awaitFrame(secondary)).isEqualTo(NicFrame.of(NicFrame.Kind.CLOSED, 7));
            NicFrame opened = NicTest.awaitFrame(secondary);
            assertThat(opened.kind()).isEqualTo(NicFrame.Kind.OPENED);
            assertThat(opened.connection()).as("the new client's number").isGreaterThan(7);
            assertThat(NicTest.awaitFrame(secondary)).isEqualTo(line(opened.connection(), "GET k"));
            secondary.transmit(opened.connection(), "NONE".getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
            assertThat(in.readLine()).as("the client is answered, not closed with the old connection").isEqualTo("NONE");
        }
    }
}

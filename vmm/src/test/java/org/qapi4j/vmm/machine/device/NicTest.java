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
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The NIC on its own, with the test as its guest. */
class NicTest {
    private final AtomicInteger interrupts = new AtomicInteger();
    private final Nic nic;
    private final List<Socket> sockets = new ArrayList<>();

    NicTest() throws IOException {
        nic = Nic.listen("127.0.0.1", 0, interrupts::incrementAndGet);
    }

    @AfterEach
    void close() throws IOException {
        nic.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    private Socket connect() throws IOException {
        return connect(nic);
    }

    /** A client of {@code to}, closed after the test; reads time out after 10 s. */
    private Socket connect(Nic to) throws IOException {
        Socket socket = new Socket(to.address().getAddress(), to.address().getPort());
        socket.setSoTimeout(10_000);
        sockets.add(socket);
        return socket;
    }

    /** The next frame, waiting for it. */
    private NicFrame next() throws InterruptedException {
        return awaitFrame(nic);
    }

    private static BufferedReader reader(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    private static NicFrame line(int connection, String text) {
        return new NicFrame(NicFrame.Kind.LINE, connection, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Test
    void aConnectionIsOpenedLinesThenClosedAndAnswersGoBack() throws Exception {
        Socket socket = connect();
        send(socket, "hello\nworld\n");
        NicFrame opened = next();
        assertThat(opened.kind()).isEqualTo(NicFrame.Kind.OPENED);
        int id = opened.connection();
        assertThat(next()).isEqualTo(line(id, "hello"));
        assertThat(next()).isEqualTo(line(id, "world"));
        nic.transmit(id, "hi there".getBytes(StandardCharsets.UTF_8));
        BufferedReader in = reader(socket);
        assertThat(in.readLine()).isEqualTo("hi there");
        socket.shutdownOutput();
        assertThat(next()).isEqualTo(NicFrame.of(NicFrame.Kind.CLOSED, id));
        assertThat(in.readLine()).isNull();
        assertThat(interrupts.get()).isGreaterThanOrEqualTo(4);
        nic.transmit(id, "to nobody".getBytes(StandardCharsets.UTF_8)); // dropped, no error
    }

    @Test
    void connectionsGetDistinctIdsAndTheirOwnAnswers() throws Exception {
        Socket a = connect();
        Socket b = connect();
        send(a, "from a\n");
        send(b, "from b\n");
        java.util.Map<String, Integer> idOf = new java.util.HashMap<>();
        for (int i = 0; i < 4; i++) {
            NicFrame frame = next();
            if (frame.kind() == NicFrame.Kind.LINE) {
                idOf.put(new String(frame.line(), StandardCharsets.UTF_8), frame.connection());
            }
        }
        assertThat(idOf.get("from a")).isNotEqualTo(idOf.get("from b"));
        nic.transmit(idOf.get("from b"), "for b".getBytes(StandardCharsets.UTF_8));
        nic.transmit(idOf.get("from a"), "for a".getBytes(StandardCharsets.UTF_8));
        assertThat(reader(a).readLine()).isEqualTo("for a");
        assertThat(reader(b).readLine()).isEqualTo("for b");
    }

    @Test
    void queuedInputAndTheGuestsViewOfConnectionsMoveWithTheState() throws Exception {
        Socket socket = connect();
        send(socket, "one\ntwo\n");
        NicFrame opened = next();
        awaitQueued(2);
        ByteArrayOutputStream state = new ByteArrayOutputStream();
        nic.save(new DataOutputStream(state));

        try (Nic target = Nic.listen("127.0.0.1", 0, () -> {})) {
            Socket early = connect(target);
            awaitQueued(target, 1); // accepted: its OPENED is queued
            target.load(new DataInputStream(new ByteArrayInputStream(state.toByteArray())));
            assertThat(early.getInputStream().read()).as("connections here before the load are closed").isEqualTo(-1);
            int id = opened.connection();
            assertThat(target.receive()).isEqualTo(line(id, "one"));
            assertThat(target.receive()).isEqualTo(line(id, "two"));
            assertThat(target.receive()).as("the connection did not move: closed").isEqualTo(NicFrame.of(NicFrame.Kind.CLOSED, id));
            assertThat(target.receive()).isNull();

            connect(target); // a client after the load
            NicFrame fresh = awaitFrame(target);
            assertThat(fresh.kind()).isEqualTo(NicFrame.Kind.OPENED);
            assertThat(fresh.connection()).as("ids go on from the saved numbering").isGreaterThan(id);
        }
    }

    @Test
    void malformedStateIsRefusedAndChangesNothing() throws Exception {
        Socket socket = connect();
        send(socket, "kept\n");
        awaitQueued(2);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(5);
        out.writeInt(0);
        out.writeLong(1);
        out.writeInt(1);
        out.writeByte(NicFrame.Kind.LINE.ordinal());
        out.writeInt(1);
        out.writeInt(Nic.MAX_LINE + 1);
        assertThatThrownBy(() -> nic.load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))))
                .isInstanceOf(IOException.class).hasMessage("NIC state holds a malformed frame (connection 1, 1025 bytes)");
        assertThat(nic.queuedFrames()).isEqualTo(2);
        assertThat(next().kind()).isEqualTo(NicFrame.Kind.OPENED);
        send(socket, "still connected\n");
        assertThat(new String(next().line(), StandardCharsets.UTF_8)).isEqualTo("kept");
        assertThat(new String(next().line(), StandardCharsets.UTF_8)).isEqualTo("still connected");
    }

    @Test
    void connectionsBeyondTheLimitAreRefused() throws Exception {
        for (int i = 0; i < Nic.MAX_CONNECTIONS; i++) {
            connect();
        }
        for (int i = 0; i < Nic.MAX_CONNECTIONS; i++) {
            assertThat(next().kind()).isEqualTo(NicFrame.Kind.OPENED);
        }
        Socket extra = connect();
        assertThat(reader(extra).readLine()).isEqualTo("ERR too many connections");
        assertThat(extra.getInputStream().read()).isEqualTo(-1);
    }

    @Test
    void aGuestFloodingAClientThatDoesNotReadDropsIt() throws Exception {
        Socket socket = connect();
        socket.setReceiveBufferSize(4096);
        int id = next().connection();
        byte[] answer = new byte[Nic.MAX_ANSWER];
        java.util.Arrays.fill(answer, (byte) 'a');
        for (int i = 0; i < 10_000 && nic.queuedFrames() == 0; i++) {
            nic.transmit(id, answer); // never blocks the guest
        }
        NicFrame closed = awaitFrame(nic);
        assertThat(closed).isEqualTo(NicFrame.of(NicFrame.Kind.CLOSED, id));
    }

    @Test
    void aResetClosesEveryConnectionAndDropsQueuedInput() throws Exception {
        Socket socket = connect();
        send(socket, "lost\n");
        awaitQueued(2);
        nic.reset();
        assertThat(nic.queuedFrames()).isZero();
        assertThat(socket.getInputStream().read()).isEqualTo(-1);
        assertThat(nic.receive()).isNull();
    }

    private void awaitQueued(int frames) throws InterruptedException {
        awaitQueued(nic, frames);
    }

    private static void awaitQueued(Nic nic, int frames) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (nic.queuedFrames() < frames) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(2);
        }
    }

    static NicFrame awaitFrame(Nic nic) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            NicFrame frame = nic.receive();
            if (frame != null) {
                return frame;
            }
            Thread.sleep(2);
        }
        throw new AssertionError("no frame");
    }
}

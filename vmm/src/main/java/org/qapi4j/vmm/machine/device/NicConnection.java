package org.qapi4j.vmm.machine.device;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The host side of one client's TCP connection to the NIC: a reader thread that turns the
 * client's bytes into frames for the guest (blocking while the guest's queue is full, which
 * stops reading the socket: back-pressure), and a writer thread that sends the guest's answers.
 *
 * <p>Answers wait in a bounded outbox so that the guest never blocks on a client: a client that
 * stops reading its answers until {@value #OUTBOX_LINES} are waiting is disconnected.
 */
final class NicConnection {
    /** Answers that may wait for a slow client before it is dropped. */
    static final int OUTBOX_LINES = 256;
    /** Put in the outbox when the guest has seen the connection close: send the rest, then close. */
    private static final byte[] END = new byte[0];

    final int id;
    private final Socket socket;
    private final Nic nic;
    private final BlockingQueue<byte[]> outbox = new ArrayBlockingQueue<>(OUTBOX_LINES + 1);
    private final Thread reader;
    private final Thread writer;

    NicConnection(int id, Socket socket, Nic nic) {
        this.id = id;
        this.socket = socket;
        this.nic = nic;
        this.reader = new Thread(this::readLines, "vmm-nic-" + id + "-in");
        this.writer = new Thread(this::writeLines, "vmm-nic-" + id + "-out");
        reader.setDaemon(true);
        writer.setDaemon(true);
    }

    void start() {
        reader.start();
        writer.start();
    }

    /** Queues an answer; drops the connection if the client is not reading its answers. */
    void send(byte[] line) {
        if (!outbox.offer(line)) {
            abort();
        }
    }

    /** The guest has seen the close: send what is queued, then close. */
    void finish() {
        if (!outbox.offer(END)) {
            abort();
        }
    }

    /** Closes the socket now: both threads end, queued answers are dropped. */
    void abort() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closed is closed.
        }
        writer.interrupt();
    }

    private void readLines() {
        try {
            if (!nic.deliver(this, NicFrame.of(NicFrame.Kind.OPENED, id))) {
                return;
            }
            LineReader lines = new LineReader(socket.getInputStream(), Nic.MAX_LINE);
            try {
                for (byte[] line = lines.next(); line != null; line = lines.next()) {
                    NicFrame frame = line == LineReader.TOO_LONG ? NicFrame.of(NicFrame.Kind.LINE_TOO_LONG, id)
                            : new NicFrame(NicFrame.Kind.LINE, id, line);
                    if (!nic.deliver(this, frame)) {
                        return;
                    }
                }
            } catch (IOException e) {
                // A reset or closed socket ends the stream like an orderly close.
            }
            nic.deliver(this, NicFrame.of(NicFrame.Kind.CLOSED, id));
        } catch (IOException | InterruptedException e) {
            abort();
        }
    }

    private void writeLines() {
        try (OutputStream out = new BufferedOutputStream(socket.getOutputStream())) {
            while (true) {
                byte[] line = outbox.take();
                if (line == END) {
                    out.flush();
                    break;
                }
                out.write(line);
                out.write('\n');
                if (outbox.isEmpty()) {
                    out.flush();
                }
            }
        } catch (IOException | InterruptedException e) {
            // The client went away or the NIC closed the connection: nothing more to send.
        }
        abort();
    }
}

package org.qapi4j.vmm.machine.device;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The host side of one client's TCP connection to the NIC: a reader thread that turns the
 * client's bytes into frames for the guest, and a writer thread that sends the guest's answers.
 *
 * <p>Back-pressure both ways, as TCP does: the reader waits while the guest's queue is full, and
 * while more than {@value #PAUSE_READING_BYTES} bytes of answers wait for this client (a client
 * that does not read its answers stops having its requests read, and blocks in its own sends).
 * The guest never waits for a client: the outbox holds up to {@value #OUTBOX_BYTES} bytes, which
 * only a guest answering far more than it is asked can exceed; then the connection is dropped.
 */
final class NicConnection {
    /** Unsent answers beyond which this client's requests are no longer read. */
    static final int PAUSE_READING_BYTES = 32 * 1024;
    /** Unsent answers beyond which the connection is dropped. */
    static final int OUTBOX_BYTES = 256 * 1024;

    final int id;
    private final Socket socket;
    private final Nic nic;
    private final Thread reader;
    private final Thread writer;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<byte[]> outbox = new ArrayDeque<>();
    private int outboxBytes;
    /** The guest has seen the close: send what is queued, then close. */
    private boolean finishing;
    private boolean aborted;

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

    /** Queues an answer; never blocks. */
    void send(byte[] line) {
        lock.lock();
        try {
            if (aborted || finishing) {
                return;
            }
            if (outboxBytes + line.length + 1 <= OUTBOX_BYTES) {
                outbox.add(line);
                outboxBytes += line.length + 1;
                changed.signalAll();
                return;
            }
        } finally {
            lock.unlock();
        }
        abort();
    }

    /** The guest has seen the close: send what is queued, then close. */
    void finish() {
        lock.lock();
        try {
            finishing = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Closes the socket now: both threads end, queued answers are dropped. */
    void abort() {
        lock.lock();
        try {
            aborted = true;
            outbox.clear();
            outboxBytes = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closed is closed.
        }
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
                    if (!awaitAnswersSent() || !nic.deliver(this, frame)) {
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

    /** Waits while too many answers wait for this client; false once the connection is aborted. */
    private boolean awaitAnswersSent() throws InterruptedException {
        lock.lock();
        try {
            while (outboxBytes > PAUSE_READING_BYTES && !aborted) {
                changed.await();
            }
            return !aborted;
        } finally {
            lock.unlock();
        }
    }

    private void writeLines() {
        try (OutputStream out = new BufferedOutputStream(socket.getOutputStream())) {
            for (byte[] line = takeAnswer(out); line != null; line = takeAnswer(out)) {
                out.write(line);
                out.write('\n');
            }
            out.flush();
        } catch (IOException | InterruptedException e) {
            // The client went away or the NIC closed the connection: nothing more to send.
        }
        abort();
    }

    /** The next answer, flushing first if none is waiting; null when finished or aborted. */
    private byte[] takeAnswer(OutputStream out) throws IOException, InterruptedException {
        lock.lock();
        try {
            if (outbox.isEmpty() && !aborted) {
                lock.unlock();
                try {
                    out.flush(); // not under the lock: a slow client must not block the guest's sends
                } finally {
                    lock.lock();
                }
            }
            while (outbox.isEmpty() && !finishing && !aborted) {
                changed.await();
            }
            if (aborted || outbox.isEmpty()) {
                return null;
            }
            byte[] line = outbox.poll();
            outboxBytes -= line.length + 1;
            changed.signalAll();
            return line;
        } finally {
            lock.unlock();
        }
    }

    /** Tells a client it is not served here ({@code why}, possibly empty) and closes its socket. */
    static void refuse(Socket socket, String why) {
        try (socket; OutputStream out = socket.getOutputStream()) {
            out.write(why.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException ignored) {
            // The client learns from the close.
        }
    }
}

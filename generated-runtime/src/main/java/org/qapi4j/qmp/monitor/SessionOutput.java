package org.qapi4j.qmp.monitor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * A monitor's output, and the one task it keeps on the connection's I/O thread.
 *
 * <p>Lines (replies, events, the greeting) come from the main loop, the I/O thread and any
 * thread that emits events, and must reach the client in the order they were produced. On the
 * I/O thread a line is written at once; elsewhere it joins {@link #outbox}, and one I/O-thread
 * task writes everything that gathered by the time it runs, with one flush: a busy monitor
 * costs one wake-up of the I/O thread per batch, not per line. The same task resumes reading
 * when a suspension ended on another thread ({@link #resumeOnIoThread}).
 */
final class SessionOutput {
    private final MonitorConnection connection;
    private final Runnable resumeReading;

    // ---- guarded by this
    private ArrayDeque<byte[]> outbox = new ArrayDeque<>();
    private boolean taskScheduled;
    private boolean resumePending;
    private boolean gone;

    /** {@code resumeReading} runs on the I/O thread after a {@link #resumeOnIoThread} request. */
    SessionOutput(MonitorConnection connection, Runnable resumeReading) {
        this.connection = connection;
        this.resumeReading = resumeReading;
    }

    /** Queues one line, from any thread. */
    void send(byte[] line) {
        boolean onIoThread = connection.inIoThread();
        synchronized (this) {
            if (gone) {
                return;
            }
            outbox.add(line);
            if (!onIoThread) {
                scheduleTask();
                return;
            }
        }
        writeOut();
    }

    /** Has the I/O thread take in what waits and read on, after what was sent so far. */
    synchronized void resumeOnIoThread() {
        resumePending = true;
        scheduleTask();
    }

    /** Sends what was queued before this call, then closes the connection. */
    void closeAfterPending() {
        try {
            connection.executeOnIo(() -> {
                writeOut();
                connection.close();
            });
        } catch (RejectedExecutionException e) {
            connection.close();
        }
    }

    /** The connection is gone: what waits is dropped, and nothing more is queued. */
    synchronized void discard() {
        gone = true;
        outbox.clear();
    }

    /** Caller holds the lock. */
    private void scheduleTask() {
        if (taskScheduled) {
            return;
        }
        taskScheduled = true;
        try {
            connection.executeOnIo(this::runTask);
        } catch (RejectedExecutionException e) {
            // Shutting down: what is queued is lost with the connection.
            taskScheduled = false;
        }
    }

    /** I/O thread: writes what is queued, then resumes reading if a suspension ended elsewhere. */
    private void runTask() {
        boolean resumeNow;
        synchronized (this) {
            taskScheduled = false;
            resumeNow = resumePending;
            resumePending = false;
        }
        writeOut();
        if (resumeNow) {
            resumeReading.run();
        }
    }

    /** I/O thread: hands every queued line to the connection, which flushes once. */
    private void writeOut() {
        List<byte[]> lines;
        synchronized (this) {
            if (outbox.isEmpty()) {
                return;
            }
            lines = new ArrayList<>(outbox);
            outbox = new ArrayDeque<>();
        }
        connection.write(lines);
    }
}

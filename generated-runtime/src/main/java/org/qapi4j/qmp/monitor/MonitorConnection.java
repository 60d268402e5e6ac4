package org.qapi4j.qmp.monitor;

import java.util.List;

/**
 * What a {@link MonitorSession} needs of the connection it serves: a socket (the server's
 * Netty channel), or a pair of queues ({@link InProcessMonitor}). The session keeps all of
 * QMP's state and logic; the connection only moves bytes and stops taking input when told.
 *
 * <p>Every connection has an I/O thread, as a QEMU monitor has its I/O thread: the session
 * takes input in and runs out-of-band commands there, and asks for output to be written there.
 */
public interface MonitorConnection {
    /** Whether the calling thread is this connection's I/O thread. */
    boolean inIoThread();

    /**
     * Runs {@code task} on the I/O thread.
     *
     * @throws java.util.concurrent.RejectedExecutionException when the connection's thread has
     *     stopped; what the task would have done is lost with the connection
     */
    void executeOnIo(Runnable task);

    /** Starts or stops taking input; on the I/O thread. */
    void setReading(boolean reading);

    /** Writes {@code lines}, in order, and flushes once; on the I/O thread. */
    void write(List<byte[]> lines);

    /** Closes the connection once what was written has been sent; from any thread. */
    void close();
}

package org.qapi4j.qmp.monitor;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.qapi4j.qmp.wire.JsonMessage;
import org.qapi4j.qmp.wire.QmpInputParser;

/**
 * A QMP monitor without a socket: a client in the same JVM sends bytes and reads the lines a
 * socket client would read, byte for byte, from the same {@link MonitorSession} logic (QEMU's
 * input parsing, negotiation, checks, queue and flow control, events). For tests, and for
 * embedding a machine's QMP in a program that drives it directly.
 *
 * <pre>{@code
 * try (InProcessMonitor qmp = InProcessMonitor.connect(hub)) {
 *     qmp.nextLine(Duration.ofSeconds(1));                 // the greeting
 *     qmp.send("{\"execute\": \"qmp_capabilities\"}");
 *     qmp.nextLine(Duration.ofSeconds(1));                 // {"return": {}}
 * }
 * }</pre>
 *
 * <p>Like a socket monitor it has an I/O thread of its own, where its input is parsed and
 * out-of-band commands run; a suspended monitor leaves input unparsed, as a socket leaves it
 * unread.
 */
public final class InProcessMonitor implements AutoCloseable {
    private static final AtomicLong COUNTER = new AtomicLong();
    /** What {@link #nextLine} answers once the monitor has closed the connection. */
    private static final byte[] EOF = new byte[0];

    private final ExecutorService ioThread;
    private volatile @Nullable Thread ioThreadItself;
    private final BlockingQueue<byte[]> output = new LinkedBlockingQueue<>();
    private final MonitorSession session;

    // ---- I/O thread only
    private final QmpInputParser parser = new QmpInputParser();
    private final ArrayDeque<byte[]> unread = new ArrayDeque<>();
    private boolean reading = true;
    private boolean feeding;
    private boolean closed;

    private InProcessMonitor(MonitorHub hub, String id, boolean seen) {
        this.ioThread = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "qmp-in-process-" + id);
            thread.setDaemon(true);
            ioThreadItself = thread;
            return thread;
        });
        Connection connection = new Connection();
        // The session greets from the I/O thread, as a socket monitor does when it connects.
        this.session = join(ioThread.submit(() -> seen ? hub.open(connection, "in-process:" + id)
                : hub.openUnseen(connection, "in-process:" + id)));
    }

    /** A new monitor of {@code hub}; its greeting is the first line to read. */
    public static InProcessMonitor connect(MonitorHub hub) {
        return new InProcessMonitor(hub, Long.toString(COUNTER.incrementAndGet()), true);
    }

    /**
     * A monitor nobody else sees: not among the hub's monitors, and sent no events. The hub's
     * warm-up talks through one.
     */
    static InProcessMonitor unseen(MonitorHub hub, String name) {
        return new InProcessMonitor(hub, name, false);
    }

    /** The monitor, as handlers see it. */
    public MonitorSession session() {
        return session;
    }

    /** Sends {@code text} and a newline, in UTF-8. */
    public void send(String text) {
        send((text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Sends raw bytes: any part of a message, or several. */
    public void send(byte[] bytes) {
        byte[] copy = bytes.clone();
        ioThread.execute(() -> {
            unread.add(copy);
            takeInput();
        });
    }

    /**
     * The next output line with its {@code \r\n}, waiting up to {@code timeout}; null when none
     * came, and an empty array once the monitor has closed the connection.
     */
    public byte @Nullable [] nextOutput(Duration timeout) throws InterruptedException {
        byte[] line = output.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (line == EOF) {
            output.add(EOF);
        }
        return line;
    }

    /**
     * The next output line as text, without its {@code \r\n}, waiting up to {@code timeout};
     * null when none came, or when the monitor has closed the connection ({@link #isClosed}).
     */
    public @Nullable String nextLine(Duration timeout) throws InterruptedException {
        byte[] line = nextOutput(timeout);
        if (line == null || line.length == 0) {
            return null;
        }
        return new String(line, 0, line.length - 2, StandardCharsets.UTF_8);
    }

    /** Whether the monitor closed the connection and every line before that was read. */
    public boolean isClosed() {
        return output.peek() == EOF;
    }

    /** Disconnects, as a client closing its socket. */
    @Override
    public void close() {
        try {
            ioThread.execute(this::disconnect);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Closed already.
        }
    }

    /** I/O thread: parses what waits while the session takes input. */
    private void takeInput() {
        if (feeding) {
            // Resumed from within: the loop below goes on by itself.
            return;
        }
        feeding = true;
        try {
            while (reading && !closed && !unread.isEmpty()) {
                byte[] bytes = unread.poll();
                for (JsonMessage message : parser.feed(bytes)) {
                    // Like a socket read: what one read decoded is handed over even when the
                    // first message suspends the session; the session holds the rest back.
                    session.received(message);
                }
            }
        } finally {
            feeding = false;
        }
    }

    /** I/O thread. */
    private void disconnect() {
        if (closed) {
            return;
        }
        closed = true;
        unread.clear();
        if (session != null) {
            session.disconnected();
        }
        output.add(EOF);
        ioThread.shutdown();
    }

    private static <T> T join(java.util.concurrent.Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("cannot connect", e.getCause());
        }
    }

    /** The session's view of this monitor. */
    private final class Connection implements MonitorConnection {
        @Override
        public boolean inIoThread() {
            return Thread.currentThread() == ioThreadItself;
        }

        @Override
        public void executeOnIo(Runnable task) {
            ioThread.execute(task);
        }

        @Override
        public void setReading(boolean on) {
            reading = on;
            if (on) {
                takeInput();
            }
        }

        @Override
        public void write(List<byte[]> lines) {
            if (!closed) {
                output.addAll(lines);
            }
        }

        /**
         * The session closes the connection, on the I/O thread or not; the client may have
         * closed it already, and then the I/O thread is gone or going.
         */
        @Override
        public void close() {
            if (inIoThread()) {
                disconnect();
                return;
            }
            try {
                ioThread.execute(InProcessMonitor.this::disconnect);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // Closed already.
            }
        }
    }
}

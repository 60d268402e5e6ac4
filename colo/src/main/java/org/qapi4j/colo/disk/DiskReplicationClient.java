package org.qapi4j.colo.disk;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The primary's end of disk replication: sends the primary's writes, in order, to a {@link
 * DiskReplicationServer}, and runs barriers (a round trip that returns once the secondary has
 * applied every write sent before it).
 *
 * <p>No call blocks longer than the timeout: a peer that stops reading or answering (a
 * partition, a hung secondary) would otherwise stall the primary's guest until TCP gives up,
 * so a watchdog closes the link when one call runs too long, and the call fails. Any failure
 * ends the link for good (a broken stream cannot be resumed in step): every later call throws.
 */
public final class DiskReplicationClient implements AutoCloseable {
    /** The default bound on one call (a write's sending, a barrier's round trip). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final SocketChannel channel;
    private final long timeoutNanos;
    private final ScheduledThreadPoolExecutor watchdog;
    private long sequence;
    private volatile boolean timedOut;
    private IOException failure;
    private boolean closed;

    private DiskReplicationClient(SocketChannel channel, Duration timeout) {
        this.channel = channel;
        this.timeoutNanos = timeout.toNanos();
        this.watchdog = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "colo-disk-replication-watchdog");
            t.setDaemon(true);
            return t;
        });
        watchdog.setRemoveOnCancelPolicy(true);
    }

    /**
     * Connects to the secondary at {@code address} (TCP or Unix socket) and checks that its
     * disk has {@code dataBytes} bytes, as the primary's.
     *
     * @throws IOException if it cannot connect in time, or the secondary refuses or differs
     */
    public static DiskReplicationClient connect(SocketAddress address, long dataBytes, Duration timeout)
            throws IOException {
        Objects.requireNonNull(address, "address");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the timeout must be positive, not " + timeout);
        }
        SocketChannel channel = SocketChannel.open(address);
        if (address instanceof InetSocketAddress) {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true); // a barrier is latency, not bulk
        }
        DiskReplicationClient client = new DiskReplicationClient(channel, timeout);
        try {
            client.hello(dataBytes);
            return client;
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    private synchronized void hello(long dataBytes) throws IOException {
        run(() -> {
            ReplicationFrame.of(ReplicationFrame.HELLO, ReplicationFrame.VERSION, dataBytes).writeTo(channel);
            ReplicationFrame answer = expect(ReplicationFrame.HELLO);
            if (answer.sequence() != ReplicationFrame.VERSION || answer.offset() != dataBytes) {
                throw new IOException("the secondary speaks protocol version " + answer.sequence() + " with a disk of "
                        + answer.offset() + " bytes; the primary version " + ReplicationFrame.VERSION + " with "
                        + dataBytes);
            }
        });
    }

    /** Sends a write of {@code data}'s remaining bytes at {@code offset} (as several frames if large); moves no position. */
    public synchronized void write(long offset, ByteBuffer data) throws IOException {
        ByteBuffer rest = data.duplicate();
        run(() -> {
            long at = offset;
            do {
                int n = Math.min(rest.remaining(), ReplicationFrame.MAX_PAYLOAD);
                ByteBuffer part = rest.slice(rest.position(), n);
                new ReplicationFrame(ReplicationFrame.WRITE, sequence + 1, at, part).writeTo(channel);
                sequence++;
                rest.position(rest.position() + n);
                at += n;
            } while (rest.hasRemaining());
        });
    }

    /** Returns once the secondary has applied every write sent before this call. */
    public synchronized void barrier() throws IOException {
        long upTo = sequence;
        run(() -> {
            ReplicationFrame.of(ReplicationFrame.BARRIER, upTo, 0).writeTo(channel);
            ReplicationFrame ack = expect(ReplicationFrame.BARRIER_ACK);
            if (ack.sequence() != upTo) {
                throw new IOException("the secondary acknowledged a barrier at write " + ack.sequence()
                        + ", not at write " + upTo);
            }
        });
    }

    /** How many write frames were sent. */
    public synchronized long sentWrites() {
        return sequence;
    }

    private ReplicationFrame expect(byte type) throws IOException {
        ReplicationFrame frame = ReplicationFrame.readFrom(channel);
        if (frame == null) {
            throw new IOException("the secondary closed the replication link");
        }
        if (frame.type() == ReplicationFrame.ERROR) {
            throw new IOException("the secondary ended replication: " + frame.errorMessage());
        }
        if (frame.type() != type) {
            throw new IOException("the secondary sent " + ReplicationFrame.typeName(frame.type()) + " where "
                    + ReplicationFrame.typeName(type) + " was due");
        }
        return frame;
    }

    /** Runs one call under the watchdog; its failure ends the link. */
    private void run(IoAction action) throws IOException {
        if (failure != null) {
            throw new IOException("disk replication has ended: " + failure.getMessage(), failure);
        }
        if (closed) {
            throw new IOException("the disk replication client is closed");
        }
        ScheduledFuture<?> alarm = watchdog.schedule(this::expire, timeoutNanos, TimeUnit.NANOSECONDS);
        try {
            action.run();
        } catch (IOException e) {
            failure = timedOut
                    ? new IOException("the secondary made no progress within " + Duration.ofNanos(timeoutNanos)
                            + "; the replication link was closed", e)
                    : e;
            closeChannel();
            throw failure;
        } finally {
            alarm.cancel(false);
        }
    }

    private void expire() {
        timedOut = true;
        closeChannel(); // wakes the blocked call with an AsynchronousCloseException
    }

    private void closeChannel() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closed anyway.
        }
    }

    /** Closes the link (the secondary sees it end) and the watchdog. Idempotent. */
    @Override
    public void close() {
        closeChannel(); // outside the lock: a blocked call is woken by the close
        synchronized (this) {
            closed = true;
        }
        watchdog.shutdownNow();
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }
}

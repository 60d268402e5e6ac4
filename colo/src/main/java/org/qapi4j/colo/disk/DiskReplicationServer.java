package org.qapi4j.colo.disk;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The secondary's end of disk replication: listens on a TCP or Unix socket address, accepts
 * the primary (one, once: a replication that ended is not resumed, the secondary fails over
 * instead), applies its writes to a {@link PrimaryWriteSink} in the order sent, and answers
 * its barriers once every write before them is applied.
 *
 * <p>Replication ends when the link ends, when a frame is corrupt or out of sequence (it is
 * then refused, never applied, and the primary is told why), or when applying a write fails.
 * The listener hears of the end once, with its cause; not after {@link #close()}.
 */
public final class DiskReplicationServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DiskReplicationServer.class.getName());

    private final ServerSocketChannel server;
    private final SocketAddress localAddress;
    private final PrimaryWriteSink sink;
    private final Consumer<IOException> onEnd;
    private final Thread thread;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile SocketChannel primary;
    private volatile long appliedWrites;

    private DiskReplicationServer(ServerSocketChannel server, PrimaryWriteSink sink, Consumer<IOException> onEnd)
            throws IOException {
        this.server = server;
        this.localAddress = server.getLocalAddress();
        this.sink = sink;
        this.onEnd = onEnd;
        this.thread = new Thread(this::serve, "colo-disk-replication-server");
        thread.setDaemon(true);
    }

    /**
     * Listens on {@code address} (a TCP port 0 picks a free one, see {@link #localAddress()})
     * and serves the first primary that connects, in a thread of its own.
     *
     * @param onEnd hears once why replication ended (the link, a corrupt frame, a failing write)
     */
    public static DiskReplicationServer listen(SocketAddress address, PrimaryWriteSink sink,
            Consumer<IOException> onEnd) throws IOException {
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(onEnd, "onEnd");
        ServerSocketChannel server = address instanceof UnixDomainSocketAddress
                ? ServerSocketChannel.open(StandardProtocolFamily.UNIX)
                : ServerSocketChannel.open();
        try {
            server.bind(address, 1);
            DiskReplicationServer replication = new DiskReplicationServer(server, sink, onEnd);
            replication.thread.start();
            return replication;
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** The address it listens on. */
    public SocketAddress localAddress() {
        return localAddress;
    }

    /** How many of the primary's write frames were applied. */
    public long appliedWrites() {
        return appliedWrites;
    }

    private void serve() {
        try {
            SocketChannel channel = server.accept();
            primary = channel;
            closeListener(); // one primary only
            if (ended.get()) {
                channel.close();
                return;
            }
            try (channel) {
                serve(channel);
            }
        } catch (IOException e) {
            end(e);
        } catch (RuntimeException e) {
            end(new IOException("applying the primary's writes failed: " + e, e));
        }
    }

    private void serve(SocketChannel channel) throws IOException {
        try {
            ReplicationFrame hello = ReplicationFrame.readFrom(channel);
            if (hello == null || hello.type() != ReplicationFrame.HELLO) {
                throw new IOException("the primary did not start with HELLO");
            }
            ReplicationFrame.of(ReplicationFrame.HELLO, ReplicationFrame.VERSION, sink.dataBytes()).writeTo(channel);
            if (hello.sequence() != ReplicationFrame.VERSION || hello.offset() != sink.dataBytes()) {
                throw new IOException("the primary speaks protocol version " + hello.sequence() + " with a disk of "
                        + hello.offset() + " bytes; the secondary version " + ReplicationFrame.VERSION + " with "
                        + sink.dataBytes());
            }
            long applied = 0;
            while (true) {
                ReplicationFrame frame = ReplicationFrame.readFrom(channel);
                if (frame == null) {
                    throw new IOException("the primary closed the replication link");
                }
                if (frame.type() == ReplicationFrame.WRITE) {
                    if (frame.sequence() != applied + 1) {
                        throw new IOException("write " + frame.sequence() + " arrived where write " + (applied + 1)
                                + " was due");
                    }
                    try {
                        sink.applyPrimaryWrite(frame.offset(), frame.payload());
                    } catch (RuntimeException e) { // a range off the disk, a disk that failed over: told, not thrown
                        throw new IOException("write " + frame.sequence() + " of " + frame.payload().remaining()
                                + " bytes at " + frame.offset() + " cannot be applied: " + e.getMessage(), e);
                    }
                    applied++;
                    appliedWrites = applied;
                } else if (frame.type() == ReplicationFrame.BARRIER) {
                    if (frame.sequence() != applied) {
                        throw new IOException("a barrier after write " + frame.sequence() + " arrived after write "
                                + applied);
                    }
                    ReplicationFrame.of(ReplicationFrame.BARRIER_ACK, applied, 0).writeTo(channel);
                } else if (frame.type() == ReplicationFrame.ERROR) {
                    throw new IOException("the primary ended replication: " + frame.errorMessage());
                } else {
                    throw new IOException("the primary sent " + ReplicationFrame.typeName(frame.type()));
                }
            }
        } catch (IOException e) {
            if (!ended.get() && channel.isOpen()) {
                tell(channel, e);
            }
            throw e;
        }
    }

    /**
     * Best effort: the primary learns why, if the link still carries it. What the primary sent
     * and was not read is drained first (without waiting for more), since closing a socket
     * with unread input resets the link, and the reset can discard the ERROR frame unread.
     */
    private static void tell(SocketChannel channel, IOException why) {
        try {
            ReplicationFrame.error(String.valueOf(why.getMessage())).writeTo(channel);
            channel.shutdownOutput();
            channel.configureBlocking(false);
            ByteBuffer sink = ByteBuffer.allocate(64 * 1024);
            for (int i = 0; i < 64 && channel.read(sink) > 0; i++) {
                sink.clear();
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "telling the primary why replication ended", e);
        }
    }

    private void end(IOException cause) {
        if (ended.compareAndSet(false, true)) {
            closeListener();
            onEnd.accept(cause);
        }
    }

    private void closeListener() {
        try {
            server.close();
            if (localAddress instanceof UnixDomainSocketAddress) {
                Files.deleteIfExists(((UnixDomainSocketAddress) localAddress).getPath());
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the replication listener", e);
        }
    }

    /** Stops listening and ends the link without telling the listener; waits for the thread. Idempotent. */
    @Override
    public void close() {
        ended.set(true);
        closeListener();
        SocketChannel channel = primary;
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Closed anyway.
            }
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

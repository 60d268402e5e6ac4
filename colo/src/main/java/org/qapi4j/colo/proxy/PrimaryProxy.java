package org.qapi4j.colo.proxy;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.qapi4j.colo.compare.OutputComparator;
import org.qapi4j.colo.compare.Side;
import org.qapi4j.vmm.machine.device.Nic;
import org.qapi4j.vmm.machine.device.NicFrame;
import org.qapi4j.vmm.machine.device.NicReplication;

/**
 * The primary's side of the NIC proxy (QEMU's filter-mirror and colo-compare): each frame its
 * guest is given is mirrored to the secondary, in the same order, so both guests see the same
 * input; each answer of its guest goes to the {@link OutputComparator} with the checkpoint epoch
 * it was given in, as does each answer the secondary sends back. The comparator releases the
 * primary's answers to their clients through {@link Nic#release}.
 */
public final class PrimaryProxy implements NicReplication, AutoCloseable {
    private final ProxyLink link;
    private final Nic nic;
    private final OutputComparator comparator;
    private final AtomicLong epoch = new AtomicLong();
    private final LinkedBlockingQueue<ProxyLink.Mirror> toMirror = new LinkedBlockingQueue<>();
    private final Thread sender;
    private final Thread receiver;
    private volatile boolean closed;
    private volatile NicReplication afterClose;

    private PrimaryProxy(ProxyLink link, Nic nic, OutputComparator comparator, Consumer<IOException> onLinkLost) {
        this.link = link;
        this.nic = nic;
        this.comparator = comparator;
        this.sender = new Thread(() -> send(onLinkLost), "colo-mirror-out");
        this.receiver = new Thread(() -> receive(onLinkLost), "colo-compare-in");
        sender.setDaemon(true);
        receiver.setDaemon(true);
    }

    /**
     * Opens the proxy link on {@code channel} and routes {@code nic} through it.
     *
     * @param onLinkLost told (maybe twice, once per direction) if the link fails while COLO runs
     */
    public static PrimaryProxy open(SocketChannel channel, Nic nic, OutputComparator comparator,
            Consumer<IOException> onLinkLost) throws IOException {
        PrimaryProxy proxy = new PrimaryProxy(ProxyLink.open(channel), nic, comparator, onLinkLost);
        proxy.sender.start();
        proxy.receiver.start();
        nic.replicate(proxy);
        return proxy;
    }

    /**
     * As {@link #open(SocketChannel, Nic, OutputComparator, Consumer)}; once the proxy closes, the
     * NIC's answers go through {@code afterClose} (the arbiter's gate) instead of straight out.
     */
    public static PrimaryProxy open(SocketChannel channel, Nic nic, OutputComparator comparator,
            Consumer<IOException> onLinkLost, NicReplication afterClose) throws IOException {
        PrimaryProxy proxy = open(channel, nic, comparator, onLinkLost);
        proxy.afterClose = afterClose;
        return proxy;
    }

    /** The guest stopped for checkpoint {@code n}: its answers from now on are of epoch {@code n}. */
    public void checkpointStarted(long n) {
        epoch.set(n);
        comparator.checkpointStarted(n);
    }

    @Override
    public void queued(long seq, NicFrame frame) {
        if (!closed) {
            toMirror.add(new ProxyLink.Mirror(seq, frame));
        }
    }

    @Override
    public boolean answered(int connection, byte[] line) {
        if (closed) {
            return false;
        }
        comparator.primaryOutput(connection, epoch.get(), line);
        return true;
    }

    private void send(Consumer<IOException> onLinkLost) {
        try {
            while (!closed) {
                ProxyLink.Mirror mirror = toMirror.take();
                if (mirror.frame() == null) {
                    return;
                }
                link.sendMirror(mirror.seq(), mirror.frame());
            }
        } catch (IOException e) {
            if (!closed) {
                onLinkLost.accept(e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void receive(Consumer<IOException> onLinkLost) {
        try {
            while (!closed) {
                if (link.receive() instanceof ProxyLink.Output output) {
                    comparator.secondaryOutput(output.connection(), output.epoch(), output.line());
                }
            }
        } catch (IOException e) {
            if (!closed) {
                onLinkLost.accept(e);
            }
        }
    }

    /**
     * The primary goes on alone (a failover, or the secondary lost): every answer held is
     * released in order, and answers go straight to clients from now on.
     */
    @Override
    public void close() {
        closed = true;
        nic.replicate(afterClose);
        comparator.failover(Side.PRIMARY);
        toMirror.add(new ProxyLink.Mirror(-1, null));
        link.close();
    }
}

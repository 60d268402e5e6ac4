package org.qapi4j.colo.proxy;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.qapi4j.vmm.machine.device.Nic;
import org.qapi4j.vmm.machine.device.NicFrame;
import org.qapi4j.vmm.machine.device.NicReplication;

/**
 * The secondary's side of the NIC proxy: its guest's input is what the primary mirrors (QEMU's
 * filter-redirector into the secondary), its guest's answers go back to the primary to be
 * compared instead of to clients, tagged with the checkpoint epoch they were given in. Clients
 * are refused here until a failover ({@link #close}) hands the NIC back to them.
 */
public final class SecondaryProxy implements NicReplication, AutoCloseable {
    private final ProxyLink link;
    private final Nic nic;
    private final AtomicLong epoch = new AtomicLong();
    private final Thread receiver;
    private volatile boolean closed;

    private SecondaryProxy(ProxyLink link, Nic nic, Consumer<IOException> onLinkLost) {
        this.link = link;
        this.nic = nic;
        this.receiver = new Thread(() -> receive(onLinkLost), "colo-proxy-in");
        receiver.setDaemon(true);
    }

    /**
     * Accepts the primary's proxy link on {@code channel} and puts {@code nic} in mirrored mode.
     *
     * @param onLinkLost told once if the link fails while COLO runs
     */
    public static SecondaryProxy accept(SocketChannel channel, Nic nic, Consumer<IOException> onLinkLost)
            throws IOException {
        SecondaryProxy proxy = new SecondaryProxy(ProxyLink.accept(channel), nic, onLinkLost);
        nic.mirrored(true);
        nic.replicate(proxy);
        proxy.receiver.start();
        return proxy;
    }

    /** A checkpoint was loaded: the guest's answers from now on are of the next epoch. */
    public void checkpointLoaded(long checkpoint) {
        epoch.set(checkpoint);
    }

    @Override
    public void queued(long seq, NicFrame frame) {
        // The secondary's input comes from the primary; nothing to pass on.
    }

    @Override
    public boolean answered(int connection, byte[] line) {
        if (closed) {
            return false;
        }
        try {
            link.sendOutput(connection, epoch.get(), line);
        } catch (IOException e) {
            // The link is gone; the receiver reports it. The answer is dropped: no client saw it.
        }
        return true;
    }

    private void receive(Consumer<IOException> onLinkLost) {
        try {
            while (!closed) {
                if (link.receive() instanceof ProxyLink.Mirror mirror) {
                    nic.inject(mirror.seq(), mirror.frame());
                }
            }
        } catch (IOException e) {
            if (!closed) {
                onLinkLost.accept(e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Failover, or the end: the NIC serves clients again, its mirrored connections closed. */
    @Override
    public void close() {
        closed = true;
        nic.replicate(null);
        nic.mirrored(false);
        link.close();
    }
}

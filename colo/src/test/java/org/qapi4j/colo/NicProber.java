package org.qapi4j.colo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.qapi4j.vmm.process.KvClient;

/**
 * Asks a NIC (a secondary's, which must not serve) for a key every few milliseconds, each time
 * on a new connection, and records every answer but COLO's refusal: a side that must stay silent
 * has released output if {@link #served} is not empty.
 */
final class NicProber extends Thread {
    private final InetSocketAddress nic;
    final AtomicLong probes = new AtomicLong();
    final List<String> served = new CopyOnWriteArrayList<>();
    volatile boolean stopping;

    NicProber(InetSocketAddress nic) {
        super("nic-prober");
        this.nic = nic;
        setDaemon(true);
    }

    @Override
    public void run() {
        while (!stopping) {
            try (KvClient client = new KvClient(nic)) {
                client.timeout(1000);
                String answer = client.call("GET c0-k0");
                if (answer != null && !answer.startsWith("ERR not serving")) {
                    served.add(answer);
                }
            } catch (IOException e) {
                // refused or closed: not serving
            }
            probes.incrementAndGet();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops probing and waits for the last probe. */
    void finish() throws InterruptedException {
        stopping = true;
        join(10_000);
    }
}

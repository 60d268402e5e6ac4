package org.qapi4j.colo.secondary;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.PrintStream;
import org.qapi4j.colo.CheckpointStats;
import org.qapi4j.colo.ColoDisk;
import org.qapi4j.colo.ColoState;
import org.qapi4j.colo.Failover;
import org.qapi4j.colo.GuestControl;
import org.qapi4j.colo.disk.DiskRole;
import org.qapi4j.colo.protocol.ColoChannel;
import org.qapi4j.colo.protocol.FaultInjector;
import org.qapi4j.colo.proxy.SecondaryProxy;
import org.qapi4j.vmm.api.COLOMessage;
import org.qapi4j.vmm.api.COLOMode;
import org.qapi4j.vmm.api.FailoverStatus;
import org.qapi4j.vmm.machine.Machine;
import org.qapi4j.vmm.migration.ColoHook;
import org.qapi4j.vmm.migration.stream.StreamException;
import org.qapi4j.vmm.migration.stream.StreamReader;

/**
 * The secondary's COLO thread ({@code colo_process_incoming_thread}): its guest runs on its own
 * RAM with the same input as the primary's; at each checkpoint it stops, loads the primary's
 * dirty pages into the {@link RamCache} and the device state aside, confirms {@code
 * vmstate-received}, and only then applies the checkpoint whole: RAM, devices, disk. A
 * checkpoint that did not arrive whole is dropped whole, so the guest never runs on a half-loaded
 * state, and one that did arrive is always applied, since the primary releases output on it.
 *
 * <p>On a fault (the primary gone) it sends COLO_EXIT {@code error} and, as QEMU's, waits for
 * {@code x-colo-lost-heartbeat}: it never takes over by itself. On failover it stops the guest,
 * ends the migration ({@code completed}), hands the NIC to clients, commits its disk, sends
 * COLO_EXIT {@code request} (unless it sent {@code error}) and runs the guest on.
 */
public final class ColoSecondary {
    private final GuestControl guest;
    private final ColoState state;
    private final CheckpointStats stats;
    private final DiskRole diskRole;
    private ColoDisk disk = ColoDisk.NONE;
    private final PrintStream stderr;
    private final String program;
    private final FaultInjector faults;
    private final Object loading = new Object();
    private boolean applying;
    private ColoHook.Link link;

    /** @param diskRole the machine's disk as COLO sees it; null without a disk */
    public ColoSecondary(GuestControl guest, ColoState state, CheckpointStats stats, DiskRole diskRole,
            PrintStream stderr, String program, FaultInjector faults) {
        this.guest = guest;
        this.state = state;
        this.stats = stats;
        this.diskRole = diskRole;
        this.stderr = stderr;
        this.program = program;
        this.faults = faults;
    }

    public void run(ColoHook.Link coloLink) throws IOException {
        this.link = coloLink;
        Machine machine = guest.vm().machine();
        SecondaryProxy proxy = SecondaryProxy.accept(link.extraChannel(), machine.nic(), this::linkLost);
        RamCache cache = RamCache.of(machine.ram());
        try {
            state.enter(COLOMode.Known.SECONDARY, this::failoverRequested);
            link.startGuest();
            ColoChannel channel = new ColoChannel(link, faults);
            try {
                channel.send(COLOMessage.Known.CHECKPOINT_READY, startDiskReplication());
                for (long n = 1; ; n++) {
                    checkpoint(channel, cache, machine, proxy, n);
                }
            } catch (IOException e) {
                if (!state.failoverRequested()) {
                    stderr.println(program + ": " + Failover.describe(e));
                    state.faulted();
                    awaitFailoverRequest();
                }
            }
            failover(proxy);
        } finally {
            releaseLater(cache);
        }
    }

    /**
     * The cache is as large as the guest's RAM and all of it allocated: handing it back takes the
     * kernel a few milliseconds of a core, which right after a failover would delay the
     * survivor's first answers. So it goes a second later, on a thread of its own.
     */
    private static void releaseLater(RamCache cache) {
        Thread release = new Thread(() -> {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            cache.close();
        }, "colo-cache-release");
        release.setDaemon(true);
        release.start();
    }

    /**
     * The disk's part of COLO's entry: a replication server beside the migration's address,
     * whose port (1 for a Unix socket, whose path the primary derives) {@code checkpoint-ready}
     * carries to the primary; 0 without a disk.
     */
    private long startDiskReplication() throws IOException {
        if (diskRole == null) {
            return 0;
        }
        DiskRole.Secondary role = diskRole.secondary(DiskRole.listenBeside(link.channel().getLocalAddress()), stderr,
                program);
        disk = role;
        return role.address() instanceof java.net.InetSocketAddress inet ? inet.getPort() : 1;
    }

    /** One checkpoint, from the request to {@code vmstate-loaded}. */
    private void checkpoint(ColoChannel channel, RamCache cache, Machine machine, SecondaryProxy proxy, long n)
            throws IOException {
        StreamReader.Section request = channel.in().next();
        channel.checkpoint(n);
        channel.received(request, COLOMessage.Known.CHECKPOINT_REQUEST);
        long start = System.nanoTime();
        guest.stopForCheckpoint();
        channel.send(COLOMessage.Known.CHECKPOINT_REPLY);
        channel.expect(COLOMessage.Known.VMSTATE_SEND);
        long pages = 0;
        long size = -1;
        StreamReader.Devices devices = null;
        long bytesBefore = channel.in().bytesRead();
        while (true) {
            StreamReader.Section section = channel.in().next();
            switch (section.kind()) {
                case PAGES -> pages += channel.in().loadPages(section, cache.cache());
                case COLO -> size = channel.received(section, COLOMessage.Known.VMSTATE_SIZE);
                case DEVICES -> devices = StreamReader.devices(section);
                case END -> {
                    if (size < 0 || devices == null) {
                        throw new StreamException("checkpoint " + n + " ended without its device state");
                    }
                    if (devices.state().length != size) {
                        throw new StreamException(String.format("Got %d VMState data, less than expected %d",
                                devices.state().length, size));
                    }
                    long received = System.nanoTime();
                    apply(channel, cache, machine, proxy, devices, n);
                    long loaded = System.nanoTime();
                    stats.checkpoint(channel.in().bytesRead() - bytesBefore, pages, loaded - start, 0, received - start,
                            loaded - received);
                    return;
                }
                default -> throw new StreamException("unexpected " + section.kind() + " section in checkpoint " + n);
            }
        }
    }

    /**
     * The checkpoint arrived whole: confirm it, then apply it, whatever happens meanwhile (a
     * failover request waits: QEMU's {@code relaunch}).
     */
    private void apply(ColoChannel channel, RamCache cache, Machine machine, SecondaryProxy proxy,
            StreamReader.Devices devices, long n) throws IOException {
        synchronized (loading) {
            applying = true;
        }
        try {
            channel.send(COLOMessage.Known.VMSTATE_RECEIVED);
        } catch (IOException e) {
            // The primary may release output on what it sent: the checkpoint is applied all the same.
        }
        try {
            cache.apply();
            machine.loadDevices(new DataInputStream(new ByteArrayInputStream(devices.state())));
            disk.checkpoint();
            proxy.checkpointLoaded(n);
            guest.start();
        } finally {
            synchronized (loading) {
                applying = false;
            }
        }
        if (state.failover(FailoverStatus.Known.RELAUNCH, FailoverStatus.Known.REQUIRE)) {
            throw new IOException("failover request"); // without vmstate-loaded, as QEMU
        }
        channel.send(COLOMessage.Known.VMSTATE_LOADED);
    }

    /** x-colo-lost-heartbeat: during a load, after it (relaunch); otherwise at once. */
    private void failoverRequested() {
        synchronized (loading) {
            if (applying && state.failover(FailoverStatus.Known.REQUIRE, FailoverStatus.Known.RELAUNCH)) {
                return;
            }
            loading.notifyAll();
        }
        closeQuietly();
    }

    private void linkLost(IOException e) {
        closeQuietly();
    }

    private void awaitFailoverRequest() {
        synchronized (loading) {
            while (!state.failoverRequested()) {
                try {
                    loading.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void failover(SecondaryProxy proxy) {
        faults.failover();
        state.failover(FailoverStatus.Known.REQUIRE, FailoverStatus.Known.ACTIVE);
        guest.failover(() -> Failover.leaveColo(link, proxy::close, disk, state, stderr, program));
    }

    private void closeQuietly() {
        try {
            link.channel().close();
        } catch (IOException ignored) {
            // the channel is going away either way
        }
    }
}

package org.qapi4j.colo.primary;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.qapi4j.colo.CheckpointStats;
import org.qapi4j.colo.ColoDisk;
import org.qapi4j.colo.ColoState;
import org.qapi4j.colo.Failover;
import org.qapi4j.colo.GuestControl;
import org.qapi4j.colo.arbiter.FencedOutput;
import org.qapi4j.colo.disk.DiskRole;
import org.qapi4j.colo.compare.OutputComparator;
import org.qapi4j.colo.compare.OutputListener;
import org.qapi4j.colo.protocol.ColoChannel;
import org.qapi4j.colo.protocol.FaultInjector;
import org.qapi4j.colo.proxy.PrimaryProxy;
import org.qapi4j.vmm.api.COLOMessage;
import org.qapi4j.vmm.api.COLOMode;
import org.qapi4j.vmm.api.FailoverStatus;
import org.qapi4j.vmm.machine.Machine;
import org.qapi4j.vmm.machine.memory.GuestRam;
import org.qapi4j.vmm.migration.ColoHook;
import org.qapi4j.vmm.migration.settings.MigrationSettings;
import org.qapi4j.vmm.migration.stream.StreamWriter;

/**
 * The primary's COLO thread ({@code colo_process_checkpoint}): waits for the secondary's {@code
 * checkpoint-ready}, runs its guest, and takes a checkpoint whenever {@link CheckpointTrigger}
 * says: both guests stop, the dirty pages and the device state go to the secondary, and once it
 * confirms {@code vmstate-received} the answers the primary's guest gave before the stop are
 * released to their clients; on {@code vmstate-loaded} both run on.
 *
 * <p>Where it differs from QEMU 7.2 on purpose: when the secondary is lost (the link fails), the
 * primary sends COLO_EXIT {@code error} and goes on alone at once, releasing what it held, where
 * QEMU's primary stalls until someone sends {@code x-colo-lost-heartbeat}. The secondary never
 * takes over by itself, so going on cannot make two replicas serve; it only spares the clients
 * an outage that needs a human to end.
 */
public final class ColoPrimary {
    private static final long COMPARE_SCAN_MILLIS = 1000;
    /**
     * How long a checkpoint may wait on the secondary before the link is taken as lost: a
     * silent partition (nothing passes, nothing is closed) would otherwise stall the primary,
     * its guest stopped and its output held, for good.
     */
    static final long CHECKPOINT_TIMEOUT_MILLIS = 10_000;

    private final GuestControl guest;
    private final ColoState state;
    private final MigrationSettings settings;
    private final DiskRole diskRole;
    private ColoDisk disk = ColoDisk.NONE;
    private final PrintStream stderr;
    private final String program;
    private final FaultInjector faults;
    private final CheckpointTrigger trigger = new CheckpointTrigger();
    private final OutputComparator comparator;
    private final CheckpointStats stats;
    private final org.qapi4j.colo.CheckpointLog checkpointLog = org.qapi4j.colo.CheckpointLog.fromEnvironment();
    private ColoHook.Link link;
    private final FencedOutput fenced;
    private ScheduledExecutorService scanner;

    /** @param diskRole the machine's disk as COLO sees it; null without a disk */
    public ColoPrimary(GuestControl guest, ColoState state, MigrationSettings settings, DiskRole diskRole,
            PrintStream stderr, String program, FaultInjector faults) {
        this(guest, state, settings, diskRole, stderr, program, faults, null);
    }

    /**
     * @param fenced with {@code --colo-arbiter}: the lease's gate, which every answer released
     *     (by the comparator, and after the failover straight from the NIC) passes; null without
     */
    public ColoPrimary(GuestControl guest, ColoState state, MigrationSettings settings, DiskRole diskRole,
            PrintStream stderr, String program, FaultInjector faults, FencedOutput fenced) {
        this.fenced = fenced;
        this.guest = guest;
        this.state = state;
        this.settings = settings;
        this.diskRole = diskRole;
        this.stderr = stderr;
        this.program = program;
        this.faults = faults;
        Machine machine = guest.vm().machine();
        this.comparator = new OutputComparator(OutputListener.of(fenced != null ? fenced : machine.nic()::release,
                reason -> trigger.request(CheckpointTrigger.Reason.valueOf(reason.name()))));
        this.stats = new CheckpointStats(comparator::stats);
    }

    /** {@code x-checkpoint-delay} was set (changed or not): a checkpoint at once, as QEMU. */
    public void checkpointDelaySet() {
        if (state.mode() == COLOMode.Known.PRIMARY) {
            trigger.request(CheckpointTrigger.Reason.DELAY_CHANGED);
        }
    }

    public CheckpointStats stats() {
        return stats;
    }

    public void run(ColoHook.Link coloLink) throws IOException {
        this.link = coloLink;
        Machine machine = guest.vm().machine();
        PrimaryProxy proxy = PrimaryProxy.open(link.extraChannel(), machine.nic(), comparator, this::linkLost, fenced);
        ColoChannel channel = new ColoChannel(link, faults);
        java.util.concurrent.ScheduledThreadPoolExecutor executor = new java.util.concurrent.ScheduledThreadPoolExecutor(1,
                runnable -> {
                    Thread thread = new Thread(runnable, "colo-compare-scan");
                    thread.setDaemon(true);
                    return thread;
                });
        executor.setRemoveOnCancelPolicy(true); // each checkpoint's watchdog, cancelled, leaves no task behind
        scanner = executor;
        state.enter(COLOMode.Known.PRIMARY, trigger::stop);
        try {
            enter(channel);
            guest.start();
            scanner.scheduleWithFixedDelay(comparator::poll, COMPARE_SCAN_MILLIS, COMPARE_SCAN_MILLIS,
                    TimeUnit.MILLISECONDS);
            for (long n = 1; ; n++) {
                CheckpointTrigger.Reason why = trigger.await(settings::checkpointDelayMillis);
                if (why == null || state.failoverRequested()) {
                    break;
                }
                checkpoint(channel, machine, proxy, n);
            }
        } catch (IOException e) {
            if (!state.failoverRequested()) {
                stderr.println(program + ": " + Failover.describe(e));
                state.faulted();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            scanner.shutdownNow();
            checkpointLog.close();
        }
        failover(proxy);
    }

    /**
     * The disk's part of COLO's entry, while the guest is still stopped: connect to the
     * secondary's replication server (its port came with {@code checkpoint-ready}; for a Unix
     * socket, its path is the migration socket's plus {@code .disk}) and bring its disk up to ours.
     */
    private void startDiskReplication(long port) throws IOException {
        if (diskRole == null || port == 0) {
            return;
        }
        java.net.SocketAddress migration = link.channel().getRemoteAddress();
        java.net.SocketAddress address = migration instanceof java.net.InetSocketAddress inet
                ? new java.net.InetSocketAddress(inet.getAddress(), (int) port)
                : java.net.UnixDomainSocketAddress.of(((java.net.UnixDomainSocketAddress) migration).getPath() + ".disk");
        disk = diskRole.primary(address, stderr, program);
    }

    /**
     * COLO's entry, checkpoint 0: the secondary's {@code checkpoint-ready}, then the disk, under
     * the same watchdog as a checkpoint (a silent partition here would hold the guest stopped).
     */
    private void enter(ColoChannel channel) throws IOException {
        java.util.concurrent.ScheduledFuture<?> watchdog = scanner.schedule(() -> stalled("COLO's entry"),
                CHECKPOINT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        try {
            startDiskReplication(channel.expect(COLOMessage.Known.CHECKPOINT_READY));
        } finally {
            watchdog.cancel(false);
        }
    }

    /** One checkpoint, QEMU's {@code colo_do_checkpoint_transaction}, timed phase by phase. */
    private void checkpoint(ColoChannel channel, Machine machine, PrimaryProxy proxy, long n) throws IOException {
        java.util.concurrent.ScheduledFuture<?> watchdog = scanner.schedule(() -> stalled("COLO checkpoint " + n),
                CHECKPOINT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        try {
            transaction(channel, machine, proxy, n);
        } finally {
            watchdog.cancel(false);
        }
    }

    /** The checkpoint did not end in time: the link is closed, which ends its blocked read or write. */
    private void stalled(String what) {
        stderr.println(program + ": " + what + " had no answer from the secondary in "
                + CHECKPOINT_TIMEOUT_MILLIS + " ms: the link is taken as lost");
        try {
            link.channel().close();
        } catch (IOException ignored) {
            // closed is what we want
        }
    }

    /** The checkpoint's messages and phases, as QEMU's transaction, under {@link #checkpoint}'s watchdog. */
    private void transaction(ColoChannel channel, Machine machine, PrimaryProxy proxy, long n) throws IOException {
        channel.checkpoint(n);
        channel.send(COLOMessage.Known.CHECKPOINT_REQUEST);
        channel.expect(COLOMessage.Known.CHECKPOINT_REPLY);
        long pauseStart = System.nanoTime();
        guest.stopForCheckpoint();
        proxy.checkpointStarted(n);
        disk.checkpoint();
        ByteArrayOutputStream devices = new ByteArrayOutputStream();
        machine.saveDevices(new DataOutputStream(devices));
        StreamWriter out = channel.out();
        long bytesBefore = out.bytesSent();
        channel.send(COLOMessage.Known.VMSTATE_SEND);
        link.synced();
        long pages = sendDirtyPages(machine.ram(), out);
        channel.send(COLOMessage.Known.VMSTATE_SIZE, devices.size());
        out.devices("colo", devices.toByteArray());
        out.end();
        long sent = System.nanoTime();
        channel.expect(COLOMessage.Known.VMSTATE_RECEIVED);
        long received = System.nanoTime();
        // Requests that came during this checkpoint are answered by it (QEMU resets its event here).
        trigger.discardPending();
        comparator.checkpointCovered(n);
        channel.expect(COLOMessage.Known.VMSTATE_LOADED);
        long loaded = System.nanoTime();
        guest.start();
        long resumed = System.nanoTime();
        stats.checkpoint(out.bytesSent() - bytesBefore, pages, resumed - pauseStart, sent - pauseStart,
                received - sent, loaded - received);
        checkpointLog.checkpoint(n, resumed - pauseStart, sent - pauseStart, received - sent, loaded - received, pages,
                out.bytesSent() - bytesBefore);
    }

    private static long sendDirtyPages(GuestRam ram, StreamWriter out) throws IOException {
        long[] dirty = ram.dirtyLog().takeAndClear();
        long pages = 0;
        for (int w = 0; w < dirty.length; w++) {
            long word = dirty[w];
            while (word != 0) {
                int bit = Long.numberOfTrailingZeros(word);
                word &= word - 1;
                out.page(ram, ((long) w << 6) + bit);
                pages++;
            }
        }
        out.flushPages();
        return pages;
    }

    private void linkLost(IOException e) {
        trigger.request(CheckpointTrigger.Reason.PERIODIC); // wake the thread, whose next message fails
        try {
            link.channel().close();
        } catch (IOException ignored) {
            // closing is what we want
        }
    }

    /**
     * The primary goes on alone: the guest stops if it runs (STOP), the migration completes,
     * the held answers go out, COLO_EXIT (unless an error already went), the guest runs on.
     */
    private void failover(PrimaryProxy proxy) {
        faults.failover();
        boolean requested = state.failover(FailoverStatus.Known.REQUIRE, FailoverStatus.Known.ACTIVE);
        if (requested && guest.isRunning()) {
            guest.stopForCheckpoint();
        }
        Failover.leaveColo(link, proxy::close, disk, state, stderr, program);
        if (!guest.isRunning()) {
            guest.start();
        }
    }
}

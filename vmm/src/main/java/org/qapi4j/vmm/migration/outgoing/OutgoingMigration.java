package org.qapi4j.vmm.migration.outgoing;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import org.qapi4j.vmm.api.MigrationCapability;
import org.qapi4j.vmm.api.MigrationStatus;
import org.qapi4j.vmm.machine.Machine;
import org.qapi4j.vmm.machine.memory.DirtyLog;
import org.qapi4j.vmm.machine.memory.GuestRam;
import org.qapi4j.vmm.migration.ColoHook;
import org.qapi4j.vmm.migration.ColoLink;
import org.qapi4j.vmm.migration.MigrationFaults;
import org.qapi4j.vmm.migration.MigrationUri;
import org.qapi4j.vmm.migration.settings.MigrationSettings;
import org.qapi4j.vmm.migration.stream.SectionKind;
import org.qapi4j.vmm.migration.stream.StreamException;
import org.qapi4j.vmm.migration.stream.StreamHeader;
import org.qapi4j.vmm.migration.stream.StreamReader;
import org.qapi4j.vmm.migration.stream.StreamWriter;
import org.qapi4j.vmm.runstate.MigrationRunStateRules.MigrationEnd;

/**
 * An outgoing precopy migration, on a thread of its own (QEMU's {@code migration_thread}):
 * connect; send the header; pass over the pages the dirty log names (all of them first) while
 * the guest runs, until what is left fits {@code downtime-limit} at the measured throughput;
 * then stop the guest, send the last dirty pages, the device state and the end; wait for the
 * destination's {@code READY}; send {@code GO}; done. Any failure, or {@code migrate_cancel},
 * leaves the guest where it was: running again if the switch-over had stopped it.
 */
public final class OutgoingMigration implements Runnable {
    /** What {@code query-migrate} and the events see of this migration. */
    public interface Progress {
        /** Moves the status, sending MIGRATION; false if it was no longer {@code from}. */
        boolean move(MigrationStatus.Known from, MigrationStatus.Known to);

        MigrationStatus.Known status();

        void fail(String why);

        /** A sync of the dirty log; returns its number, which MIGRATION_PASS carries. */
        long synced();

        void pageSent(boolean zero);

        void bytesSent(long bytes, boolean downtime);

        void remainingPages(long pages);

        void rates(double mbps, long pagesPerSecond, long dirtyPagesRate);

        void expectedDowntime(long millis);

        void downtime(long millis);

        void throttle(int percent);
    }

    private final MigrationUri uri;
    private final SourceMachine source;
    private final MigrationSettings settings;
    private final Progress progress;
    private final RateLimiter limiter;
    private final ColoHook colo;
    private final MigrationFaults faults;
    private volatile SocketChannel channel;
    private volatile boolean cancelled;
    private boolean stopped;
    private boolean wasRunning;
    private long sentBefore;
    private long lastDirtyRate;
    private long activeSince = System.nanoTime();

    /** @param colo where COLO takes over with capability {@code x-colo}; null: COLO is not available */
    public OutgoingMigration(MigrationUri uri, SourceMachine source, MigrationSettings settings, Progress progress,
            ColoHook colo) {
        this(uri, source, settings, progress, colo, MigrationFaults.NONE);
    }

    /** @param faults the points where a test injects faults into this source ({@link MigrationFaults#NONE}) */
    public OutgoingMigration(MigrationUri uri, SourceMachine source, MigrationSettings settings, Progress progress,
            ColoHook colo, MigrationFaults faults) {
        this.faults = Objects.requireNonNull(faults, "faults");
        this.uri = Objects.requireNonNull(uri, "uri");
        this.source = Objects.requireNonNull(source, "source");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.progress = Objects.requireNonNull(progress, "progress");
        this.limiter = new RateLimiter(settings::maxBandwidth);
        this.colo = colo;
    }

    /**
     * {@code migrate_cancel}: the status becomes {@code cancelling} and the connection is shut,
     * which ends the thread's next read or write; the thread then reports {@code cancelled}.
     */
    public void cancel() {
        MigrationStatus.Known status = progress.status();
        if (status != MigrationStatus.Known.SETUP && status != MigrationStatus.Known.ACTIVE) {
            return;
        }
        cancelled = true;
        progress.move(status, MigrationStatus.Known.CANCELLING);
        SocketChannel open = channel;
        if (open != null) {
            try {
                open.close();
            } catch (IOException ignored) {
                // closed is what we wanted
            }
        }
    }

    @Override
    public void run() {
        Machine machine = source.machine();
        try {
            channel = connect();
            if (cancelled) {
                throw new IOException("cancelled");
            }
            boolean wasColo = migrate(machine, channel);
            machine.throttle(0);
            if (wasColo) {
                // A failover ended COLO: the guest runs on here, alone (QEMU: colo -> completed).
                progress.move(MigrationStatus.Known.COLO, MigrationStatus.Known.COMPLETED);
            } else {
                progress.move(MigrationStatus.Known.ACTIVE, MigrationStatus.Known.COMPLETED);
                source.finished(MigrationEnd.COMPLETED, wasRunning);
            }
        } catch (IOException | RuntimeException e) {
            machine.throttle(0);
            progress.throttle(0);
            if (cancelled) {
                progress.move(MigrationStatus.Known.CANCELLING, MigrationStatus.Known.CANCELLED);
                source.finished(MigrationEnd.CANCELLED, stopped && wasRunning);
            } else {
                progress.fail(describe(e));
                source.finished(MigrationEnd.FAILED, stopped && wasRunning);
            }
        } finally {
            SocketChannel open = channel;
            if (open != null) {
                try {
                    open.close();
                } catch (IOException ignored) {
                    // the migration is over either way
                }
            }
        }
    }

    /** QEMU's texts for a connection that fails ({@code socket_outgoing_migration}). */
    private SocketChannel connect() throws IOException {
        try {
            return uri.connect();
        } catch (java.nio.channels.UnresolvedAddressException e) {
            throw new IOException("address resolution failed for " + uri.text().substring(uri.text().indexOf(':') + 1)
                    + ": Name or service not known", e);
        } catch (IOException e) {
            String where = uri.text().substring(uri.text().indexOf(':') + 1);
            throw new IOException("Failed to connect to '" + where + "': " + e.getMessage(), e);
        }
    }

    /** @return true when the migration went on as COLO, which a failover has ended */
    private boolean migrate(Machine machine, SocketChannel channel) throws IOException {
        GuestRam ram = machine.ram();
        DirtyLog log = ram.dirtyLog();
        StreamWriter out = new StreamWriter(channel, limiter);
        out.start(StreamHeader.of(GuestRam.PAGE_SIZE, ram.size(), machine.programName()));
        log.markAll();
        progress.expectedDowntime(settings.downtimeLimitMillis());
        long start = System.nanoTime();
        ThroughputMeter meter = new ThroughputMeter(start, 0);
        AutoConverge autoConverge = new AutoConverge(settings, start, 0);
        long[] dirty = sync(log, autoConverge, out);
        if (!progress.move(MigrationStatus.Known.SETUP, MigrationStatus.Known.ACTIVE)) {
            throw new IOException("cancelled");
        }
        activeSince = System.nanoTime();
        for (long pass = 1; ; pass++) {
            faults.precopyPass(pass);
            sendPages(ram, dirty, out, meter);
            long pending = log.dirtyCount();
            long now = System.nanoTime();
            double bytesPerMilli = Math.max(meter.bytesPerMilli(now, out.bytesSent()), 1);
            long pendingBytes = pending * GuestRam.PAGE_SIZE;
            if (lastDirtyRate != 0) {
                // QEMU moves its estimate off downtime-limit only once the guest is seen dirtying.
                progress.expectedDowntime((long) (pendingBytes / bytesPerMilli));
            }
            if (pendingBytes <= bytesPerMilli * settings.downtimeLimitMillis()) {
                break;
            }
            dirty = sync(log, autoConverge, out);
        }
        return switchOver(machine, ram, log, out, meter, channel);
    }

    /**
     * The guest stops; the rest goes; the destination confirms; the guest is given up, or, with
     * {@code x-colo}, COLO begins with the guest on both sides.
     *
     * @return whether COLO ran
     */
    private boolean switchOver(Machine machine, GuestRam ram, DirtyLog log, StreamWriter out, ThroughputMeter meter,
            SocketChannel channel) throws IOException {
        limiter.unlimited();
        // Made before the guest stops: nothing on the downtime's path but the stream itself.
        StreamReader answers = new StreamReader(channel);
        ByteArrayOutputStream devices = new ByteArrayOutputStream();
        SourceMachine.Stopped stop = source.stopForSwitchover();
        long downtimeStart = System.nanoTime();
        stopped = true;
        wasRunning = stop.wasRunning();
        faults.switchover();
        machine.throttle(0);
        progress.throttle(0);
        sendPages(ram, sync(log, null, out), out, meter);
        machine.saveDevices(new DataOutputStream(devices));
        out.devices(stop.runState(), devices.toByteArray());
        boolean withColo = colo != null && settings.isOn(MigrationCapability.Known.X_COLO);
        if (withColo) {
            out.signal(SectionKind.COLO_ENABLE);
        }
        out.end();
        sentBefore = out.bytesSent(); // device state is not RAM: QEMU counts it in no ram member
        StreamReader.Section answer;
        try {
            answer = answers.next();
        } catch (EOFException e) {
            throw new IOException("the destination closed the connection before it confirmed the migration");
        }
        if (answer.kind() == SectionKind.REFUSED) {
            throw new StreamException("the destination refused the migration: " + StreamReader.reason(answer));
        }
        if (answer.kind() != SectionKind.READY) {
            throw new StreamException("the destination answered with a " + answer.kind() + " section instead of READY");
        }
        out.signal(SectionKind.GO);
        if (withColo) {
            progress.move(MigrationStatus.Known.ACTIVE, MigrationStatus.Known.COLO);
            colo.runPrimary(new ColoLink(channel, answers, out, uri::connect,
                    () -> progress.move(MigrationStatus.Known.COLO, MigrationStatus.Known.COMPLETED), progress::synced,
                    () -> { }));
            return true;
        }
        long end = System.nanoTime();
        progress.downtime((end - downtimeStart) / 1_000_000);
        // QEMU's figure for a completed migration: all bytes over the time since setup.
        double seconds = Math.max(end - activeSince, 1) / 1e9;
        progress.rates(out.bytesSent() * 8 / seconds / 1e6, -1, -1);
        return false;
    }

    /** Takes the dirty log (QEMU's bitmap sync): MIGRATION_PASS, the dirty rate, auto-converge. */
    private long[] sync(DirtyLog log, AutoConverge autoConverge, StreamWriter out) {
        long[] dirty = log.takeAndClear();
        long pass = progress.synced();
        if (autoConverge != null) {
            long pages = 0;
            for (long word : dirty) {
                pages += Long.bitCount(word);
            }
            // The first sync finds every page dirty by design: that is not the guest's doing.
            AutoConverge.Decision decision = autoConverge.synced(System.nanoTime(), pass == 1 ? 0 : pages,
                    out.bytesSent(), settings.isOn(MigrationCapability.Known.AUTO_CONVERGE));
            if (decision.throttlePercent() != source.machine().throttlePercent()) {
                source.machine().throttle(decision.throttlePercent());
                progress.throttle(decision.throttlePercent());
            }
            if (decision.periodClosed()) {
                progress.rates(Double.NaN, -1, decision.dirtyPagesRate());
                lastDirtyRate = decision.dirtyPagesRate();
            }
        }
        return dirty;
    }

    private void sendPages(GuestRam ram, long[] dirty, StreamWriter out, ThroughputMeter meter)
            throws IOException {
        long left = 0;
        for (long word : dirty) {
            left += Long.bitCount(word);
        }
        for (int w = 0; w < dirty.length; w++) {
            long word = dirty[w];
            while (word != 0) {
                int bit = Long.numberOfTrailingZeros(word);
                word &= word - 1;
                progress.pageSent(out.page(ram, ((long) w << 6) + bit));
                left--;
                if ((out.pagesSent() & 255) == 0) {
                    progress.remainingPages(left + ram.dirtyLog().dirtyCount());
                    account(out);
                    long now = System.nanoTime();
                    if (meter.update(now, out.bytesSent(), out.pagesSent())) {
                        progress.rates(meter.mbps(now, out.bytesSent()), meter.pagesPerSecond(), -1);
                    }
                    if (cancelled) {
                        throw new IOException("cancelled");
                    }
                }
            }
        }
        out.flushPages();
        account(out);
        progress.remainingPages(ram.dirtyLog().dirtyCount());
    }

    /**
     * Hands the bytes sent since the last call to the counters: QEMU counts them as downtime
     * bytes whenever the guest is not running, a paused guest's whole migration included.
     */
    private void account(StreamWriter out) {
        long sent = out.bytesSent();
        progress.bytesSent(sent - sentBefore, !source.machine().isRunning());
        sentBefore = sent;
    }

    /** The failure as {@code error-desc} says it. */
    private static String describe(Exception e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }
}

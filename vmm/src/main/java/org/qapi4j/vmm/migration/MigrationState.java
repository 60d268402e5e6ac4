package org.qapi4j.vmm.migration;

import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.qapi4j.vmm.api.Event;
import org.qapi4j.vmm.api.MigrationInfo;
import org.qapi4j.vmm.api.MigrationStatus;
import org.qapi4j.vmm.migration.incoming.IncomingMigration;
import org.qapi4j.vmm.migration.outgoing.OutgoingMigration;

/**
 * One migration's status, times and error, as QEMU 7.2's {@code MigrationState} keeps them: each
 * change of status sends MIGRATION while capability {@code events} is on ({@code
 * migrate_set_state}), and {@link #toInfo} is {@code query-migrate}'s answer for it. Changes come
 * from the migration's thread and the main loop; all methods are thread-safe.
 */
final class MigrationState implements OutgoingMigration.Progress, IncomingMigration.Progress {
    private final Consumer<Event> events;
    private final BooleanSupplier eventsOn;
    private final long startNanos = System.nanoTime();
    private final RamCounters ram;
    private MigrationStatus.Known status = MigrationStatus.Known.NONE;
    private long setupMillis = -1;
    private long totalMillis = -1;
    private long downtimeMillis = -1;
    private long expectedDowntimeMillis;
    private int throttlePercent;
    private @Nullable String error;

    MigrationState(long ramBytes, Consumer<Event> events, BooleanSupplier eventsOn) {
        this.ram = new RamCounters(ramBytes);
        this.events = Objects.requireNonNull(events, "events");
        this.eventsOn = Objects.requireNonNull(eventsOn, "eventsOn");
    }

    @Override
    public synchronized MigrationStatus.Known status() {
        return status;
    }

    /**
     * Moves from {@code from} to {@code to}, sending MIGRATION; does nothing when the status is no
     * longer {@code from} (QEMU's compare-and-swap: a cancel may have come first).
     *
     * @return whether it moved
     */
    @Override
    public boolean move(MigrationStatus.Known from, MigrationStatus.Known to) {
        synchronized (this) {
            if (status != from) {
                return false;
            }
            status = to;
            if (to == MigrationStatus.Known.ACTIVE && setupMillis < 0) {
                setupMillis = elapsedMillis();
            }
            if (isEnd(to)) {
                totalMillis = elapsedMillis();
            }
        }
        if (eventsOn.getAsBoolean()) {
            events.accept(new Event.Migration(to));
        }
        return true;
    }

    /** Fails the migration with {@code why} (QEMU's {@code error-desc}), from whatever status it had. */
    @Override
    public void fail(String why) {
        MigrationStatus.Known from;
        synchronized (this) {
            if (isEnd(status)) {
                return;
            }
            from = status;
            error = why;
        }
        move(from, MigrationStatus.Known.FAILED);
    }

    synchronized @Nullable String error() {
        return error;
    }

    /** Fails without an {@code error-desc}, as QEMU's bad-URI path does. */
    void failSilently() {
        MigrationStatus.Known from;
        synchronized (this) {
            from = status;
        }
        move(from, MigrationStatus.Known.FAILED);
    }

    @Override
    public synchronized void downtime(long millis) {
        downtimeMillis = millis;
    }

    @Override
    public synchronized void expectedDowntime(long millis) {
        expectedDowntimeMillis = millis;
    }

    @Override
    public synchronized void throttle(int percent) {
        throttlePercent = percent;
    }

    /** MIGRATION_PASS, numbered by the sync count, while {@code events} is on. */
    @Override
    public long synced() {
        long pass = ram.synced();
        if (eventsOn.getAsBoolean()) {
            events.accept(new Event.MigrationPass(pass));
        }
        return pass;
    }

    @Override
    public void pageSent(boolean zero) {
        ram.pageSent(zero);
    }

    @Override
    public void bytesSent(long bytes, boolean downtime) {
        ram.bytesSent(bytes, downtime);
    }

    @Override
    public void remainingPages(long pages) {
        ram.remainingPages(pages);
    }

    @Override
    public void rates(double mbps, long pagesPerSecond, long dirtyPagesRate) {
        ram.rates(mbps, pagesPerSecond, dirtyPagesRate);
    }

    long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    static boolean isEnd(MigrationStatus.Known status) {
        return status == MigrationStatus.Known.COMPLETED || status == MigrationStatus.Known.FAILED
                || status == MigrationStatus.Known.CANCELLED;
    }

    /** Whether it has started and not ended: QEMU's {@code migration_is_running}. */
    synchronized boolean isRunning() {
        return status != MigrationStatus.Known.NONE && !isEnd(status);
    }

    /**
     * {@code query-migrate}'s answer for an outgoing migration, member by member as QEMU 7.2's
     * {@code fill_source_migration_info}: setup shows only its status; active and
     * cancelling add the RAM counters, the expected downtime and the throttle; completed shows
     * the totals and the downtime; failed its error; cancelled only its status.
     */
    synchronized MigrationInfo toInfo() {
        MigrationInfo.Builder info = MigrationInfo.builder();
        switch (status) {
            case NONE:
                break;
            case SETUP:
                info.status(status);
                break;
            case ACTIVE:
            case CANCELLING:
                info.status(status).totalTime(elapsedMillis()).expectedDowntime(expectedDowntimeMillis)
                        .setupTime(Math.max(setupMillis, 0)).ram(ram.toStats(false));
                if (throttlePercent > 0) {
                    info.cpuThrottlePercentage((long) throttlePercent);
                }
                break;
            case COMPLETED:
                info.status(status).totalTime(totalMillis).downtime(Math.max(downtimeMillis, 0))
                        .setupTime(Math.max(setupMillis, 0)).ram(ram.toStats(true));
                break;
            case FAILED:
                info.status(status);
                if (error != null) {
                    info.errorDesc(error);
                }
                break;
            default:
                info.status(status);
                break;
        }
        return info.build();
    }
}

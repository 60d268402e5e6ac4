package org.qapi4j.colo;

import java.util.function.Supplier;
import org.qapi4j.colo.compare.CompareStats;
import org.qapi4j.vmm.api.COLOCheckpointStats;

/**
 * The checkpoint counters QEMU does not keep (its own TODO), shown as the {@code colo} member of
 * {@code query-migrate} while COLO runs: how many checkpoints, their bytes and dirty pages, how
 * long the guest paused and each phase took, and the output comparison's counts. Updated by the
 * COLO thread, read by the monitor. Thread-safe.
 */
public final class CheckpointStats {
    private final Supplier<CompareStats> compare;
    private long checkpoints;
    private long bytes;
    private long dirtyPages;
    private long pauseNanos;
    private long saveNanos;
    private long transferNanos;
    private long loadNanos;

    /** @param compare the output comparison's counts (null on the secondary, which compares nothing) */
    public CheckpointStats(Supplier<CompareStats> compare) {
        this.compare = compare;
    }

    /** One checkpoint done, with its sizes and phase times in nanoseconds. */
    public synchronized void checkpoint(long checkpointBytes, long pages, long pause, long save, long transfer,
            long load) {
        checkpoints++;
        bytes += checkpointBytes;
        dirtyPages += pages;
        pauseNanos += pause;
        saveNanos += save;
        transferNanos += transfer;
        loadNanos += load;
    }

    public synchronized long checkpoints() {
        return checkpoints;
    }

    public COLOCheckpointStats snapshot() {
        CompareStats outputs = compare == null ? null : compare.get();
        synchronized (this) {
            return new COLOCheckpointStats(checkpoints, bytes, dirtyPages,
                    outputs == null ? 0 : outputs.mismatches(), outputs == null ? 0 : outputs.released(),
                    outputs == null ? 0 : outputs.held(), meanMicros(pauseNanos), meanMicros(saveNanos),
                    meanMicros(transferNanos), meanMicros(loadNanos));
        }
    }

    private long meanMicros(long totalNanos) {
        return checkpoints == 0 ? 0 : totalNanos / checkpoints / 1000;
    }
}

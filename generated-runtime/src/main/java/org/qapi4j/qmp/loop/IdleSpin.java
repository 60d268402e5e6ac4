package org.qapi4j.qmp.loop;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;

/**
 * When a server thread that has run out of work should keep looking for more instead of going
 * to sleep: one instance per thread, not thread-safe.
 *
 * <p>A QMP client usually sends its next command as soon as it has the answer to the last, and
 * on a small machine waking a sleeping thread costs as much as everything else in a round trip.
 * So a thread that goes idle keeps looking for work for a short while (the {@code spin}, 50 µs
 * by default) and sleeps only when none came. An idle server costs nothing once the spins are
 * over. Spinning never pays on one processor, so there it is off.
 *
 * <p>Spinning takes a processor that another thread may want: with more threads ready to run
 * than processors (four benchmark clients on a two-processor machine cut their total rate by a
 * third) it costs more than it saves. A spin that got less than a quarter of the time it took
 * shows exactly that, so after one the next {@value #SKIPPED_WHEN_CONTENDED} idle periods sleep
 * at once.
 */
final class IdleSpin {
    /** The default spin. */
    static final Duration DEFAULT = MainLoop.DEFAULT_IDLE_SPIN;

    /** Idle periods that sleep at once after a spin found the processors busy. */
    static final int SKIPPED_WHEN_CONTENDED = 200;

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private final long spinNanos;
    private long idleSince = -1;
    private long cpuAtIdle;
    private int toSkip;

    IdleSpin(Duration spin) {
        this.spinNanos = Runtime.getRuntime().availableProcessors() > 1 ? spin.toNanos() : 0;
    }

    /**
     * Called each time the thread finds no work: whether to look again (true) or to sleep
     * (false). The first call of an idle period starts its spin.
     */
    boolean keepLooking() {
        long now = System.nanoTime();
        if (idleSince < 0) {
            if (spinNanos == 0) {
                return false;
            }
            if (toSkip > 0) {
                toSkip--;
                return false;
            }
            idleSince = now;
            cpuAtIdle = CPU.getCurrentThreadCpuTime();
            return true;
        }
        if (now - idleSince < spinNanos) {
            return true;
        }
        endSpin(now);
        return false;
    }

    /** Called when the thread found work (or is about to sleep after all): ends the spin, if any. */
    void workFound() {
        if (idleSince >= 0) {
            endSpin(System.nanoTime());
        }
    }

    private void endSpin(long now) {
        long cpu = CPU.getCurrentThreadCpuTime() - cpuAtIdle;
        if (cpu * 4 < now - idleSince) {
            toSkip = SKIPPED_WHEN_CONTENDED;
        }
        idleSince = -1;
    }
}

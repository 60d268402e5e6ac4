package org.qapi4j.qmp.loop;

import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * A machine's main loop, QEMU's main thread: one thread that runs tasks one at a time, in the
 * order they were submitted, and timers when they fall due. In-band QMP commands run here, and
 * so may the machine's own work (device models, run-state changes, migration steps), so that
 * handlers and the machine share state without locks: a task and a command never run at the
 * same time.
 *
 * <p>The machine creates its loop ({@link #start}) and hands it to the QMP server's builder;
 * the server then runs its monitors' in-band commands here, and stopping the loop is the
 * machine's business ({@link #shutdown}), after the server is closed. A server given no loop
 * starts one of its own and stops it when it closes.
 */
public interface MainLoop extends Executor {
    /** How long {@link #start(String)}'s loop keeps looking for work before it sleeps. */
    Duration DEFAULT_IDLE_SPIN = Duration.ofNanos(50_000);

    /** Runs {@code task} on the loop, after every task submitted before it; from any thread. */
    @Override
    void execute(Runnable task);

    /**
     * Runs {@code task} on the loop once {@code delay} has passed, unless cancelled first; from
     * any thread. Timers due at the same moment fire in the order they were scheduled.
     */
    Timer schedule(Runnable task, Duration delay);

    /** Whether the calling thread is the loop's. */
    boolean inLoop();

    /**
     * Stops the loop once the tasks submitted so far have run; pending timers never fire.
     * Submitting afterwards throws {@link java.util.concurrent.RejectedExecutionException}.
     */
    void shutdown();

    /** A pending {@link #schedule} call. */
    interface Timer {
        /** Keeps the timer from firing, if it has not yet. */
        void cancel();
    }

    /**
     * Starts a loop on a new daemon thread named {@code threadName}. When idle it keeps looking
     * for work for 50 µs before it sleeps, which saves a thread wake-up per synchronous QMP
     * round trip, and stops doing so by itself while other threads want the processors.
     */
    static MainLoop start(String threadName) {
        return new SpinningMainLoop(threadName, DEFAULT_IDLE_SPIN);
    }

    /**
     * {@link #start(String)} with another idle spin, 0 to 1 ms; {@link Duration#ZERO} sleeps at
     * once, for an application whose own threads should have every idle cycle.
     */
    static MainLoop start(String threadName, Duration idleSpin) {
        if (idleSpin.isNegative() || idleSpin.compareTo(Duration.ofMillis(1)) > 0) {
            throw new IllegalArgumentException("idle spin not within 0..1 ms: " + idleSpin);
        }
        return new SpinningMainLoop(threadName, idleSpin);
    }
}

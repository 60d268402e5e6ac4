package org.qapi4j.vmm.machine;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.qapi4j.vmm.machine.device.GuestClock;
import org.qapi4j.vmm.machine.program.StepResult;

/**
 * The virtual CPU: a thread that runs the guest program's steps while the machine runs, halts
 * when a step asks to (until a guest time or an interrupt), and stops between steps when paused.
 *
 * <p>{@link #pause()} returns only once no step is executing, as QEMU's {@code pause_all_vcpus}:
 * after it, RAM and devices change only by the host's hand, which is what saving state needs.
 * The guest clock runs exactly while the vCPU may step.
 */
final class Vcpu implements AutoCloseable {
    private final GuestClock clock;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled on every change of the fields below. */
    private final Condition changed = lock.newCondition();
    private boolean runRequested;
    private boolean stepping;
    /** An interrupt arrived since the current step began: do not halt after it. */
    private boolean kicked;
    private boolean closed;
    private Thread thread;
    /** Percent of host time the vCPU sleeps while running: auto-converge's throttle. */
    private volatile int throttlePercent;
    /** Host nanoseconds stepped since the last throttle sleep. */
    private long steppedSinceSleep;

    Vcpu(GuestClock clock) {
        this.clock = clock;
    }

    /**
     * Starts the thread, paused.
     *
     * @param step runs one guest step
     * @param onShutdown called on the vCPU thread, after the vCPU stopped, when a step reports shutdown
     * @param onFailure called on the vCPU thread, after the vCPU stopped, when a step throws
     */
    void start(Supplier<StepResult> step, Runnable onShutdown, Consumer<Throwable> onFailure) {
        thread = new Thread(() -> run(step, onShutdown, onFailure), "vmm-vcpu");
        thread.setDaemon(true);
        thread.start();
    }

    void resume() {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the machine is closed");
            }
            if (!runRequested) {
                runRequested = true;
                clock.start();
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Stops the vCPU and returns once no step executes (at once when called on the vCPU thread). */
    void pause() {
        lock.lock();
        try {
            runRequested = false;
            changed.signalAll();
            if (Thread.currentThread() != thread) {
                while (stepping) {
                    changed.awaitUninterruptibly();
                }
            }
            clock.stop();
        } finally {
            lock.unlock();
        }
    }

    boolean isRunning() {
        lock.lock();
        try {
            return runRequested;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Slows the vCPU down, as QEMU's {@code cpu_throttle_set} does (0 runs it at full speed): of
     * each slice of host time it steps, it then sleeps {@code percent}; and its guest clock runs
     * at {@code 100 - percent} percent of host speed, so a program that paces its work by the
     * clock (one that dirties pages on a timer) does proportionally less.
     */
    void throttle(int percent) {
        if (percent < 0 || percent > 99) {
            throw new IllegalArgumentException("throttle percentage must be 0..99, not " + percent);
        }
        throttlePercent = percent;
        clock.speed(100 - percent);
    }

    int throttlePercent() {
        return throttlePercent;
    }

    /** An interrupt: a halted vCPU steps again at once. */
    void kick() {
        lock.lock();
        try {
            kicked = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Stops the thread for good, waiting for the step in progress. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            runRequested = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (thread != null && Thread.currentThread() != thread) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        clock.stop();
    }

    private void run(Supplier<StepResult> step, Runnable onShutdown, Consumer<Throwable> onFailure) {
        while (awaitRun()) {
            StepResult result = null;
            Throwable failure = null;
            long began = System.nanoTime();
            try {
                result = step.get();
            } catch (Throwable t) { // an Error too: the guest must stop, and the host hear of it
                failure = t;
            }
            long stepped = System.nanoTime() - began; // before a halt, which is not running
            boolean shutdown = failure == null && result.kind() == StepResult.Kind.SHUTDOWN;
            afterStep(shutdown || failure != null, result);
            throttleAfter(stepped);
            if (shutdown) {
                onShutdown.run();
            } else if (failure != null) {
                onFailure.accept(failure);
            }
        }
    }

    /** QEMU's throttle slice: 10 ms of running, then a sleep of the throttle's share of it. */
    private static final long THROTTLE_SLICE_NANOS = 10_000_000;

    /**
     * After {@link #THROTTLE_SLICE_NANOS} of stepping, sleeps so that sleep makes up {@code
     * throttlePercent} of the total (QEMU: {@code pct / (1 - pct)} of the slice); a pause or
     * close ends the sleep early.
     */
    private void throttleAfter(long steppedNanos) {
        int percent = throttlePercent;
        if (percent == 0) {
            steppedSinceSleep = 0;
            return;
        }
        steppedSinceSleep += steppedNanos;
        if (steppedSinceSleep < THROTTLE_SLICE_NANOS) {
            return;
        }
        long sleep = steppedSinceSleep * percent / (100 - percent);
        steppedSinceSleep = 0;
        lock.lock();
        try {
            long deadline = System.nanoTime() + sleep;
            for (long left = sleep; left > 0 && runRequested && !closed; left = deadline - System.nanoTime()) {
                changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            // nobody interrupts this thread; if someone does, run on
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the vCPU may step; false once closed. Marks the step begun. */
    private boolean awaitRun() {
        lock.lock();
        try {
            while (!runRequested && !closed) {
                changed.awaitUninterruptibly();
            }
            if (closed) {
                return false;
            }
            stepping = true;
            kicked = false;
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void afterStep(boolean stop, StepResult result) {
        lock.lock();
        try {
            stepping = false;
            if (stop) {
                runRequested = false;
                clock.stop();
            }
            changed.signalAll();
            if (result != null && result.kind() == StepResult.Kind.HALT) {
                halt(result.wakeAt());
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits, holding the lock, until the guest time {@code wakeAt}, an interrupt, a pause or close. */
    private void halt(long wakeAt) {
        while (runRequested && !kicked && !closed) {
            // The guest clock runs at host speed while the vCPU runs, so a guest delay is a host delay.
            long delay = wakeAt == Long.MAX_VALUE ? Long.MAX_VALUE : clock.hostNanos(wakeAt - clock.nanos());
            if (delay <= 0) {
                return;
            }
            try {
                changed.awaitNanos(delay);
            } catch (InterruptedException e) {
                return; // nobody interrupts this thread; if someone does, step again
            }
        }
    }
}

package org.qapi4j.qmp.loop;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@link MainLoop} of {@link MainLoop#start}: one thread, a lock-free task queue, and a
 * priority queue of timers that only the loop thread touches.
 *
 * <p>Why not a {@code ScheduledThreadPoolExecutor}: handing a command to a parked thread costs a
 * wake-up, which on a small machine is as long as everything else a QMP round trip does. So an
 * idle loop spins for a short while before it parks ({@link IdleSpin}), and submitting is a
 * lock-free queue offer, plus an unpark only when the loop is parked.
 */
final class SpinningMainLoop implements MainLoop {

    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Timers submitted but not yet in {@link #timers}; the loop thread moves them. */
    private final ConcurrentLinkedQueue<LoopTimer> newTimers = new ConcurrentLinkedQueue<>();
    /** Pending timers, earliest first. Loop thread only. */
    private final PriorityQueue<LoopTimer> timers = new PriorityQueue<>();
    private final Thread thread;
    private volatile boolean parked;
    private volatile boolean shutdown;
    private long timerSequence;

    /** Loop thread only. */
    private final IdleSpin idle;

    SpinningMainLoop(String threadName, Duration spin) {
        this.idle = new IdleSpin(spin);
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Runs {@code task} on the loop, after every task submitted before it. */
    @Override
    public void execute(Runnable task) {
        if (shutdown) {
            throw new RejectedExecutionException("the main loop has stopped");
        }
        tasks.offer(task);
        wake();
    }

    @Override
    public Timer schedule(Runnable task, Duration delay) {
        return schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** {@link #schedule(Runnable, Duration)} in other units. */
    LoopTimer schedule(Runnable task, long delay, TimeUnit unit) {
        if (shutdown) {
            throw new RejectedExecutionException("the main loop has stopped");
        }
        LoopTimer timer = new LoopTimer(System.nanoTime() + unit.toNanos(delay), task);
        newTimers.offer(timer);
        wake();
        return timer;
    }

    @Override
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    @Override
    public void shutdown() {
        shutdown = true;
        LockSupport.unpark(thread);
    }

    private void wake() {
        if (parked) {
            LockSupport.unpark(thread);
        }
    }

    private void run() {
        while (true) {
            Runnable task = tasks.poll();
            if (task != null) {
                runSafely(task);
                continue;
            }
            long untilNextTimer = runDueTimers();
            if (shutdown) {
                if (tasks.isEmpty()) {
                    return;
                }
                continue;
            }
            if (!spinForWork()) {
                park(untilNextTimer);
            }
        }
    }

    /** Keeps looking for work while {@link IdleSpin} says to; says whether work came. */
    private boolean spinForWork() {
        while (idle.keepLooking()) {
            if (!tasks.isEmpty() || !newTimers.isEmpty() || shutdown) {
                idle.workFound();
                return true;
            }
            Thread.onSpinWait();
        }
        return false;
    }

    private void park(long nanos) {
        parked = true;
        // Look again after announcing the park: a submitter either sees parked and unparks, or
        // offered before this look and the look finds its work.
        if (tasks.isEmpty() && newTimers.isEmpty() && !shutdown) {
            if (nanos == Long.MAX_VALUE) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, nanos);
            }
        }
        parked = false;
    }

    /** Runs the timers that are due; returns the nanoseconds until the next, or Long.MAX_VALUE. */
    private long runDueTimers() {
        for (LoopTimer timer; (timer = newTimers.poll()) != null; ) {
            timer.sequence = timerSequence++;
            timers.add(timer);
        }
        while (!timers.isEmpty()) {
            LoopTimer next = timers.peek();
            long wait = next.deadline - System.nanoTime();
            if (next.cancelled) {
                timers.poll();
            } else if (wait > 0) {
                return wait;
            } else {
                timers.poll();
                runSafely(next.task);
            }
        }
        return Long.MAX_VALUE;
    }

    private static void runSafely(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            // The logger asked for only now, not when the class loads: the JDK's logging set-up
            // costs tens of milliseconds, which an application may be doing on another thread.
            System.getLogger(MainLoop.class.getName()).log(Level.ERROR, "a main-loop task failed", t);
        }
    }

    /** A pending {@link #schedule} call. */
    static final class LoopTimer implements Timer, Comparable<LoopTimer> {
        private final long deadline;
        private final Runnable task;
        private long sequence;
        private volatile boolean cancelled;

        private LoopTimer(long deadline, Runnable task) {
            this.deadline = deadline;
            this.task = task;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(LoopTimer other) {
            int byDeadline = Long.compare(deadline - other.deadline, 0);
            return byDeadline != 0 ? byDeadline : Long.compare(sequence, other.sequence);
        }
    }
}

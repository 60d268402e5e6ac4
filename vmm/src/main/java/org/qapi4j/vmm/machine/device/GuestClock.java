package org.qapi4j.vmm.machine.device;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The guest's clock: virtual nanoseconds that advance with host time only while the vCPU runs,
 * as QEMU's virtual clock (without instruction counting) does. Paused, migrating or stopped,
 * the guest sees no time pass; after a migration the clock continues from the value saved.
 *
 * <p>It keeps counting across a system reset, as QEMU's does: a reset is not a power cycle of
 * the host.
 *
 * <p>A throttled vCPU ({@link #speed}) sees its time pass more slowly: a throttled processor
 * executes fewer instructions a second, and our guest programs pace their work by this clock
 * (a program that writes N pages a second of guest time writes fewer per host second). That is
 * how auto-converge migration slows a guest that dirties memory on a timer.
 */
public final class GuestClock implements Device {
    /** Virtual time at the last start or stop. */
    private long base;
    /** {@link System#nanoTime()} at the last start; meaningful while running. */
    private long startedAt;
    private boolean running;
    /** Percent of host speed at which virtual time passes while running. */
    private int speed = 100;

    /** Virtual nanoseconds since power-on. */
    public synchronized long nanos() {
        return running ? base + (System.nanoTime() - startedAt) * speed / 100 : base;
    }

    /** Lets virtual time pass at {@code percent} of host speed (1..100) from now on. */
    public synchronized void speed(int percent) {
        if (percent < 1 || percent > 100) {
            throw new IllegalArgumentException("clock speed must be 1..100 percent, not " + percent);
        }
        base = nanos();
        startedAt = System.nanoTime();
        speed = percent;
    }

    /** Host nanoseconds in which {@code virtualNanos} pass at the current speed. */
    public synchronized long hostNanos(long virtualNanos) {
        return virtualNanos >= Long.MAX_VALUE / 100 ? Long.MAX_VALUE : virtualNanos * 100 / speed;
    }

    /** Lets virtual time advance (the vCPU starts running). Idempotent. */
    public synchronized void start() {
        if (!running) {
            startedAt = System.nanoTime();
            running = true;
        }
    }

    /** Freezes virtual time (the vCPU stopped). Idempotent. */
    public synchronized void stop() {
        if (running) {
            base = nanos();
            running = false;
        }
    }

    public synchronized boolean isRunning() {
        return running;
    }

    @Override
    public String name() {
        return "clock";
    }

    @Override
    public int stateVersion() {
        return 1;
    }

    @Override
    public synchronized void save(DataOutput out) throws IOException {
        out.writeLong(nanos());
    }

    @Override
    public synchronized void load(DataInput in) throws IOException {
        long saved = in.readLong();
        if (saved < 0) {
            throw new IOException("guest clock state holds a negative time: " + saved);
        }
        base = saved;
        startedAt = System.nanoTime();
    }

    @Override
    public void reset() {
        // Virtual time keeps counting across a reset; see the class comment.
    }
}

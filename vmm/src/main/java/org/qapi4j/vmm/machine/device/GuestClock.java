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
 */
public final class GuestClock implements Device {
    /** Virtual time at the last start or stop. */
    private long base;
    /** {@link System#nanoTime()} at the last start; meaningful while running. */
    private long startedAt;
    private boolean running;

    /** Virtual nanoseconds since power-on. */
    public synchronized long nanos() {
        return running ? base + (System.nanoTime() - startedAt) : base;
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

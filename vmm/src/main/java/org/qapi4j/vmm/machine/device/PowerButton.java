package org.qapi4j.vmm.machine.device;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The ACPI power button: the host presses it ({@code system_powerdown}), the guest program
 * notices the press at its next step and shuts down cleanly. A press the guest has not yet seen
 * is device state: it survives a pause and moves with a migration.
 */
public final class PowerButton implements Device {
    private final Runnable interrupt;
    private boolean pressed;

    /** @param interrupt wakes the vCPU, so that a halted guest sees the press at once */
    public PowerButton(Runnable interrupt) {
        this.interrupt = interrupt;
    }

    /** Presses the button (the host side). */
    public void press() {
        synchronized (this) {
            pressed = true;
        }
        interrupt.run();
    }

    /** The guest side: whether the button was pressed since the last call, clearing it. */
    public synchronized boolean takePress() {
        boolean was = pressed;
        pressed = false;
        return was;
    }

    @Override
    public String name() {
        return "power-button";
    }

    @Override
    public int stateVersion() {
        return 1;
    }

    @Override
    public synchronized void save(DataOutput out) throws IOException {
        out.writeBoolean(pressed);
    }

    @Override
    public void load(DataInput in) throws IOException {
        boolean saved = in.readBoolean();
        synchronized (this) {
            pressed = saved;
        }
        if (saved) {
            interrupt.run();
        }
    }

    @Override
    public synchronized void reset() {
        pressed = false;
    }
}

package org.qapi4j.vmm.machine.device;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * A device of the machine: guest-visible state beside guest RAM. Together, RAM and the devices'
 * saved states are the whole guest, which is what lets migration and COLO move it.
 *
 * <p>What a device saves is only what the guest can observe; host resources (sockets, files,
 * threads) stay behind and are rebuilt or replaced on the machine that loads the state.
 */
public interface Device {
    /** The device's name, unique in a machine: the section its state is saved under. */
    String name();

    /** The version of the state format {@link #save} writes and {@link #load} reads. */
    int stateVersion();

    /** Writes the device's guest-visible state. Called while the vCPU is paused. */
    void save(DataOutput out) throws IOException;

    /**
     * Replaces the device's state with one {@link #save} wrote (same {@link #stateVersion()}).
     * Everything is read and checked before anything changes: when this throws, the device is
     * as it was. Called while the vCPU is paused.
     *
     * @throws IOException if the state is truncated or malformed, or does not fit this device
     */
    void load(DataInput in) throws IOException;

    /** Puts the device in its power-on state (a system reset). Called while the vCPU is paused. */
    void reset();
}

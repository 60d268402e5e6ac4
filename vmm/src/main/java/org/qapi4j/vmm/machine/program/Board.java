package org.qapi4j.vmm.machine.program;

import org.qapi4j.vmm.machine.device.Disk;
import org.qapi4j.vmm.machine.device.EntropySource;
import org.qapi4j.vmm.machine.device.GuestClock;
import org.qapi4j.vmm.machine.device.Nic;
import org.qapi4j.vmm.machine.device.PowerButton;
import org.qapi4j.vmm.machine.device.SerialLog;
import org.qapi4j.vmm.machine.memory.GuestRam;

/**
 * The hardware a guest program runs on: everything a step may read or change. Guest state lives
 * here and nowhere else.
 *
 * @param disk {@code null} when the machine has no disk
 */
public record Board(GuestRam ram, GuestClock clock, Nic nic, Disk disk, SerialLog serial, EntropySource entropy,
        PowerButton powerButton) {}

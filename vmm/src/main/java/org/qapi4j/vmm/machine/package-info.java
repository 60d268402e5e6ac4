/**
 * The virtual machine: {@link org.qapi4j.vmm.machine.Machine} puts together guest RAM ({@code
 * memory}), devices ({@code device}) and a vCPU stepping a guest program ({@code program}).
 *
 * <p>The guest is entirely in RAM and in the devices' saved state: migration copies RAM pages
 * (following {@link org.qapi4j.vmm.machine.memory.DirtyLog}) and {@link
 * org.qapi4j.vmm.machine.Machine#saveDevices}; COLO does the same at each checkpoint.
 */
package org.qapi4j.vmm.machine;

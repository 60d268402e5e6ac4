/**
 * The machine's devices, each with a guest side (what programs call), a host side (TCP, files)
 * and state that can be saved, loaded and reset.
 */
package org.qapi4j.vmm.machine.device;

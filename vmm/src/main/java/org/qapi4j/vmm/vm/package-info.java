/** The virtual machine's life cycle as QEMU 7.2's main loop runs it: start, stop, reset, power button, shutdown. */
package org.qapi4j.vmm.vm;

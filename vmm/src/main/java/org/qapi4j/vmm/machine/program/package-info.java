/**
 * Guest programs: step functions over the {@link org.qapi4j.vmm.machine.program.Board} that keep
 * their state in guest RAM and devices only ({@code kvstore}, {@code dirty}).
 */
package org.qapi4j.vmm.machine.program;

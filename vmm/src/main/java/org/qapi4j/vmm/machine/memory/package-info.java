/** Guest RAM, off the Java heap, and its dirty log: the only way guest memory is written. */
package org.qapi4j.vmm.machine.memory;

/**
 * COLO (COarse-grained LOck-stepping), QEMU's non-stop service, for the VMM: a primary and a
 * secondary {@code bin/vmm} kept in step by checkpoints over the migration channel; client
 * output compared between them and released only once the state that produced it reached the
 * secondary; the primary's disk writes replicated; failover to whichever side survives.
 */
package org.qapi4j.colo;

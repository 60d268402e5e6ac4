/**
 * The VMM's QMP handlers: the generated handler interface of each schema module the VMM serves,
 * implemented over the machine and its run state.
 */
package org.qapi4j.vmm.monitor;

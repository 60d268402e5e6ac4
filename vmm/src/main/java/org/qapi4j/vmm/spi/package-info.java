/** The VMM's extension points: how the COLO module plugs in without the VMM depending on it. */
package org.qapi4j.vmm.spi;

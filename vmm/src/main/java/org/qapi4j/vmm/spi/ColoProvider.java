package org.qapi4j.vmm.spi;

import org.qapi4j.vmm.api.ColoCommands;

/**
 * COLO, plugged into the VMM from the module that implements it ({@code qapi4j-colo}), found
 * with {@link java.util.ServiceLoader} when its jar is on the class path (as {@code bin/vmm} puts
 * it). Without one the VMM serves COLO's commands as QEMU 7.2 does outside COLO, and refuses
 * migrations that ask for COLO.
 */
public interface ColoProvider {
    /**
     * Attaches COLO to a VMM that is starting (before any monitor listens): it installs its
     * {@link org.qapi4j.vmm.migration.ColoHook} on the migration service.
     *
     * @return the COLO module's commands, served instead of the VMM's own
     */
    ColoCommands attach(VmmContext context);
}

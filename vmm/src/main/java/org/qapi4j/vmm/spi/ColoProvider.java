package org.qapi4j.vmm.spi;

import java.util.function.UnaryOperator;
import org.qapi4j.vmm.api.ColoCommands;
import org.qapi4j.vmm.machine.device.BlockBackend;

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

    /**
     * How the machine's disk image is wrapped when the machine is made, before {@link #attach}
     * (COLO replicates the disk's writes); the image itself by default.
     */
    default UnaryOperator<BlockBackend> diskBackend() {
        return UnaryOperator.identity();
    }
}

package org.qapi4j.colo;

import java.io.IOException;
import java.util.function.UnaryOperator;
import org.qapi4j.colo.disk.DiskRole;
import org.qapi4j.vmm.machine.device.BlockBackend;
import org.qapi4j.colo.primary.ColoPrimary;
import org.qapi4j.colo.protocol.FaultInjector;
import org.qapi4j.colo.secondary.ColoSecondary;
import org.qapi4j.vmm.api.COLOCheckpointStats;
import org.qapi4j.vmm.api.ColoCommands;
import org.qapi4j.vmm.migration.ColoHook;
import org.qapi4j.vmm.spi.ColoProvider;
import org.qapi4j.vmm.spi.VmmContext;

/**
 * COLO for {@code bin/vmm}: found by the VMM through {@link java.util.ServiceLoader}, it takes
 * over a migration with capability {@code x-colo} (the primary's side or the secondary's,
 * whichever this VMM is in that migration) and serves {@code query-colo-status} and {@code
 * x-colo-lost-heartbeat}. One COLO session at a time; after a failover a new secondary can be
 * attached with another {@code migrate}.
 */
public final class ColoExtension implements ColoProvider, ColoHook {
    private VmmContext context;
    private ColoState state;
    private GuestControl guest;
    private volatile CheckpointStats stats;
    private volatile ColoPrimary primary;
    private volatile DiskRole diskRole;

    /** The machine's disk goes through a {@link DiskRole}, plain until a COLO session gives it a role. */
    @Override
    public UnaryOperator<BlockBackend> diskBackend() {
        return image -> {
            diskRole = new DiskRole(image);
            return diskRole;
        };
    }

    @Override
    public ColoCommands attach(VmmContext vmm) {
        this.context = vmm;
        this.state = new ColoState(vmm.vm()::emit);
        this.guest = new GuestControl(vmm.vm());
        vmm.migration().colo(this);
        // --colo-fault at=precopy-pass:N and at=switchover are the migration's source's points.
        vmm.migration().faults(faults());
        return new ColoHandlers(state);
    }

    @Override
    public void runPrimary(Link link) throws IOException {
        ColoPrimary primary = new ColoPrimary(guest, state, context.migration().settings(), diskRole,
                context.stderr(), context.program(), faults());
        stats = primary.stats();
        this.primary = primary;
        try {
            primary.run(link);
        } finally {
            this.primary = null;
        }
    }

    @Override
    public void runSecondary(Link link) throws IOException {
        CheckpointStats secondaryStats = new CheckpointStats(null);
        stats = secondaryStats;
        new ColoSecondary(guest, state, secondaryStats, diskRole, context.stderr(), context.program(),
                faults()).run(link);
    }

    private FaultInjector faults() {
        return new FaultInjector(context.options().coloFaults(), context.stderr(), context.program());
    }

    @Override
    public void checkpointDelaySet() {
        ColoPrimary current = primary;
        if (current != null) {
            current.checkpointDelaySet();
        }
    }

    @Override
    public COLOCheckpointStats statistics() {
        CheckpointStats current = stats;
        return current == null ? null : current.snapshot();
    }
}

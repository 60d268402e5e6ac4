package org.qapi4j.colo;

import java.io.IOException;
import java.util.function.UnaryOperator;
import org.qapi4j.colo.arbiter.Arbiter;
import org.qapi4j.colo.arbiter.FencedOutput;
import org.qapi4j.colo.disk.DiskRole;
import org.qapi4j.vmm.machine.device.BlockBackend;
import org.qapi4j.colo.primary.ColoPrimary;
import org.qapi4j.colo.protocol.FaultInjector;
import org.qapi4j.colo.secondary.ColoSecondary;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.vmm.api.COLOCheckpointStats;
import org.qapi4j.vmm.api.COLOMode;
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
    private Arbiter arbiter;

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
        Arbiter arbiter = arbiter();
        FencedOutput fenced = arbiter == null ? null : arbiter.primaryEntry(context.vm().machine().nic());
        ColoPrimary primary = new ColoPrimary(guest, state, context.migration().settings(), diskRole,
                context.stderr(), context.program(), faults(), fenced);
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
        Arbiter arbiter = arbiter();
        if (arbiter != null) {
            arbiter.watchAsSecondary(this::takeOver);
        }
        new ColoSecondary(guest, state, secondaryStats, diskRole, context.stderr(), context.program(),
                faults()).run(link);
        if (arbiter != null) {
            // This side serves now: its answers go out only while it holds the lease (until it
            // does, after an x-colo-lost-heartbeat without it, they wait).
            context.vm().machine().nic().replicate(arbiter.output(context.vm().machine().nic()));
            arbiter.report("secondary failover done, " + arbiter.lease().state());
        }
    }

    /**
     * The arbiter gave this secondary the lease: the failover x-colo-lost-heartbeat would start.
     * Retried while COLO has not begun here yet; nothing to do once a failover is under way.
     */
    private void takeOver() {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try {
                state.requestFailover();
                return;
            } catch (QmpException e) {
                if (state.mode() != COLOMode.Known.NONE || System.nanoTime() > deadline) {
                    return; // a failover is already under way (or COLO is over)
                }
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The arbiter of {@code --colo-arbiter}, connected on first use; null without the option. */
    private synchronized Arbiter arbiter() throws IOException {
        if (arbiter == null && context.options().coloArbiter().isPresent()) {
            arbiter = Arbiter.connect(context.options().coloArbiter().get(),
                    context.program() + " pid " + ProcessHandle.current().pid() + " nic "
                            + context.vm().machine().nic().address(),
                    context.stderr(), context.program());
        }
        return arbiter;
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

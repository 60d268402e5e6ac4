package org.qapi4j.vmm.migration;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import org.qapi4j.vmm.migration.stream.StreamReader;
import org.qapi4j.vmm.migration.stream.StreamWriter;

/**
 * Where migration hands over to COLO (capability {@code x-colo}): the COLO module implements it
 * and installs it with {@link MigrationService#colo}. The VMM runs without one; then a stream
 * that asks for COLO is refused.
 */
public interface ColoHook {
    /**
     * The migration's connection, with the stream's reader and writer as the initial migration
     * left them (their counts go on), and a way to open or accept the extra connections COLO
     * needs (the proxy and disk links ride on the migration's address).
     */
    interface Link {
        SocketChannel channel();

        StreamReader in();

        StreamWriter out();

        /**
         * The primary connects another channel to the secondary's migration address; the
         * secondary accepts one there.
         */
        SocketChannel extraChannel() throws IOException;

        /**
         * The failover is done: the migration's status moves from {@code colo} to {@code
         * completed} (MIGRATION), before COLO_EXIT and the guest's RESUME, in QEMU's order.
         */
        void complete();

        /**
         * A sync of the guest's dirty log for a checkpoint (the primary's): MIGRATION_PASS with
         * the next pass number, as QEMU sends at each checkpoint.
         */
        void synced();

        /**
         * The secondary: starts its guest as the initial migration left it (RESUME), once COLO
         * has what it needs in place (its RAM cache, the proxy link): before that the guest must
         * not change its RAM. Nothing on the primary, whose guest COLO starts itself.
         */
        default void startGuest() {
        }
    }

    /**
     * The checkpoint statistics {@code query-migrate} shows as its {@code colo} member while
     * COLO runs on this side; null when there are none.
     */
    default org.qapi4j.vmm.api.COLOCheckpointStats statistics() {
        return null;
    }

    /**
     * {@code migrate-set-parameters} named {@code x-checkpoint-delay}, changed or not: in COLO
     * QEMU 7.2 takes a checkpoint at once ({@code migrate_params_apply}).
     */
    default void checkpointDelaySet() {
    }

    /**
     * The primary, on the migration thread, once the secondary loaded the initial stream and was
     * told to go: runs COLO until a failover ends it, the guest running here alone afterwards.
     *
     * @throws IOException when COLO fails before it started; the migration then fails
     */
    void runPrimary(Link link) throws IOException;

    /**
     * The secondary, on the migration thread, once the initial stream is loaded and its devices
     * with it: starts the guest in COLO and runs until a failover or the end of the process.
     */
    void runSecondary(Link link) throws IOException;
}

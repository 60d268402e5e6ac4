package org.qapi4j.vmm.migration.settings;

import static org.qapi4j.vmm.api.MigrationCapability.Known.AUTO_CONVERGE;
import static org.qapi4j.vmm.api.MigrationCapability.Known.BACKGROUND_SNAPSHOT;
import static org.qapi4j.vmm.api.MigrationCapability.Known.COMPRESS;
import static org.qapi4j.vmm.api.MigrationCapability.Known.DIRTY_BITMAPS;
import static org.qapi4j.vmm.api.MigrationCapability.Known.LATE_BLOCK_ACTIVATE;
import static org.qapi4j.vmm.api.MigrationCapability.Known.MULTIFD;
import static org.qapi4j.vmm.api.MigrationCapability.Known.PAUSE_BEFORE_SWITCHOVER;
import static org.qapi4j.vmm.api.MigrationCapability.Known.POSTCOPY_BLOCKTIME;
import static org.qapi4j.vmm.api.MigrationCapability.Known.POSTCOPY_PREEMPT;
import static org.qapi4j.vmm.api.MigrationCapability.Known.POSTCOPY_RAM;
import static org.qapi4j.vmm.api.MigrationCapability.Known.RDMA_PIN_ALL;
import static org.qapi4j.vmm.api.MigrationCapability.Known.RELEASE_RAM;
import static org.qapi4j.vmm.api.MigrationCapability.Known.RETURN_PATH;
import static org.qapi4j.vmm.api.MigrationCapability.Known.VALIDATE_UUID;
import static org.qapi4j.vmm.api.MigrationCapability.Known.XBZRLE;
import static org.qapi4j.vmm.api.MigrationCapability.Known.X_COLO;
import static org.qapi4j.vmm.api.MigrationCapability.Known.X_IGNORE_SHARED;
import static org.qapi4j.vmm.api.MigrationCapability.Known.ZERO_COPY_SEND;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.vmm.api.MigrationCapability;
import org.qapi4j.vmm.api.MultiFDCompression;

/**
 * QEMU 7.2's {@code migrate_caps_check} and the first check of {@code
 * qmp_migrate_set_capabilities}: which capabilities may be on together, checked on the whole
 * result (current states with the request's changes, a later entry for the same capability
 * winning), first failure answered with QEMU's text. Kept apart from {@link VmmLimits} because
 * these refusals must be QEMU's, byte for byte, and come before ours.
 *
 * <p>What QEMU 7.2 checks and what we do with it:
 *
 * <ul>
 *   <li>{@code block} without {@code CONFIG_LIVE_BLOCK_MIGRATION}, {@code x-colo} without {@code
 *       CONFIG_REPLICATION}: Debian's QEMU 7.2 has both, so neither refusal exists here; {@code
 *       x-colo} has no other requirement in 7.2 (its incompatibility with postcopy came later).
 *   <li>{@code postcopy-ram} while in {@code inmigrate} on a host without userfaultfd ("Postcopy
 *       is not supported"), {@code background-snapshot} on a host without write tracking, and
 *       {@code multifd} on an incoming migration whose URI allows one channel only: these depend
 *       on the host or on the incoming channel, are left out, and all three capabilities are
 *       refused by {@link VmmLimits} anyway. The write-tracking answer is taken as "compatible",
 *       as on the host the tests run on (QEMU 7.2 {@code -M none} accepts background-snapshot),
 *       so that its incompatibility list below is checked as QEMU does.
 *   <li>everything else (postcopy with ignore-shared, background-snapshot's list, zero-copy's
 *       needs, postcopy-preempt's needs, multifd with compress) exactly as QEMU.
 * </ul>
 */
final class CapabilityChecks {
    /** QEMU's {@code QERR_MIGRATION_ACTIVE}. */
    static final String MIGRATION_ACTIVE = "There's a migration process in progress";

    /** {@code check_caps_background_snapshot}, in QEMU's order (the first one on is named). */
    private static final List<MigrationCapability.Known> NOT_WITH_BACKGROUND_SNAPSHOT = List.of(
            POSTCOPY_RAM, DIRTY_BITMAPS, POSTCOPY_BLOCKTIME, LATE_BLOCK_ACTIVATE, RETURN_PATH, MULTIFD,
            PAUSE_BEFORE_SWITCHOVER, AUTO_CONVERGE, RELEASE_RAM, RDMA_PIN_ALL, COMPRESS, XBZRLE, X_COLO,
            VALIDATE_UUID, ZERO_COPY_SEND);

    private CapabilityChecks() {}

    /**
     * Throws QEMU's error if {@code on} (the capabilities that would be on) is a combination QEMU
     * 7.2 refuses.
     *
     * @param multifdCompression the current {@code multifd-compression} parameter
     * @param tlsCreds the current {@code tls-creds} parameter
     */
    static void check(Set<MigrationCapability.Known> on, MultiFDCompression multifdCompression, String tlsCreds) {
        if (on.contains(POSTCOPY_RAM) && on.contains(X_IGNORE_SHARED)) {
            throw QmpException.generic("Postcopy is not compatible with ignore-shared");
        }
        if (on.contains(BACKGROUND_SNAPSHOT)) {
            for (MigrationCapability.Known other : NOT_WITH_BACKGROUND_SNAPSHOT) {
                if (on.contains(other)) {
                    throw QmpException.generic("Background-snapshot is not compatible with " + other.wireName());
                }
            }
        }
        if (on.contains(ZERO_COPY_SEND) && (!on.contains(MULTIFD) || on.contains(COMPRESS) || on.contains(XBZRLE)
                || !MultiFDCompression.NONE.equals(multifdCompression) || !tlsCreds.isEmpty())) {
            throw QmpException.generic("Zero copy only available for non-compressed non-TLS multifd migration");
        }
        if (on.contains(POSTCOPY_PREEMPT)) {
            if (!on.contains(POSTCOPY_RAM)) {
                throw QmpException.generic("Postcopy preempt requires postcopy-ram");
            }
            if (on.contains(COMPRESS)) {
                throw QmpException.generic("Postcopy preempt not compatible with compress");
            }
        }
        if (on.contains(MULTIFD) && on.contains(COMPRESS)) {
            throw QmpException.generic("Multifd is not compatible with compress");
        }
    }

    /** An empty set of capabilities, to fill. */
    static Set<MigrationCapability.Known> none() {
        return EnumSet.noneOf(MigrationCapability.Known.class);
    }
}

package org.qapi4j.vmm.migration.settings;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.vmm.api.MigrateSetParameters;
import org.qapi4j.vmm.api.MigrationCapability;
import org.qapi4j.vmm.api.MigrationParameter;
import org.qapi4j.vmm.api.MultiFDCompression;
import org.qapi4j.vmm.api.StrOrNull;

/**
 * What our VMM refuses although QEMU 7.2 would accept it, because our machine cannot honour it:
 * it has no postcopy, RDMA, compression, multifd, XBZRLE, block migration, TLS, zero-copy,
 * background snapshot or dirty-bitmap migration. Accepting such a request and then migrating
 * without the feature would mislead the client (it would, say, believe the stream encrypted), so
 * we refuse at once, with a {@code GenericError} whose text names this VMM, never one that looks
 * like QEMU's. These checks run only after QEMU's own ({@link CapabilityChecks}, {@link
 * ParameterChecks}) passed, so where QEMU refuses, its text wins.
 *
 * <p>Capabilities we honour: {@code events}, {@code x-colo} (COLO checkpoints), {@code
 * auto-converge}, {@code return-path} (COLO uses one anyway) and {@code validate-uuid}.
 * Everything else is refused when switched on; switching it off is always fine (it is off). That
 * includes three that are not tied to a missing feature listed above: {@code
 * pause-before-switchover} (it needs the {@code pre-switchover} state and {@code migrate-continue},
 * which our engine does not have: not cheap), {@code late-block-activate} (our engine hands the
 * disks over as the migration ends and has no deferred activation) and {@code x-ignore-shared}
 * (our guest memory is never shared with the destination).
 *
 * <p>Parameters: every one is stored and reported, even when the engine ignores it ({@code
 * announce-*}, {@code x-checkpoint-delay} outside COLO, ...), except those that belong to a
 * feature we lack: for them only the default value (QEMU 7.2's, see {@link MigrationDefaults}) is
 * accepted; a TLS string given as JSON null counts as the empty string, as in QEMU. An empty
 * {@code block-bitmap-mapping} ("migrate no bitmaps") is honoured trivially and accepted.
 */
final class VmmLimits {
    /** The capabilities our engine honours. */
    static final Set<MigrationCapability.Known> HONOURED = EnumSet.of(MigrationCapability.Known.EVENTS,
            MigrationCapability.Known.X_COLO, MigrationCapability.Known.AUTO_CONVERGE,
            MigrationCapability.Known.RETURN_PATH, MigrationCapability.Known.VALIDATE_UUID);

    /** A parameter of a feature we lack, with the only value we accept for it. */
    private record Tied(MigrationParameter.Known name, String feature, String defaultText,
            Function<MigrateSetParameters, @Nullable Object> requested, Object defaultValue) {}

    private static final List<Tied> TIED = List.of(
            new Tied(MigrationParameter.Known.COMPRESS_LEVEL, "compression", "1",
                    MigrateSetParameters::compressLevel, MigrationDefaults.COMPRESS_LEVEL),
            new Tied(MigrationParameter.Known.COMPRESS_THREADS, "compression", "8",
                    MigrateSetParameters::compressThreads, MigrationDefaults.COMPRESS_THREADS),
            new Tied(MigrationParameter.Known.DECOMPRESS_THREADS, "compression", "2",
                    MigrateSetParameters::decompressThreads, MigrationDefaults.DECOMPRESS_THREADS),
            new Tied(MigrationParameter.Known.COMPRESS_WAIT_THREAD, "compression", "true",
                    MigrateSetParameters::compressWaitThread, MigrationDefaults.COMPRESS_WAIT_THREAD),
            new Tied(MigrationParameter.Known.TLS_CREDS, "TLS", "an empty string",
                    p -> tls(p.tlsCreds()), ""),
            new Tied(MigrationParameter.Known.TLS_HOSTNAME, "TLS", "an empty string",
                    p -> tls(p.tlsHostname()), ""),
            new Tied(MigrationParameter.Known.TLS_AUTHZ, "TLS", "an empty string",
                    p -> tls(p.tlsAuthz()), ""),
            new Tied(MigrationParameter.Known.BLOCK_INCREMENTAL, "block migration", "false",
                    MigrateSetParameters::blockIncremental, false),
            new Tied(MigrationParameter.Known.MULTIFD_CHANNELS, "multifd", "2",
                    MigrateSetParameters::multifdChannels, MigrationDefaults.MULTIFD_CHANNELS),
            new Tied(MigrationParameter.Known.XBZRLE_CACHE_SIZE, "XBZRLE", "67108864",
                    MigrateSetParameters::xbzrleCacheSize, MigrationDefaults.XBZRLE_CACHE_SIZE),
            new Tied(MigrationParameter.Known.MAX_POSTCOPY_BANDWIDTH, "postcopy", "0",
                    MigrateSetParameters::maxPostcopyBandwidth, MigrationDefaults.MAX_POSTCOPY_BANDWIDTH),
            new Tied(MigrationParameter.Known.MULTIFD_COMPRESSION, "multifd", "'none'",
                    MigrateSetParameters::multifdCompression, MultiFDCompression.NONE),
            new Tied(MigrationParameter.Known.MULTIFD_ZLIB_LEVEL, "multifd", "1",
                    MigrateSetParameters::multifdZlibLevel, MigrationDefaults.MULTIFD_ZLIB_LEVEL),
            new Tied(MigrationParameter.Known.MULTIFD_ZSTD_LEVEL, "multifd", "1",
                    MigrateSetParameters::multifdZstdLevel, MigrationDefaults.MULTIFD_ZSTD_LEVEL),
            new Tied(MigrationParameter.Known.BLOCK_BITMAP_MAPPING, "dirty-bitmap migration", "an empty list",
                    p -> p.blockBitmapMapping() == null || p.blockBitmapMapping().isEmpty() ? null : p.blockBitmapMapping(),
                    List.of()));

    private VmmLimits() {}

    /** Refuses the first capability in {@code on} (would-be states, in QEMU's order) we do not honour. */
    static void checkCapabilities(Set<MigrationCapability.Known> on) {
        for (MigrationCapability.Known capability : on) {
            if (!HONOURED.contains(capability)) {
                throw QmpException.generic("Migration capability '" + capability.wireName()
                        + "' is not supported by this VMM");
            }
        }
    }

    /** Refuses the first parameter of {@code changes}, in schema order, set to a value we cannot honour. */
    static void checkParameters(MigrateSetParameters changes) {
        for (Tied tied : TIED) {
            Object value = tied.requested().apply(changes);
            if (value != null && !Objects.equals(value, tied.defaultValue())) {
                throw QmpException.generic("Migration parameter '" + tied.name().wireName()
                        + "' is not supported by this VMM (it has no " + tied.feature()
                        + "): only its default, " + tied.defaultText() + ", is accepted");
            }
        }
    }

    private static @Nullable String tls(@Nullable StrOrNull value) {
        return ParameterMerge.string(value, "tls", null);
    }
}

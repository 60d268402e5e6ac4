package org.qapi4j.vmm.migration.settings;

import org.jspecify.annotations.Nullable;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.vmm.api.MigrateSetParameters;
import org.qapi4j.vmm.api.MigrationParameters;
import org.qapi4j.vmm.api.MultiFDCompression;
import org.qapi4j.vmm.api.StrOrNull;

/**
 * The parameters as they would be after a {@code migrate-set-parameters}, computed before anything
 * is changed so that the checks see the whole result and the command is all or nothing. Mirrors
 * {@code qmp_migrate_set_parameters} (a JSON null for a TLS string means the empty string) and
 * {@code migrate_params_test_apply} / {@code migrate_params_apply} of QEMU 7.2.
 *
 * <p>One quirk of QEMU 7.2 is kept on purpose: {@code multifd-zlib-level} and {@code
 * multifd-zstd-level} are in neither {@code migrate_params_test_apply} nor {@code
 * migrate_params_apply}, so QEMU neither checks nor stores them; {@code query-migrate-parameters}
 * keeps answering the default. {@link VmmLimits} refuses a non-default value of either (they
 * belong to multifd, which we lack), so the only value that gets here is the default.
 */
final class ParameterMerge {
    private ParameterMerge() {}

    /** {@code current} with {@code changes} applied; throws what QEMU's input visitor would for a value of no known form. */
    static MigrationParameters apply(MigrationParameters current, MigrateSetParameters changes) {
        String tlsCreds = string(changes.tlsCreds(), "tls-creds", current.tlsCreds());
        String tlsHostname = string(changes.tlsHostname(), "tls-hostname", current.tlsHostname());
        String tlsAuthz = string(changes.tlsAuthz(), "tls-authz", current.tlsAuthz());
        MultiFDCompression multifdCompression = or(changes.multifdCompression(), current.multifdCompression());
        if (!multifdCompression.isKnown()) {
            throw QmpException.generic("Parameter 'multifd-compression' does not accept value '"
                    + multifdCompression.wireName() + "'");
        }
        return new MigrationParameters(
                or(changes.announceInitial(), current.announceInitial()),
                or(changes.announceMax(), current.announceMax()),
                or(changes.announceRounds(), current.announceRounds()),
                or(changes.announceStep(), current.announceStep()),
                or(changes.compressLevel(), current.compressLevel()),
                or(changes.compressThreads(), current.compressThreads()),
                or(changes.compressWaitThread(), current.compressWaitThread()),
                or(changes.decompressThreads(), current.decompressThreads()),
                or(changes.throttleTriggerThreshold(), current.throttleTriggerThreshold()),
                or(changes.cpuThrottleInitial(), current.cpuThrottleInitial()),
                or(changes.cpuThrottleIncrement(), current.cpuThrottleIncrement()),
                or(changes.cpuThrottleTailslow(), current.cpuThrottleTailslow()),
                tlsCreds, tlsHostname, tlsAuthz,
                or(changes.maxBandwidth(), current.maxBandwidth()),
                or(changes.downtimeLimit(), current.downtimeLimit()),
                or(changes.xCheckpointDelay(), current.xCheckpointDelay()),
                or(changes.blockIncremental(), current.blockIncremental()),
                or(changes.multifdChannels(), current.multifdChannels()),
                or(changes.xbzrleCacheSize(), current.xbzrleCacheSize()),
                or(changes.maxPostcopyBandwidth(), current.maxPostcopyBandwidth()),
                or(changes.maxCpuThrottle(), current.maxCpuThrottle()),
                multifdCompression,
                current.multifdZlibLevel(),
                current.multifdZstdLevel(),
                changes.blockBitmapMapping() != null ? changes.blockBitmapMapping() : current.blockBitmapMapping());
    }

    /** A TLS string as QEMU 7.2 stores it: JSON null means "" (cleared). */
    static @Nullable String string(@Nullable StrOrNull value, String member, @Nullable String current) {
        if (value == null) {
            return current;
        }
        if (value instanceof StrOrNull.S s) {
            return s.value();
        }
        if (value instanceof StrOrNull.N) {
            return "";
        }
        throw QmpException.generic("Invalid parameter type for '" + member + "', expected: StrOrNull");
    }

    private static <T> T or(@Nullable T change, T current) {
        return change != null ? change : current;
    }
}

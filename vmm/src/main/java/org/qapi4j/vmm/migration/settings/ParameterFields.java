package org.qapi4j.vmm.migration.settings;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.qapi4j.vmm.api.MigrationParameter;
import org.qapi4j.vmm.api.MigrationParameters;

/**
 * Each parameter's value in a {@link MigrationParameters}, by name: lets {@link MigrationSettings}
 * tell its listeners which parameters a {@code migrate-set-parameters} really changed, without a
 * hand-written comparison per member.
 */
final class ParameterFields {
    private static final Map<MigrationParameter.Known, Function<MigrationParameters, Object>> VALUES =
            new EnumMap<>(MigrationParameter.Known.class);

    static {
        put(MigrationParameter.Known.ANNOUNCE_INITIAL, MigrationParameters::announceInitial);
        put(MigrationParameter.Known.ANNOUNCE_MAX, MigrationParameters::announceMax);
        put(MigrationParameter.Known.ANNOUNCE_ROUNDS, MigrationParameters::announceRounds);
        put(MigrationParameter.Known.ANNOUNCE_STEP, MigrationParameters::announceStep);
        put(MigrationParameter.Known.COMPRESS_LEVEL, MigrationParameters::compressLevel);
        put(MigrationParameter.Known.COMPRESS_THREADS, MigrationParameters::compressThreads);
        put(MigrationParameter.Known.DECOMPRESS_THREADS, MigrationParameters::decompressThreads);
        put(MigrationParameter.Known.COMPRESS_WAIT_THREAD, MigrationParameters::compressWaitThread);
        put(MigrationParameter.Known.THROTTLE_TRIGGER_THRESHOLD, MigrationParameters::throttleTriggerThreshold);
        put(MigrationParameter.Known.CPU_THROTTLE_INITIAL, MigrationParameters::cpuThrottleInitial);
        put(MigrationParameter.Known.CPU_THROTTLE_INCREMENT, MigrationParameters::cpuThrottleIncrement);
        put(MigrationParameter.Known.CPU_THROTTLE_TAILSLOW, MigrationParameters::cpuThrottleTailslow);
        put(MigrationParameter.Known.TLS_CREDS, MigrationParameters::tlsCreds);
        put(MigrationParameter.Known.TLS_HOSTNAME, MigrationParameters::tlsHostname);
        put(MigrationParameter.Known.TLS_AUTHZ, MigrationParameters::tlsAuthz);
        put(MigrationParameter.Known.MAX_BANDWIDTH, MigrationParameters::maxBandwidth);
        put(MigrationParameter.Known.DOWNTIME_LIMIT, MigrationParameters::downtimeLimit);
        put(MigrationParameter.Known.X_CHECKPOINT_DELAY, MigrationParameters::xCheckpointDelay);
        put(MigrationParameter.Known.BLOCK_INCREMENTAL, MigrationParameters::blockIncremental);
        put(MigrationParameter.Known.MULTIFD_CHANNELS, MigrationParameters::multifdChannels);
        put(MigrationParameter.Known.XBZRLE_CACHE_SIZE, MigrationParameters::xbzrleCacheSize);
        put(MigrationParameter.Known.MAX_POSTCOPY_BANDWIDTH, MigrationParameters::maxPostcopyBandwidth);
        put(MigrationParameter.Known.MAX_CPU_THROTTLE, MigrationParameters::maxCpuThrottle);
        put(MigrationParameter.Known.MULTIFD_COMPRESSION, MigrationParameters::multifdCompression);
        put(MigrationParameter.Known.MULTIFD_ZLIB_LEVEL, MigrationParameters::multifdZlibLevel);
        put(MigrationParameter.Known.MULTIFD_ZSTD_LEVEL, MigrationParameters::multifdZstdLevel);
        put(MigrationParameter.Known.BLOCK_BITMAP_MAPPING, MigrationParameters::blockBitmapMapping);
        if (VALUES.size() != MigrationParameter.Known.values().length) {
            throw new IllegalStateException("a migration parameter has no accessor in ParameterFields");
        }
    }

    private ParameterFields() {}

    private static void put(MigrationParameter.Known name, Function<MigrationParameters, Object> value) {
        VALUES.put(name, value);
    }

    /** The parameters whose value differs between {@code before} and {@code after}, in schema order. */
    static List<MigrationParameter.Known> changed(MigrationParameters before, MigrationParameters after) {
        List<MigrationParameter.Known> changed = new ArrayList<>();
        for (Map.Entry<MigrationParameter.Known, Function<MigrationParameters, Object>> e : VALUES.entrySet()) {
            if (!Objects.equals(e.getValue().apply(before), e.getValue().apply(after))) {
                changed.add(e.getKey());
            }
        }
        return changed;
    }
}

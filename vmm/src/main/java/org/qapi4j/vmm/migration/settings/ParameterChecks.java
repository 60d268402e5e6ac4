package org.qapi4j.vmm.migration.settings;

import org.qapi4j.qmp.QmpException;
import org.qapi4j.vmm.api.MigrationParameters;
import org.qapi4j.vmm.api.MultiFDCompression;

/**
 * QEMU 7.2's {@code migrate_params_check}: the range checks of {@code migrate-set-parameters},
 * run on the whole result (current values with the request's changes, as {@code
 * migrate_params_test_apply} builds it), in QEMU's order, the first failure answered with QEMU's
 * text ({@code QERR_INVALID_PARAMETER_VALUE}, "Parameter '%s' expects %s", with the C member name
 * and its underscores). Separate from {@link VmmLimits} because these refusals must be QEMU's,
 * byte for byte, and come before ours.
 *
 * <p>Two checks of QEMU can never fail here and are left out: {@code max_bandwidth > SIZE_MAX}
 * (both are 64 bits wide) and the one {@code x_checkpoint_delay} no longer has. Unsigned 64-bit
 * members ({@code size}, {@code uint64}) arrive as Java {@code long}s holding the same bits, so
 * they are compared unsigned.
 */
final class ParameterChecks {
    private ParameterChecks() {}

    /**
     * Throws QEMU's error for the first check {@code p} fails.
     *
     * @param zeroCopySend whether capability {@code zero-copy-send} is on (QEMU then refuses
     *     compression and TLS; our VMM never lets it on, the check is kept for completeness)
     */
    static void check(MigrationParameters p, boolean zeroCopySend) {
        if (p.compressLevel() > 9) {
            throw invalid("compress_level", "a value between 0 and 9");
        }
        if (p.compressThreads() < 1) {
            throw invalid("compress_threads", "a value between 1 and 255");
        }
        if (p.decompressThreads() < 1) {
            throw invalid("decompress_threads", "a value between 1 and 255");
        }
        if (p.throttleTriggerThreshold() < 1 || p.throttleTriggerThreshold() > 100) {
            throw invalid("throttle_trigger_threshold", "an integer in the range of 1 to 100");
        }
        if (p.cpuThrottleInitial() < 1 || p.cpuThrottleInitial() > 99) {
            throw invalid("cpu_throttle_initial", "an integer in the range of 1 to 99");
        }
        if (p.cpuThrottleIncrement() < 1 || p.cpuThrottleIncrement() > 99) {
            throw invalid("cpu_throttle_increment", "an integer in the range of 1 to 99");
        }
        if (Long.compareUnsigned(p.downtimeLimit(), MigrationDefaults.MAX_DOWNTIME_LIMIT) > 0) {
            // QEMU stringifies the macro, hence the "(2000 * 1000)".
            throw invalid("downtime_limit", "an integer in the range of 0 to (2000 * 1000) ms");
        }
        if (p.multifdChannels() < 1) {
            throw invalid("multifd_channels", "a value between 1 and 255");
        }
        if (p.multifdZlibLevel() > 9) {
            throw invalid("multifd_zlib_level", "a value between 0 and 9");
        }
        if (p.multifdZstdLevel() > 20) {
            throw invalid("multifd_zstd_level", "a value between 0 and 20");
        }
        long xbzrle = p.xbzrleCacheSize();
        if (Long.compareUnsigned(xbzrle, MigrationDefaults.TARGET_PAGE_SIZE) < 0 || (xbzrle & (xbzrle - 1)) != 0) {
            throw invalid("xbzrle_cache_size", "a power of two no less than the target page size");
        }
        if (p.maxCpuThrottle() < p.cpuThrottleInitial() || p.maxCpuThrottle() > 99) {
            throw invalid("max_cpu_throttle", "an integer in the range of cpu_throttle_initial to 99");
        }
        if (Long.compareUnsigned(p.announceInitial(), 100000) > 0) {
            throw invalid("announce_initial", "a value between 0 and 100000");
        }
        if (Long.compareUnsigned(p.announceMax(), 100000) > 0) {
            throw invalid("announce_max", "a value between 0 and 100000");
        }
        if (Long.compareUnsigned(p.announceRounds(), 1000) > 0) {
            throw invalid("announce_rounds", "a value between 0 and 1000");
        }
        if (p.announceStep() == 0 || Long.compareUnsigned(p.announceStep(), 10000) > 0) {
            // QEMU's text says 0 although 0 is refused.
            throw invalid("announce_step", "a value between 0 and 10000");
        }
        if (p.blockBitmapMapping() != null) {
            BitmapMappingCheck.check(p.blockBitmapMapping());
        }
        if (zeroCopySend && (!MultiFDCompression.NONE.equals(p.multifdCompression())
                || (p.tlsCreds() != null && !p.tlsCreds().isEmpty()))) {
            throw QmpException.generic("Zero copy only available for non-compressed non-TLS multifd migration");
        }
    }

    private static QmpException invalid(String name, String expects) {
        return QmpException.generic("Parameter '" + name + "' expects " + expects);
    }
}

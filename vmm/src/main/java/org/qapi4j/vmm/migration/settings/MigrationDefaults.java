package org.qapi4j.vmm.migration.settings;

import org.qapi4j.vmm.api.MigrationParameters;
import org.qapi4j.vmm.api.MultiFDCompression;

/**
 * QEMU 7.2's default migration parameters, from the {@code DEFAULT_MIGRATE_*} constants and the
 * {@code migration_properties} table of {@code migration/migration.c}, and from {@code
 * migration_instance_init} (the TLS strings start empty). Kept in one place because both the
 * starting state and {@link VmmLimits} (which accepts only the default for a feature we lack)
 * need them. All capabilities start off ({@code DEFINE_PROP_MIG_CAP} defaults to false).
 */
final class MigrationDefaults {
    /** {@code MAX_THROTTLE}: 128 MiB/s. */
    static final long MAX_BANDWIDTH = 128L << 20;
    /** {@code DEFAULT_MIGRATE_SET_DOWNTIME}, in milliseconds. */
    static final long DOWNTIME_LIMIT = 300;
    /** {@code MAX_MIGRATE_DOWNTIME}: 2000 seconds, in milliseconds. */
    static final long MAX_DOWNTIME_LIMIT = 2000L * 1000;
    /** {@code DEFAULT_MIGRATE_X_CHECKPOINT_DELAY}, in milliseconds. */
    static final long X_CHECKPOINT_DELAY = 200 * 100;
    static final int COMPRESS_LEVEL = 1;
    static final int COMPRESS_THREADS = 8;
    static final int DECOMPRESS_THREADS = 2;
    static final boolean COMPRESS_WAIT_THREAD = true;
    static final int THROTTLE_TRIGGER_THRESHOLD = 50;
    static final int CPU_THROTTLE_INITIAL = 20;
    static final int CPU_THROTTLE_INCREMENT = 10;
    static final int MAX_CPU_THROTTLE = 99;
    /** {@code DEFAULT_MIGRATE_XBZRLE_CACHE_SIZE}: 64 MiB. */
    static final long XBZRLE_CACHE_SIZE = 64L * 1024 * 1024;
    static final int MULTIFD_CHANNELS = 2;
    static final int MULTIFD_ZLIB_LEVEL = 1;
    static final int MULTIFD_ZSTD_LEVEL = 1;
    static final long MAX_POSTCOPY_BANDWIDTH = 0;
    static final long ANNOUNCE_INITIAL = 50;
    static final long ANNOUNCE_MAX = 550;
    static final long ANNOUNCE_ROUNDS = 5;
    static final long ANNOUNCE_STEP = 100;
    /** {@code qemu_target_page_size()} of the x86-64 target QEMU 7.2 is compared with. */
    static final long TARGET_PAGE_SIZE = 4096;

    private MigrationDefaults() {}

    /** What {@code query-migrate-parameters} answers on a fresh QEMU 7.2 (no block-bitmap-mapping). */
    static MigrationParameters parameters() {
        return new MigrationParameters(ANNOUNCE_INITIAL, ANNOUNCE_MAX, ANNOUNCE_ROUNDS, ANNOUNCE_STEP,
                COMPRESS_LEVEL, COMPRESS_THREADS, COMPRESS_WAIT_THREAD, DECOMPRESS_THREADS,
                THROTTLE_TRIGGER_THRESHOLD, CPU_THROTTLE_INITIAL, CPU_THROTTLE_INCREMENT, false,
                "", "", "", MAX_BANDWIDTH, DOWNTIME_LIMIT, X_CHECKPOINT_DELAY, false, MULTIFD_CHANNELS,
                XBZRLE_CACHE_SIZE, MAX_POSTCOPY_BANDWIDTH, MAX_CPU_THROTTLE, MultiFDCompression.NONE,
                MULTIFD_ZLIB_LEVEL, MULTIFD_ZSTD_LEVEL, null);
    }
}

/**
 * QEMU 7.2's migration capabilities and parameters as our VMM keeps them: the values and their
 * defaults ({@link org.qapi4j.vmm.migration.settings.MigrationDefaults}), QEMU's own checks
 * ({@link org.qapi4j.vmm.migration.settings.CapabilityChecks}, {@link
 * org.qapi4j.vmm.migration.settings.ParameterChecks}, {@link
 * org.qapi4j.vmm.migration.settings.BitmapMappingCheck}), what our VMM refuses because it cannot
 * honour it ({@link org.qapi4j.vmm.migration.settings.VmmLimits}), and the object the migration
 * engine and the QMP handlers share ({@link org.qapi4j.vmm.migration.settings.MigrationSettings}).
 *
 * <p>The reference is QEMU at tag v7.2.0 (commit b67b00e6b4c7): {@code migration/migration.c}
 * ({@code migrate_caps_check}, {@code qmp_migrate_set_capabilities}, {@code
 * qmp_query_migrate_capabilities}, {@code migrate_params_check}, {@code
 * migrate_params_test_apply}, {@code migrate_params_apply}, {@code qmp_migrate_set_parameters},
 * {@code qmp_query_migrate_parameters}, {@code migration_properties}, {@code
 * migration_instance_init}) and {@code migration/block-dirty-bitmap.c} ({@code
 * check_dirty_bitmap_mig_alias_map}). Every text QEMU answers with was checked against Debian's
 * QEMU 7.2 ({@code MigrationSettingsDifferentialTest}).
 *
 * <p>Rule for what we cannot honour: where QEMU 7.2 itself refuses a request (a range check, a
 * combination of capabilities), we answer exactly as QEMU does, since a client may rely on that
 * text; only where QEMU would accept, and our machine lacks the feature, do we refuse, with a text
 * of our own that names this VMM, so nobody mistakes it for QEMU's.
 */
package org.qapi4j.vmm.migration.settings;

package org.qapi4j.vmm.migration.settings;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.vmm.api.MigrateSetParameters;
import org.qapi4j.vmm.api.MigrationCapability;
import org.qapi4j.vmm.api.MigrationCapabilityStatus;
import org.qapi4j.vmm.api.MigrationParameter;
import org.qapi4j.vmm.api.MigrationParameters;

/**
 * The migration capabilities and parameters of our VMM, as QEMU 7.2 keeps them in its {@code
 * MigrationState} ({@code enabled_capabilities}, {@code parameters}): what {@code
 * migrate-set-capabilities}, {@code query-migrate-capabilities}, {@code migrate-set-parameters} and
 * {@code query-migrate-parameters} act on, and what the migration engine reads.
 *
 * <p>Each change is all or nothing, as in QEMU: the whole result is computed and checked first
 * (QEMU's checks in {@link CapabilityChecks} and {@link ParameterChecks}, then the refusals of our
 * own in {@link VmmLimits}), and only then put in place. Thread-safe: every read and change holds
 * this object's lock; listeners are called after the lock is released, so that a listener may
 * take the engine's locks without risk of deadlock against an engine thread reading a value here.
 */
public final class MigrationSettings {
    private final List<Consumer<MigrationParameter.Known>> listeners = new CopyOnWriteArrayList<>();
    private Set<MigrationCapability.Known> on = CapabilityChecks.none();
    private MigrationParameters parameters = MigrationDefaults.parameters();

    /** QEMU 7.2's defaults: every capability off, the parameters of {@link MigrationDefaults}. */
    public MigrationSettings() {}

    /**
     * {@code migrate-set-capabilities}: QEMU 7.2's {@code qmp_migrate_set_capabilities} with its
     * {@code migrate_caps_check}, then our refusals ({@link VmmLimits}); all or nothing. A later
     * entry for the same capability overrides an earlier one, as in QEMU.
     *
     * @param migrationRunning whether a migration is in progress; QEMU 7.2 refuses then, with
     *     "There's a migration process in progress". Note that QEMU's {@code
     *     migration_is_running} looks at the outgoing side only, in states setup, active,
     *     pre-switchover, device, wait-unplug, cancelling and the postcopy ones: not colo, not
     *     an incoming migration; the caller decides which of those it counts
     * @throws QmpException with QEMU's error class and text, or a {@code GenericError} of ours
     *     naming this VMM for a capability we cannot honour
     */
    public synchronized void setCapabilities(List<MigrationCapabilityStatus> changes, boolean migrationRunning) {
        if (migrationRunning) {
            throw QmpException.generic(CapabilityChecks.MIGRATION_ACTIVE);
        }
        Set<MigrationCapability.Known> next = on.isEmpty() ? CapabilityChecks.none() : EnumSet.copyOf(on);
        for (MigrationCapabilityStatus change : changes) {
            if (!(change.capability() instanceof MigrationCapability.Known known)) {
                // The strict argument decoder refuses this first; kept in case a caller does not decode.
                throw QmpException.generic("Parameter 'capability' does not accept value '"
                        + change.capability().wireName() + "'");
            }
            if (change.state()) {
                next.add(known);
            } else {
                next.remove(known);
            }
        }
        CapabilityChecks.check(next, parameters.multifdCompression(), parameters.tlsCreds());
        VmmLimits.checkCapabilities(next);
        on = next;
    }

    /** {@code query-migrate-capabilities}: every capability, in QEMU's order, with its state. */
    public synchronized List<MigrationCapabilityStatus> capabilities() {
        List<MigrationCapabilityStatus> all = new ArrayList<>();
        for (MigrationCapability.Known capability : MigrationCapability.Known.values()) {
            all.add(new MigrationCapabilityStatus(capability, on.contains(capability)));
        }
        return List.copyOf(all);
    }

    public synchronized boolean isOn(MigrationCapability.Known capability) {
        return on.contains(capability);
    }

    /**
     * {@code migrate-set-parameters}: QEMU 7.2's {@code qmp_migrate_set_parameters} ({@code
     * migrate_params_test_apply}, {@code migrate_params_check}, {@code migrate_params_apply}),
     * then our refusals ({@link VmmLimits}); all or nothing. Unlike capabilities, QEMU allows this
     * while a migration runs (to change the bandwidth, say), and so do we. Afterwards each
     * listener hears of each parameter whose value changed, on this thread.
     *
     * @throws QmpException with QEMU's error class and text, or a {@code GenericError} of ours
     *     naming this VMM for a value we cannot honour
     */
    public void setParameters(MigrateSetParameters changes) {
        List<MigrationParameter.Known> changed;
        synchronized (this) {
            MigrationParameters next = ParameterMerge.apply(parameters, changes);
            ParameterChecks.check(next, on.contains(MigrationCapability.Known.ZERO_COPY_SEND));
            VmmLimits.checkParameters(changes);
            changed = ParameterFields.changed(parameters, next);
            parameters = next;
        }
        for (MigrationParameter.Known parameter : changed) {
            for (Consumer<MigrationParameter.Known> listener : listeners) {
                listener.accept(parameter);
            }
        }
    }

    /**
     * {@code query-migrate-parameters}: every parameter ({@code block-bitmap-mapping} only once
     * set), as QEMU's {@code qmp_query_migrate_parameters} answers; the record is immutable.
     */
    public synchronized MigrationParameters parameters() {
        return parameters;
    }

    /**
     * {@code max-bandwidth} in bytes per second. QEMU's is an unsigned 64-bit number (a client may
     * set it to 2^64-1); values beyond {@link Long#MAX_VALUE} read as {@code Long.MAX_VALUE}, which
     * is "no limit" all the same.
     */
    public synchronized long maxBandwidth() {
        long value = parameters.maxBandwidth();
        return value < 0 ? Long.MAX_VALUE : value;
    }

    /** {@code downtime-limit} in milliseconds (at most 2,000,000, QEMU's check). */
    public synchronized long downtimeLimitMillis() {
        return parameters.downtimeLimit();
    }

    /** {@code x-checkpoint-delay}: milliseconds between COLO checkpoints. */
    public synchronized long checkpointDelayMillis() {
        return parameters.xCheckpointDelay();
    }

    /** {@code cpu-throttle-initial}, percent (1 to 99). */
    public synchronized int cpuThrottleInitial() {
        return parameters.cpuThrottleInitial();
    }

    /** {@code cpu-throttle-increment}, percent (1 to 99). */
    public synchronized int cpuThrottleIncrement() {
        return parameters.cpuThrottleIncrement();
    }

    public synchronized boolean cpuThrottleTailslow() {
        return parameters.cpuThrottleTailslow();
    }

    /** {@code max-cpu-throttle}, percent (from {@code cpu-throttle-initial} to 99). */
    public synchronized int maxCpuThrottle() {
        return parameters.maxCpuThrottle();
    }

    /** {@code throttle-trigger-threshold}, percent (1 to 100). */
    public synchronized int throttleTriggerThreshold() {
        return parameters.throttleTriggerThreshold();
    }

    /**
     * Calls {@code listener} for each parameter whose value a later {@code setParameters}
     * changes, on that caller's thread, after the change is in place and outside this object's
     * lock. A listener that throws makes {@code setParameters} throw although the change stays
     * in place, so listeners should not throw.
     */
    public void addParameterListener(Consumer<MigrationParameter.Known> listener) {
        listeners.add(listener);
    }
}

package org.qapi4j.vmm.migration.settings;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.vmm.api.MigrateSetParameters;
import org.qapi4j.vmm.api.MigrationCapability;
import org.qapi4j.vmm.api.MigrationCapabilityStatus;
import org.qapi4j.vmm.api.MigrationParameter;
import org.qapi4j.vmm.api.MigrationParameters;

/** Placeholder of the settings' API while its checks are written on their own branch. */
public final class MigrationSettings {
    private final Set<MigrationCapability.Known> on = EnumSet.noneOf(MigrationCapability.Known.class);
    private long maxBandwidth = 128L << 20;
    private long downtimeLimit = 300;

    public synchronized void setCapabilities(List<MigrationCapabilityStatus> changes, boolean migrationRunning) {
        if (migrationRunning) {
            throw QmpException.generic("There's a migration process in progress");
        }
        for (MigrationCapabilityStatus change : changes) {
            MigrationCapability.Known capability = (MigrationCapability.Known) change.capability();
            if (change.state()) {
                on.add(capability);
            } else {
                on.remove(capability);
            }
        }
    }

    public synchronized List<MigrationCapabilityStatus> capabilities() {
        List<MigrationCapabilityStatus> all = new ArrayList<>();
        for (MigrationCapability.Known capability : MigrationCapability.Known.values()) {
            all.add(new MigrationCapabilityStatus(capability, on.contains(capability)));
        }
        return all;
    }

    public synchronized boolean isOn(MigrationCapability.Known capability) {
        return on.contains(capability);
    }

    public synchronized void setParameters(MigrateSetParameters changes) {
        if (changes.maxBandwidth() != null) {
            maxBandwidth = changes.maxBandwidth();
        }
        if (changes.downtimeLimit() != null) {
            downtimeLimit = changes.downtimeLimit();
        }
    }

    public synchronized MigrationParameters parameters() {
        return MigrationParameters.builder().maxBandwidth(maxBandwidth).downtimeLimit(downtimeLimit).build();
    }

    public synchronized long maxBandwidth() {
        return maxBandwidth;
    }

    public synchronized long downtimeLimitMillis() {
        return downtimeLimit;
    }

    public synchronized long checkpointDelayMillis() {
        return 20_000;
    }

    public synchronized int cpuThrottleInitial() {
        return 20;
    }

    public synchronized int cpuThrottleIncrement() {
        return 10;
    }

    public synchronized boolean cpuThrottleTailslow() {
        return false;
    }

    public synchronized int maxCpuThrottle() {
        return 99;
    }

    public synchronized int throttleTriggerThreshold() {
        return 50;
    }

    public void addParameterListener(Consumer<MigrationParameter.Known> listener) {
    }
}

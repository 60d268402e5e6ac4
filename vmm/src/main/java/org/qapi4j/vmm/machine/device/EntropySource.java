package org.qapi4j.vmm.machine.device;

import java.io.DataInput;
import java.io.DataOutput;
import java.security.SecureRandom;

/**
 * A hardware random number generator (as virtio-rng): its output is host entropy, and it has
 * no state to migrate. Two replicas of one guest therefore draw different numbers, which is what
 * makes their outputs diverge and what COLO must detect.
 */
public final class EntropySource implements Device {
    private final SecureRandom random = new SecureRandom();

    /** 64 random bits from the host. */
    public long nextLong() {
        return random.nextLong();
    }

    @Override
    public String name() {
        return "entropy";
    }

    @Override
    public int stateVersion() {
        return 1;
    }

    @Override
    public void save(DataOutput out) {
        // Nothing: host entropy is not guest state.
    }

    @Override
    public void load(DataInput in) {
        // Nothing: the loading host draws from its own entropy.
    }

    @Override
    public void reset() {
        // Nothing to reset.
    }
}

package org.qapi4j.qmp.codec;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * QEMU's {@code -compat deprecated-input=...,unstable-input=...}: whether commands, arguments
 * and enum values that the schema marks {@code deprecated} or {@code unstable} are accepted.
 * A client that must not depend on either can be tested against a server that rejects them.
 *
 * @param deprecatedInput what happens to input with the feature {@code deprecated}
 * @param unstableInput what happens to input with the feature {@code unstable}
 */
public record CompatPolicy(CompatPolicyInput deprecatedInput, CompatPolicyInput unstableInput) {
    /** Everything accepted: QEMU's default. */
    public static final CompatPolicy ACCEPT_ALL = new CompatPolicy(CompatPolicyInput.ACCEPT, CompatPolicyInput.ACCEPT);

    public CompatPolicy {
        Objects.requireNonNull(deprecatedInput, "deprecatedInput");
        Objects.requireNonNull(unstableInput, "unstableInput");
    }

    /** Whether anything is refused at all. */
    public boolean acceptsAll() {
        return deprecatedInput == CompatPolicyInput.ACCEPT && unstableInput == CompatPolicyInput.ACCEPT;
    }

    /**
     * QEMU's {@code compat_policy_input_ok}: the refusal of {@code kind} {@code name} with these
     * features ({@code "Unstable command x-foo disabled by policy"}), or null when it is accepted.
     *
     * @param kind {@code command}, {@code parameter} or {@code value}, as QEMU words it
     * @param features {@link QapiReader#DEPRECATED} and {@link QapiReader#UNSTABLE}, or-ed
     */
    public @Nullable String refusal(String kind, String name, int features) {
        if ((features & QapiReader.DEPRECATED) != 0 && deprecatedInput == CompatPolicyInput.REJECT) {
            return "Deprecated " + kind + " " + name + " disabled by policy";
        }
        if ((features & QapiReader.UNSTABLE) != 0 && unstableInput == CompatPolicyInput.REJECT) {
            return "Unstable " + kind + " " + name + " disabled by policy";
        }
        return null;
    }
}

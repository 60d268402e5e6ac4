package org.qapi4j.qmp.codec;

/**
 * What a server does with input the schema marks {@code deprecated} or {@code unstable}: one
 * half of QEMU's {@code -compat deprecated-input=...} or {@code unstable-input=...}.
 */
public enum CompatPolicyInput {
    /** Serve it (the default, as QEMU's). */
    ACCEPT,
    /** Refuse it with QEMU's error: "Deprecated command NAME disabled by policy", and so on. */
    REJECT
}

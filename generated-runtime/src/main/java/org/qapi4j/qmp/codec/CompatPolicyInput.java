package org.qapi4j.qmp.server;

/**
 * What the server does with a command the schema marks {@code deprecated} or {@code unstable}:
 * QEMU's {@code -compat deprecated-input=...,unstable-input=...}, for commands. A client that
 * must not depend on either can be tested against a server that rejects them.
 */
public enum CompatPolicyInput {
    /** Serve it (the default, as QEMU's). */
    ACCEPT,
    /** Answer {@code CommandNotFound}: "Deprecated command NAME disabled by policy" (or Unstable). */
    REJECT
}

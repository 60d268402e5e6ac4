package org.qapi4j.qmp.dispatch;

/** One QMP monitor: a client connection, with its own negotiation state. */
public interface Monitor {
    /** A name for logs, unique while the server runs, e.g. {@code unix:/run/qmp.sock#3}. */
    String id();

    /** Whether the client enabled out-of-band execution during negotiation. */
    boolean oobEnabled();
}

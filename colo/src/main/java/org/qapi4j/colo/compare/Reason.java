package org.qapi4j.colo.compare;

/** Why the comparator asks for a checkpoint. */
public enum Reason {
    /** A primary output and the secondary's counterpart differ. */
    MISMATCH,
    /** An output waited longer than the timeout for its counterpart. */
    TIMEOUT,
    /** A connection's queue reached its bound. */
    QUEUE_FULL
}

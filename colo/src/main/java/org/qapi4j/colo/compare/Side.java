package org.qapi4j.colo.compare;

/** One of the two replicas of a COLO pair. */
public enum Side {
    PRIMARY,
    SECONDARY
}

package org.qapi4j.colo.compare;

/**
 * One output line held by the comparator, with what was learnt about it while it waited. Its own
 * class because the same object sits in a connection's queues, is marked by the pairing and by the
 * timeout scan, and is released from there: the marks must travel with the line.
 */
final class Output {
    final long epoch;
    final byte[] line;
    final long arrivedNanos;
    /** Its counterpart was equal: it may go as soon as the lines ahead of it have gone. */
    boolean matched;
    /** A timeout was already requested for it, so a later scan must not request another. */
    boolean timeoutReported;

    Output(long epoch, byte[] line, long arrivedNanos) {
        this.epoch = epoch;
        this.line = line;
        this.arrivedNanos = arrivedNanos;
    }
}

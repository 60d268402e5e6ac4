package org.qapi4j.colo.compare;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * What an {@link OutputComparator} calls. Calls come one at a time, in the order the comparator
 * decided them, outside its lock (so a callback may do I/O or call the comparator back), on
 * whichever thread drove the comparator at that moment.
 */
public interface OutputListener {

    /**
     * Sends the primary's {@code line} to the client of {@code connection}. Per connection, lines
     * come in the order the primary produced them, each once.
     */
    void release(int connection, byte[] line);

    /** Asks for a checkpoint; many requests before it starts should cause one (the caller coalesces). */
    void requestCheckpoint(Reason reason);

    /**
     * Back-pressure for {@code connection}: {@code paused} when its primary queue reached the
     * bound (stop reading that client until resumed), then {@code !paused} once it drained below
     * it. No resume comes for a closed connection. Ignored by default.
     */
    default void backPressure(int connection, boolean paused) {
    }

    /** Releases lines to the client of a connection. */
    @FunctionalInterface
    interface Releaser {
        void release(int connection, byte[] line);
    }

    /** A listener from two functions, ignoring back-pressure. */
    static OutputListener of(Releaser release, Consumer<Reason> requestCheckpoint) {
        Objects.requireNonNull(release, "release");
        Objects.requireNonNull(requestCheckpoint, "requestCheckpoint");
        return new OutputListener() {
            @Override
            public void release(int connection, byte[] line) {
                release.release(connection, line);
            }

            @Override
            public void requestCheckpoint(Reason reason) {
                requestCheckpoint.accept(reason);
            }
        };
    }
}

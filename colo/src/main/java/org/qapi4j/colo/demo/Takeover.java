package org.qapi4j.colo.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * How the secondary comes to take over once the primary has been killed, the one part of the
 * scenario {@code --arbiter} changes: {@link OperatorTakeover} ({@code none}: the demo sends
 * {@code x-colo-lost-heartbeat}) or {@link ArbiterTakeover} (the secondary takes over by itself
 * once it holds the lease). Closing it stops what it started (an embedded ZooKeeper server).
 */
interface Takeover extends AutoCloseable {
    /** Sets up what {@code options} ask for; {@code dir} is a folder it may use. */
    static Takeover start(DemoOptions options, Path dir, Timeline timeline) throws IOException {
        ArbiterChoice choice = options.arbiterChoice();
        return choice.kind() == ArbiterChoice.Kind.NONE ? new OperatorTakeover(timeline)
                : ArbiterTakeover.start(choice, options.sessionTimeoutMillis, dir, timeline);
    }

    /** What both VMMs get on their command line. */
    List<String> vmmArgs();

    /** About how long the clients go without answers, from the kill on (to pace their writes). */
    long expectedOutageMillis();

    /** How long the takeover may take at most, from the kill on (after that the clients give up too). */
    long waitMillis();

    /**
     * Called right after the primary was killed: brings the takeover about or waits for it.
     * Reports what went wrong to {@code problem}; returns whether the secondary took over.
     */
    boolean afterKill(ColoPair pair, EventRecorder events, Consumer<String> problem) throws InterruptedException;

    /** Adds what the VMMs printed about the takeover to the timeline (before they are gone). */
    default void addToTimeline(ColoPair pair) throws IOException {
    }

    /** The summary's line about the failover, or null when there was none to time. */
    String summary(Timeline timeline, EventRecorder events);

    @Override
    default void close() throws IOException {
    }
}

package org.qapi4j.colo.demo;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code --arbiter none}, QEMU's behaviour: nothing takes over by itself, because with two
 * parties only a cut link looks exactly like a dead peer, and a secondary that took over on a
 * timeout could serve beside a live primary. Someone who can tell the two apart sends {@code
 * x-colo-lost-heartbeat}; here the demonstration, which killed the primary, stands in for them.
 */
final class OperatorTakeover implements Takeover {
    private static final String HEARTBEAT_LINE = "x-colo-lost-heartbeat to the secondary";

    private final Timeline timeline;

    OperatorTakeover(Timeline timeline) {
        this.timeline = timeline;
    }

    @Override
    public List<String> vmmArgs() {
        return List.of();
    }

    @Override
    public long expectedOutageMillis() {
        return 0;
    }

    @Override
    public long waitMillis() {
        return 0;
    }

    @Override
    public boolean afterKill(ColoPair pair, EventRecorder events, Consumer<String> problem) {
        timeline.add("demo", "the primary is gone; " + HEARTBEAT_LINE + " (without an arbiter nothing takes over by"
                + " itself: the demo stands in for the operator)");
        try {
            pair.secondaryQmp().call("x-colo-lost-heartbeat", null);
            timeline.add("demo", "x-colo-lost-heartbeat answered");
            return true;
        } catch (IOException e) {
            problem.accept("x-colo-lost-heartbeat failed: " + e.getMessage());
            return false;
        }
    }

    @Override
    public String summary(Timeline timeline, EventRecorder events) {
        long kill = timeline.firstMicros(text -> text.startsWith(Demonstration.KILL_LINE));
        long heartbeat = timeline.firstMicros(text -> text.contains(HEARTBEAT_LINE));
        if (heartbeat < 0) {
            return null;
        }
        long resumed = events.survivorResumedMicros(heartbeat);
        long firstAnswer = timeline.firstMicros(text -> text.startsWith(KvWriter.FIRST_ANSWER_LINE));
        return String.format("failover: SIGKILL at %.1f ms, x-colo-lost-heartbeat at %.1f ms, the secondary's RESUME %s,"
                + " the first client answer %s", timeline.millis(kill), timeline.millis(heartbeat), after(resumed, heartbeat),
                after(firstAnswer, heartbeat));
    }

    private static String after(long micros, long origin) {
        return micros < 0 ? "never" : String.format("%.1f ms after it", (micros - origin) / 1000.0);
    }
}

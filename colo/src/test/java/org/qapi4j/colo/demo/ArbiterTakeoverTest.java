package org.qapi4j.colo.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * The demo's side of an arbiter's failover, without VMMs: what both VMMs are given, the wait
 * after the kill ending at the secondary's RESUME after its MIGRATION completed, and a
 * takeover that never comes being a problem once the wait is over.
 */
class ArbiterTakeoverTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private ArbiterTakeover ensemble(Timeline timeline) throws Exception {
        // An ensemble nobody listens on: no VMM uses it here, and nothing is started.
        return ArbiterTakeover.start(ArbiterChoice.parse("zookeeper://127.0.0.1:1").orElseThrow(), 200, dir, timeline);
    }

    private static void event(EventRecorder events, String side, long micros, String name, String data) {
        events.accept(side, JSON.readTree("{\"event\": \"" + name + "\", \"data\": " + data + ", \"timestamp\":"
                + " {\"seconds\": " + micros / 1_000_000 + ", \"microseconds\": " + micros % 1_000_000 + "}}"));
    }

    @Test
    void bothVmmsGetTheEnsembleWithALeasePathOfTheirOwnAndTheSessionTimeout() throws Exception {
        try (ArbiterTakeover takeover = ensemble(new Timeline())) {
            assertThat(takeover.vmmArgs()).hasSize(2).first().isEqualTo("--colo-arbiter");
            assertThat(takeover.vmmArgs().get(1))
                    .matches("zookeeper://127\\.0\\.0\\.1:1/qapi4j-colo-demo/\\d+-\\d+\\?session-timeout-ms=200");
            assertThat(takeover.expectedOutageMillis()).isEqualTo(200);
            assertThat(takeover.waitMillis()).isEqualTo(2 * 200 + 5000);
        }
    }

    @Test
    @Timeout(10)
    void theWaitEndsWithTheSecondarysResumeAfterItsMigrationCompleted() throws Exception {
        Timeline timeline = new Timeline();
        try (ArbiterTakeover takeover = ensemble(timeline)) {
            long kill = Timeline.nowMicros();
            timeline.add(kill, "demo", Demonstration.KILL_LINE + " (pid 1)");
            EventRecorder events = new EventRecorder();
            // A checkpoint's RESUME, before the failover, does not count.
            event(events, ColoPair.SECONDARY, kill + 1000, "RESUME", "{}");
            event(events, ColoPair.SECONDARY, kill + 2000, "COLO_EXIT", "{\"mode\": \"secondary\", \"reason\": \"error\"}");
            event(events, ColoPair.SECONDARY, kill + 1_500_000, "MIGRATION", "{\"status\": \"completed\"}");
            event(events, ColoPair.SECONDARY, kill + 1_501_000, "RESUME", "{}");
            List<String> problems = new ArrayList<>();

            assertThat(takeover.afterKill(null, events, problems::add)).isTrue();
            assertThat(problems).isEmpty();
            assertThat(timeline.entries()).anyMatch(e -> e.text().startsWith("the primary is gone; no x-colo-lost-heartbeat"));
            assertThat(takeover.summary(timeline, events)).contains("(session timeout 200 ms)", "its RESUME 1501.0 ms",
                    "the first client answer never");
        }
    }

    @Test
    @Timeout(20)
    void noTakeoverWithinTheWaitIsAProblem() throws Exception {
        Timeline timeline = new Timeline();
        try (ArbiterTakeover takeover = ensemble(timeline)) {
            timeline.add("demo", Demonstration.KILL_LINE + " (pid 1)");
            EventRecorder events = new EventRecorder();
            List<String> problems = new ArrayList<>();
            long start = System.nanoTime();

            assertThat(takeover.afterKill(null, events, problems::add)).isFalse();
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(takeover.waitMillis());
            assertThat(problems).containsExactly("the secondary did not take over within 5400 ms of the SIGKILL");
            assertThat(takeover.summary(timeline, events)).contains("lease gone never, its RESUME never");
        }
    }
}

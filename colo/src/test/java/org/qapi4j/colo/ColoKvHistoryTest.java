package org.qapi4j.colo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The history checker the COLO process tests rely on finds what it should, and only that. */
class ColoKvHistoryTest {
    @Test
    void aConsistentHistoryPasses() {
        KvHistory h = new KvHistory();
        h.acked("c0", "c0-0", "k", "v0", 0, 10, 1);
        h.read("c1", "k", null, -1, 0, 5); // concurrent with the first write: NONE allowed
        h.read("c1", "k", "v0", 1, 6, 12); // concurrent: allowed
        h.acked("c0", "c0-1", "k", "v1", 20, 30, 2);
        h.unknown("c0", "c0-2", "k", "v2", 40);
        h.read("c1", "k", "v1", 2, 35, 45);
        h.read("c1", "k", "v2", 3, 50, 55); // the unknown write took effect
        assertThat(h.violations()).isEmpty();
        assertThat(h.checkFinal(Map.of("k", "VALUE 2 v1"))).isEmpty();
        assertThat(h.checkFinal(Map.of("k", "VALUE 3 v2"))).isEmpty();
    }

    @Test
    void aStaleReadALostWriteAWrongSequenceNumberAndAReadGoingBackAreFound() {
        KvHistory h = new KvHistory();
        h.acked("c0", "c0-0", "k", "v0", 0, 10, 1);
        h.acked("c0", "c0-1", "k", "v1", 20, 30, 2);
        h.read("c1", "k", "v0", 1, 40, 50); // stale: v1 was acknowledged before it was sent
        h.read("c1", "k", null, -1, 60, 70); // lost
        h.read("c1", "k", "v1", 9, 80, 90); // wrong sequence number
        h.acked("c2", "c2-0", "j", "w0", 0, 10, 3);
        h.unknown("c2", "c2-1", "j", "w1", 20);
        h.read("c3", "j", "w1", 4, 30, 40);
        h.read("c3", "j", "w0", 3, 50, 60); // goes back after w1 was seen
        h.acked("c4", "c4-0", "m", "x0", 0, 10, 2); // a second write acknowledged with sequence number 2
        assertThat(h.violations()).hasSize(6) // the NONE also goes back after v0 was read
                .anySatisfy(v -> assertThat(v).contains("older than"))
                .anySatisfy(v -> assertThat(v).contains("answered NONE"))
                .anySatisfy(v -> assertThat(v).contains("answered sequence number 9"))
                .anySatisfy(v -> assertThat(v).contains("went back"))
                .anySatisfy(v -> assertThat(v).contains("two writes acknowledged with sequence number 2"));
        assertThat(h.checkFinal(Map.of("k", "VALUE 1 v0", "j", "VALUE 3 w0", "m", "VALUE 2 x0"))).hasSize(1)
                .allSatisfy(v -> assertThat(v).startsWith("k: acknowledged"));
        assertThat(h.checkFinal(Map.of("k", "NONE", "j", "VALUE 4 w1", "m", "VALUE 2 x0"))).hasSize(1);
    }
}

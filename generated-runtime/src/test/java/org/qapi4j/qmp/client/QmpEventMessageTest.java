package org.qapi4j.qmp.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.qapi4j.qmp.json.Json;

/** An event's timestamp as an instant, whatever numbers the server sent. */
class QmpEventMessageTest {
    private static Instant timestamp(long seconds, long microseconds) {
        return new QmpEventMessage("X", Json.object(), seconds, microseconds, Json.object()).timestamp();
    }

    @Test
    void timestampAsQemuSendsIt() {
        assertThat(timestamp(1700000000, 123456)).isEqualTo(Instant.parse("2023-11-14T22:13:20.123456Z"));
        assertThat(timestamp(1, 2_500_000)).as("microseconds of a second or more carry").isEqualTo(Instant.ofEpochSecond(3, 500_000_000));
    }

    /** Found by QmpConnectionFuzzTest: the largest numbers threw DateTimeException in a listener. */
    @Test
    void numbersNoInstantCanHoldAreTheEpoch() {
        assertThat(timestamp(-1, -1)).isEqualTo(Instant.EPOCH);
        assertThat(timestamp(Long.MAX_VALUE, Long.MAX_VALUE)).isEqualTo(Instant.EPOCH);
        assertThat(timestamp(Long.MAX_VALUE, 0)).isEqualTo(Instant.EPOCH);
        assertThat(timestamp(Instant.MAX.getEpochSecond(), 999_999)).isEqualTo(Instant.MAX.minusNanos(999));
        assertThat(timestamp(Instant.MAX.getEpochSecond(), 1_000_000)).isEqualTo(Instant.EPOCH);
        assertThat(timestamp(0, Long.MAX_VALUE)).isEqualTo(Instant.ofEpochSecond(Long.MAX_VALUE / 1_000_000, Long.MAX_VALUE % 1_000_000 * 1_000));
    }
}

package org.qapi4j.colo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI-sized long run ({@link LongRun}; the soak's is 10,000 checkpoints): 2,000 checkpoints
 * at a 10 ms delay under client load, none hanging, the primary's live heap and thread count
 * after 2,000 within 10% of their values after 500, the history clean; then 30 checkpoints at
 * 600 ms, whose pause percentiles it prints.
 */
class ColoLongRunTest {
    @Test
    void twoThousandCheckpointsUnderLoadNeitherHangNorLeak(@TempDir Path dir) throws Exception {
        LongRun.Figures f = LongRun.run(dir, 2000, 500, 10, 30, System.out);
        System.out.println("ColoLongRunTest: " + f.describe());
        assertThat(f.problems()).as("problems").isEmpty();
        assertThat(f.checkpoints()).isGreaterThanOrEqualTo(2000);
        assertThat(Math.abs(f.heapChange())).as("live heap %d KiB -> %d KiB", f.heapEarlyKb(), f.heapLateKb())
                .isLessThanOrEqualTo(0.10);
        assertThat(Math.abs(f.threadChange())).as("threads %d -> %d", f.threadsEarly(), f.threadsLate())
                .isLessThanOrEqualTo(0.10);
        assertThat(f.acks()).as("writes acknowledged under load").isPositive();
    }
}

package org.qapi4j.vmm.machine.program.dirty;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DirtyPacingTest {
    @Test
    void pagesDueFollowTheRateWithoutOverflow() {
        assertThat(DirtyProgram.pagesDue(0, 1000)).isZero();
        assertThat(DirtyProgram.pagesDue(999_999, 1000)).isZero();
        assertThat(DirtyProgram.pagesDue(1_000_000, 1000)).isEqualTo(1);
        assertThat(DirtyProgram.pagesDue(2_500_000_000L, 1000)).isEqualTo(2500);
        long tenYears = 10L * 365 * 24 * 3600 * 1_000_000_000L;
        assertThat(DirtyProgram.pagesDue(tenYears, 10_000_000)).isEqualTo(10L * 365 * 24 * 3600 * 10_000_000);
    }

    @Test
    void theTimeAPageIsDueIsTheFirstInstantItCounts() {
        for (long rate : new long[] {1, 3, 1000, 7919, 10_000_000}) {
            for (long pages : new long[] {1, 2, 999, 123_456}) {
                long at = DirtyProgram.nanosFor(pages, rate);
                assertThat(DirtyProgram.pagesDue(at, rate)).as("rate %d pages %d", rate, pages).isGreaterThanOrEqualTo(pages);
                assertThat(DirtyProgram.pagesDue(at - 1, rate)).as("rate %d pages %d", rate, pages).isLessThan(pages);
            }
        }
    }
}

package org.qapi4j.vmm.machine.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.qapi4j.vmm.machine.ForkedJvm;

/** A 1 GiB guest RAM in a JVM whose heap is 64 MiB: it fits, and costs only the pages written. */
class RamFootprintTest {
    @Test
    void aGibibyteOfRamRunsInA64MibHeapAndCostsOnlyTouchedPages(TestReporter reporter) throws Exception {
        ForkedJvm.Result result = ForkedJvm.run(RamFootprintMain.class, List.of("-Xmx64m", "-Xshare:off"));
        assertThat(result.exitCode()).as(result.output()).isZero();
        reporter.publishEntry("footprint", result.output().trim());

        Matcher figures = Pattern.compile("pages-written=(\\d+) zero-pages=(\\d+) dirty=(\\d+) rss-before-kib=(-?\\d+) rss-kib=(-?\\d+) hwm-kib=(-?\\d+)")
                .matcher(result.output());
        assertThat(figures.find()).as(result.output()).isTrue();
        assertThat(Long.parseLong(figures.group(1))).isEqualTo(1024);
        assertThat(Long.parseLong(figures.group(2))).isEqualTo(262144 - 1024);
        assertThat(Long.parseLong(figures.group(3))).isEqualTo(1024);
        long hwm = Long.parseLong(figures.group(6));
        if (hwm >= 0) { // procfs present: the peak stays far below the guest's gibibyte
            assertThat(hwm).as("peak RSS in KiB").isLessThan(256 * 1024);
        }
    }
}

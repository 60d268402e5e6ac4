package org.qapi4j.vmm.machine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/** A whole 1 GiB kvstore guest runs in a JVM with a 64 MiB heap. */
class MachineFootprintTest {
    @Test
    void aGibibyteGuestServesWithA64MibHeap(TestReporter reporter) throws Exception {
        ForkedJvm.Result result = ForkedJvm.run(MachineFootprintMain.class, List.of("-Xmx64m", "-Xshare:off"), "2000");
        assertThat(result.exitCode()).as(result.output()).isZero();
        reporter.publishEntry("footprint", result.output().trim());
        Matcher figures = Pattern.compile("writes=2000 ops-per-second=\\d+ zero-pages=(\\d+) rss-kib=(-?\\d+) hwm-kib=(-?\\d+)")
                .matcher(result.output());
        assertThat(figures.find()).as(result.output()).isTrue();
        assertThat(Long.parseLong(figures.group(1))).as("most of the gibibyte untouched").isGreaterThan(200_000);
        long hwm = Long.parseLong(figures.group(3));
        if (hwm >= 0) {
            assertThat(hwm).as("peak RSS in KiB").isLessThan(300 * 1024);
        }
    }
}

package org.qapi4j.vmm.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qapi4j.vmm.process.Lab;
import org.qapi4j.vmm.process.QmpLines;
import tools.jackson.databind.JsonNode;

/**
 * Precopy against a guest that keeps writing: a 1 GiB guest (heap 64 MiB) running {@code dirty} at
 * 16384 pages a second (64 MiB/s) over a 256 MiB working set. At the default bandwidth (128 MiB/s)
 * the migration converges with a downtime within {@code downtime-limit}; at 48 MiB/s, below the
 * dirty rate, it completes only with {@code auto-converge}, whose {@code cpu-throttle-percentage}
 * grows while it runs, and without it keeps iterating until cancelled, the source running on.
 */
@Timeout(120)
class MigrationConvergenceTest {
    private static final String[] GUEST = {"-m", "1G", "--guest", "dirty,rate=16384,wss=256M"};
    private static final long BELOW_DIRTY_RATE = 48L << 20;

    @Test
    void convergesWithADowntimeWithinTheLimit() throws Exception {
        try (Lab lab = new Lab()) {
            int port = Mig.freePort();
            Lab.Node source = lab.vmm("src", GUEST);
            Lab.Node destination = lab.vmm("dst", with(GUEST, "-incoming", "tcp:127.0.0.1:" + port));
            try (QmpLines src = source.qmp(); QmpLines dst = destination.qmp()) {
                long limit = Mig.ok(src, "query-migrate-parameters").get("downtime-limit").asLong();
                assertThat(limit).as("QEMU 7.2's default downtime-limit").isEqualTo(300);
                Mig.capabilities(src, "events");
                Mig.migrate(src, "tcp:127.0.0.1:" + port);
                JsonNode done = Mig.awaitMigration(src, Mig.ENDED, 60);
                assertThat(done.get("status").asString()).as("%s", done).isEqualTo("completed");
                assertThat(done.get("downtime").asLong()).as("downtime, ms: %s", done).isBetween(0L, limit);
                assertThat(done.get("ram").get("dirty-sync-count").asLong()).as("passes over the dirty log: %s", done)
                        .isGreaterThanOrEqualTo(2);
                assertThat(done.get("ram").get("transferred").asLong()).as("bytes sent: %s", done)
                        .isGreaterThan(done.get("ram").get("normal-bytes").asLong() / 2);
                System.out.println("MigrationConvergenceTest converged: " + done);
                assertThat(Mig.awaitMigration(dst, Mig.ENDED, 30).get("status").asString()).isEqualTo("completed");
                assertThat(Mig.runState(dst)).isEqualTo("running");
            }
        }
    }

    @Test
    void belowTheDirtyRateAutoConvergeThrottlesUntilItCompletes() throws Exception {
        try (Lab lab = new Lab()) {
            int port = Mig.freePort();
            Lab.Node source = lab.vmm("src", GUEST);
            Lab.Node destination = lab.vmm("dst", with(GUEST, "-incoming", "tcp:127.0.0.1:" + port));
            try (QmpLines src = source.qmp(); QmpLines dst = destination.qmp()) {
                Mig.capabilities(src, "events", "auto-converge");
                Mig.parameters(src, "{\"max-bandwidth\": " + BELOW_DIRTY_RATE
                        + ", \"cpu-throttle-initial\": 60, \"cpu-throttle-increment\": 20}");
                SoftAssertions soft = new SoftAssertions();
                JsonNode parameters = Mig.ok(src, "query-migrate-parameters");
                soft.assertThat(parameters.get("cpu-throttle-initial").asLong()).as("query-migrate-parameters: %s", parameters)
                        .isEqualTo(60);
                soft.assertThat(parameters.get("cpu-throttle-increment").asLong()).as("query-migrate-parameters: %s", parameters)
                        .isEqualTo(20);
                Mig.migrate(src, "tcp:127.0.0.1:" + port);
                List<Long> throttles = new ArrayList<>();
                long deadline = System.nanoTime() + 45_000_000_000L;
                JsonNode info;
                while (true) {
                    info = Mig.queryMigrate(src);
                    if (info.has("cpu-throttle-percentage")) {
                        long throttle = info.get("cpu-throttle-percentage").asLong();
                        if (throttles.isEmpty() || throttles.get(throttles.size() - 1) != throttle) {
                            throttles.add(throttle);
                        }
                    }
                    if (info.has("status") && Mig.ENDED.contains(info.get("status").asString())
                            || System.nanoTime() > deadline) {
                        break;
                    }
                    Thread.sleep(50);
                }
                System.out.println("MigrationConvergenceTest auto-converge: throttles " + throttles + ", " + info);
                soft.assertThat(throttles).as("cpu-throttle-percentage seen while active, from 60 by 20")
                        .hasSizeGreaterThanOrEqualTo(2).isSorted().startsWith(60L);
                soft.assertThat(info.path("status").asString("")).as("completed within 45 s: %s", info).isEqualTo("completed");
                soft.assertAll();
                assertThat(Mig.awaitMigration(dst, Mig.ENDED, 30).get("status").asString()).isEqualTo("completed");
                assertThat(Mig.runState(dst)).isEqualTo("running");
            }
        }
    }

    @Test
    void belowTheDirtyRateWithoutAutoConvergeItKeepsIteratingUntilCancelled() throws Exception {
        try (Lab lab = new Lab()) {
            int port = Mig.freePort();
            Lab.Node source = lab.vmm("src", GUEST);
            Lab.Node destination = lab.vmm("dst", with(GUEST, "-incoming", "tcp:127.0.0.1:" + port));
            try (QmpLines src = source.qmp()) {
                Mig.capabilities(src, "events");
                Mig.parameters(src, "{\"max-bandwidth\": " + BELOW_DIRTY_RATE + "}");
                Mig.migrate(src, "tcp:127.0.0.1:" + port);
                long until = System.nanoTime() + 8_000_000_000L;
                JsonNode info;
                do {
                    info = Mig.queryMigrate(src);
                    assertThat(info.get("status").asString()).as("%s", info).isIn("setup", "active");
                    assertThat(info.has("cpu-throttle-percentage")).as("no throttle without auto-converge: %s", info)
                            .isFalse();
                    Thread.sleep(100);
                } while (System.nanoTime() < until);
                assertThat(info.get("ram").get("dirty-sync-count").asLong()).as("it iterated: %s", info)
                        .isGreaterThanOrEqualTo(2);
                assertThat(info.get("ram").get("remaining").asLong()).as("%s", info).isPositive();
                Mig.ok(src, "migrate_cancel");
                JsonNode cancelled = Mig.awaitMigration(src, Mig.ENDED, 30);
                assertThat(cancelled.get("status").asString()).as("%s", cancelled).isEqualTo("cancelled");
                Mig.awaitRunState(src, "running", 10);
                assertThat(Mig.runEvents(src.takeEvents())).as("source's events").containsExactly(
                        "MIGRATION setup", "MIGRATION active", "MIGRATION cancelling", "MIGRATION cancelled");
            }
            // QEMU's destination gives up when the stream ends early: it never runs the guest.
            if (!destination.process().waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                try (QmpLines dst = destination.qmp()) {
                    assertThat(Mig.runState(dst)).isEqualTo("inmigrate");
                }
            } else {
                assertThat(destination.process().exitValue()).isEqualTo(1);
            }
        }
    }

    /** What the test above expects of a cancel, checked on QEMU 7.2 (16 MiB of random RAM at 1 MiB/s). */
    @Test
    void qemu72CancelEndsCancelledAndTheSourceRunsOn() throws Exception {
        Lab.assumeQemu("QEMU's half of migrate_cancel not run");
        try (Lab lab = new Lab()) {
            java.nio.file.Path ramFile = lab.dir().resolve("ram.bin");
            byte[] bytes = new byte[16 << 20];
            new java.util.Random(1).nextBytes(bytes);
            java.nio.file.Files.write(ramFile, bytes);
            String[] machine = {"-M", "none", "-accel", "tcg", "-machine", "memory-backend=ram0", "-object"};
            int port = Mig.freePort();
            Lab.Node source = lab.qemu("src", with(machine, "memory-backend-file,id=ram0,size=16M,share=on,mem-path=" + ramFile));
            Lab.Node destination = lab.qemu("dst", with(machine, "memory-backend-ram,id=ram0,size=16M",
                    "-incoming", "tcp:127.0.0.1:" + port));
            Mig.awaitListening(destination, 10);
            try (QmpLines src = source.qmp()) {
                Mig.capabilities(src, "events");
                Mig.parameters(src, "{\"max-bandwidth\": 1048576}");
                Mig.migrate(src, "tcp:127.0.0.1:" + port);
                Mig.awaitMigration(src, java.util.Set.of("active"), 10);
                Mig.ok(src, "migrate_cancel");
                assertThat(Mig.awaitMigration(src, Mig.ENDED, 10).get("status").asString()).isEqualTo("cancelled");
                Mig.awaitRunState(src, "running", 10);
                assertThat(Mig.runEvents(src.takeEvents())).containsExactly(
                        "MIGRATION setup", "MIGRATION active", "MIGRATION cancelling", "MIGRATION cancelled");
            }
            assertThat(Mig.awaitExit(destination.process(), 10)).isEqualTo(1);
            assertThat(destination.output()).contains("load of migration failed");
        }
    }

    private static String[] with(String[] base, String... more) {
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }
}

package org.qapi4j.vmm.machine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qapi4j.vmm.machine.memory.DirtyLog;

/** The dirty program writes the pages a second it was asked to, by the guest clock. */
class DirtyProgramTest {
    @TempDir
    Path dir;

    @Test
    void theDirtyRateIsWhatWasAsked() throws Exception {
        try (Machine machine = Machine.create(TestMachines.dirty(dir, Map.of("rate", "2000", "wss", "16M")))) {
            DirtyLog log = machine.ram().dirtyLog();
            machine.resume();
            Thread.sleep(200);
            log.takeAndClear();
            long start = machine.guestClockNanos();
            Thread.sleep(1000);
            long pages = Arrays.stream(log.takeAndClear()).map(Long::bitCount).sum();
            long elapsed = machine.guestClockNanos() - start;
            double rate = (pages - 1) / (elapsed / 1e9); // minus the header page
            assertThat(rate).as("pages a second").isBetween(2000 * 0.85, 2000 * 1.15);
        }
        assertThat(TestMachines.serialLines(dir)).contains("dirty: writing 2000 pages a second over 4096 pages");
    }

    @Test
    void nothingIsWrittenWhilePausedAndTheProgressSurvivesTheCopy() throws Exception {
        try (Machine source = Machine.create(TestMachines.dirty(dir, Map.of("rate", "5000", "wss", "1M")));
                Machine target = Machine.create(TestMachines.dirty(dir, Map.of("rate", "5000", "wss", "1M")))) {
            source.resume();
            Thread.sleep(300);
            source.pause();
            source.ram().dirtyLog().takeAndClear();
            Thread.sleep(100);
            assertThat(source.ram().dirtyLog().dirtyCount()).as("paused: no writes").isZero();

            long written = source.ram().readLong(40);
            assertThat(written).isBetween(1000L, 1600L); // ~300 ms at 5000 pages a second
            TestMachines.copyRam(source, target);
            MigrationTest.load(target, MigrationTest.save(source));
            target.resume();
            Thread.sleep(200);
            target.pause();
            long after = target.ram().readLong(40);
            assertThat(after - written).as("went on from where it was, at its rate").isBetween(700L, 1300L);
        }
    }
}

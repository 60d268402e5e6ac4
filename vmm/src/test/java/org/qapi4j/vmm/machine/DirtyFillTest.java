package org.qapi4j.vmm.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qapi4j.vmm.machine.memory.GuestRam;
import org.qapi4j.vmm.machine.program.dirty.DirtyProgram;

/** {@code dirty,fill=random}: the working set filled with the same pseudo-random bytes every time. */
class DirtyFillTest {
    @TempDir
    Path dir;

    @Test
    void fillRandomWritesEachPageOfTheWorkingSetFromItsSeedAndNothingElse() throws Exception {
        try (Machine machine = Machine.create(TestMachines.dirty(dir, Map.of("rate", "0", "wss", "1M", "fill", "random")))) {
            machine.resume();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!TestMachines.serialLines(dir).contains("dirty: filled 256 pages with pseudo-random bytes")) {
                assertThat(System.nanoTime()).as("the fill's line on the serial port").isLessThan(deadline);
                Thread.sleep(10);
            }
            machine.pause();
            byte[] page = new byte[GuestRam.PAGE_SIZE];
            byte[] expected = new byte[GuestRam.PAGE_SIZE];
            for (long p = 1; p <= 256; p++) {
                machine.ram().readPage(p, page);
                ByteBuffer buffer = ByteBuffer.wrap(expected).order(ByteOrder.LITTLE_ENDIAN);
                SplittableRandom random = new SplittableRandom(DirtyProgram.FILL_SEED + p);
                while (buffer.hasRemaining()) {
                    buffer.putLong(random.nextLong());
                }
                assertThat(page).as("page %d", p).isEqualTo(expected);
            }
            assertThat(machine.ram().isZeroPage(257)).as("beyond the working set").isTrue();
        }
    }

    @Test
    void fillTakesOnlyNoneOrRandom() {
        for (String value : new String[] {"zeros", "1", ""}) {
            assertThatThrownBy(() -> Machine.create(TestMachines.dirty(dir, Map.of("fill", value))).close())
                    .as("fill=%s", value).isInstanceOf(MachineConfigException.class)
                    .hasMessage("program 'dirty': option fill=" + value + " is not one of none, random");
        }
    }
}

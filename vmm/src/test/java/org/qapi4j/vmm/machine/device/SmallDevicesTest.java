package org.qapi4j.vmm.machine.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guest clock, the power button, the serial log and the entropy source. */
class SmallDevicesTest {
    private static byte[] save(Device device) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        device.save(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    private static void load(Device device, byte[] state) throws IOException {
        device.load(new DataInputStream(new ByteArrayInputStream(state)));
    }

    @Test
    void theClockContinuesFromTheSavedTime() throws Exception {
        GuestClock clock = new GuestClock();
        clock.start();
        Thread.sleep(20);
        clock.stop();
        byte[] state = save(clock);
        GuestClock other = new GuestClock();
        load(other, state);
        assertThat(other.nanos()).isEqualTo(clock.nanos()).isGreaterThanOrEqualTo(20_000_000L);
        other.reset();
        assertThat(other.nanos()).as("a reset is not a power cycle").isEqualTo(clock.nanos());
        assertThatThrownBy(() -> load(other, new byte[] {-1, 0, 0, 0, 0, 0, 0, 0})).isInstanceOf(IOException.class);
        assertThat(other.nanos()).isEqualTo(clock.nanos());
    }

    @Test
    void aPressIsStateUntilTheGuestTakesIt() throws Exception {
        AtomicInteger interrupts = new AtomicInteger();
        PowerButton button = new PowerButton(interrupts::incrementAndGet);
        button.press();
        assertThat(interrupts.get()).isEqualTo(1);
        PowerButton moved = new PowerButton(interrupts::incrementAndGet);
        load(moved, save(button));
        assertThat(interrupts.get()).as("a loaded press wakes the guest").isEqualTo(2);
        assertThat(moved.takePress()).isTrue();
        assertThat(moved.takePress()).isFalse();
        button.reset();
        assertThat(button.takePress()).isFalse();
    }

    @Test
    void theSerialLogAppendsCleanBoundedLines(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("serial.log");
        Files.writeString(file, "earlier\n");
        try (SerialLog serial = SerialLog.open(file)) {
            serial.writeLine("booted");
            serial.writeLine("forged\nline\u0007");
            serial.writeLine("x".repeat(SerialLog.MAX_LINE + 10));
            assertThat(save(serial)).isEmpty();
        }
        assertThat(Files.readAllLines(file)).containsExactly("earlier", "booted", "forged?line?",
                "x".repeat(SerialLog.MAX_LINE) + "...");
        try (SerialLog discard = SerialLog.open(null)) {
            discard.writeLine("nowhere");
        }
    }

    @Test
    void entropyIsNotMigrated() throws Exception {
        EntropySource entropy = new EntropySource();
        assertThat(save(entropy)).isEmpty();
        assertThat(entropy.nextLong()).isNotEqualTo(new EntropySource().nextLong());
    }
}

package org.qapi4j.vmm.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.qapi4j.vmm.machine.MigrationTest.load;
import static org.qapi4j.vmm.machine.MigrationTest.save;
import static org.qapi4j.vmm.machine.TestMachines.await;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qapi4j.vmm.process.KvClient;

/** The device-state stream: versioned, refusing what does not fit, and applied whole or not at all. */
class DeviceStateTest {
    @TempDir
    Path dir;

    private Machine machine;

    @BeforeEach
    void start() throws Exception {
        machine = Machine.create(TestMachines.kvstore(dir));
    }

    @AfterEach
    void stop() {
        machine.close();
    }

    @Test
    void stateRoundTripsAndSavingIsStable() throws Exception {
        machine.resume();
        Thread.sleep(20);
        machine.pause();
        machine.powerdown(); // a pending press is state too
        byte[] state = save(machine);
        try (Machine other = Machine.create(new MachineConfig(TestMachines.RAM, "kvstore", Map.of(), "127.0.0.1", 0,
                dir.resolve("other.img"), TestMachines.DISK, null))) {
            load(other, state);
            assertThat(other.guestClockNanos()).isEqualTo(machine.guestClockNanos());
            assertThat(save(other)).isEqualTo(state);
        }
    }

    @Test
    void stateOfAnotherKindOfMachineIsRefused() throws Exception {
        byte[] state = save(machine);
        try (Machine dirty = Machine.create(new MachineConfig(TestMachines.RAM, "dirty", Map.of(), "127.0.0.1", 0, null, 0, null))) {
            assertThatThrownBy(() -> load(dirty, state)).isInstanceOf(IOException.class).hasMessage(
                    "the device state is of a machine running kvstore with 8388608 bytes of RAM; this machine runs dirty with 8388608");
        }
        try (Machine noDisk = Machine.create(new MachineConfig(TestMachines.RAM, "kvstore", Map.of(), "127.0.0.1", 0, null, 0, null))) {
            assertThatThrownBy(() -> load(noDisk, state)).isInstanceOf(IOException.class)
                    .hasMessage("the device state has 6 sections; this machine has 5 devices (clock, power-button, serial, entropy, nic)");
        }
        try (Machine otherDisk = Machine.create(new MachineConfig(TestMachines.RAM, "kvstore", Map.of(), "127.0.0.1", 0,
                dir.resolve("big.img"), 2 * TestMachines.DISK, null))) {
            assertThatThrownBy(() -> load(otherDisk, state)).isInstanceOf(IOException.class)
                    .hasMessageStartingWith("the saved state is of a disk of 4194304 bytes, this machine's disk");
        }
        assertThatThrownBy(() -> load(machine, new byte[] {1, 2, 3, 4, 5, 6, 7, 8})).isInstanceOf(IOException.class)
                .hasMessage("not qapi4j device state (magic 0x01020304)");
    }

    @Test
    void aLoadThatFailsChangesNothing() throws Exception {
        // The state to restore: a later clock, a pressed power button, a queued request.
        machine.resume();
        try (KvClient client = new KvClient(machine.nicAddress())) {
            assertThat(client.call("PING")).isEqualTo("PONG");
            Thread.sleep(30);
            machine.pause();
            client.send("PING");
            assertThat(await(() -> machine.nic().queuedFrames() == 1)).isTrue();
            machine.powerdown();
            byte[] good = save(machine);

            // A machine whose devices differ from it in every way, given a state whose last
            // section before the NIC (the disk) does not fit: nothing may change.
            try (Machine fresh = Machine.create(TestMachines.kvstore(dir))) {
                byte[] before = save(fresh);
                byte[] corrupt = withDiskSize(good, 12345);
                assertThatThrownBy(() -> load(fresh, corrupt)).isInstanceOf(IOException.class)
                        .hasMessageStartingWith("the saved state is of a disk of 12345 bytes");
                assertThat(save(fresh)).isEqualTo(before);

                byte[] truncated = Arrays.copyOf(good, good.length - 3);
                assertThatThrownBy(() -> load(fresh, truncated)).isInstanceOf(IOException.class);
                assertThat(save(fresh)).isEqualTo(before);

                load(fresh, good);
                assertThat(save(fresh)).isNotEqualTo(before);
            }
        }
    }

    @Test
    void stateIsOnlySavedAndLoadedWhilePaused() throws Exception {
        byte[] state = save(machine);
        machine.resume();
        assertThatThrownBy(() -> save(machine)).isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot save device state while the machine runs; pause it first");
        assertThatThrownBy(() -> load(machine, state)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(machine::reset).isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot reset while the machine runs; pause it first");
    }

    /** {@code state} with the disk section's saved size replaced. */
    private static byte[] withDiskSize(byte[] state, long size) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(state));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(in.readInt());
        out.writeInt(in.readInt());
        out.writeUTF(in.readUTF());
        out.writeLong(in.readLong());
        int sections = in.readInt();
        out.writeInt(sections);
        for (int i = 0; i < sections; i++) {
            String name = in.readUTF();
            int version = in.readInt();
            byte[] payload = new byte[in.readInt()];
            in.readFully(payload);
            if (name.equals("disk")) {
                ByteArrayOutputStream replaced = new ByteArrayOutputStream();
                new DataOutputStream(replaced).writeLong(size);
                payload = replaced.toByteArray();
            }
            out.writeUTF(name);
            out.writeInt(version);
            out.writeInt(payload.length);
            out.write(payload);
        }
        return bytes.toByteArray();
    }
}

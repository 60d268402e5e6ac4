package org.qapi4j.vmm.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qapi4j.vmm.machine.device.DiskImage;
import org.qapi4j.vmm.process.KvClient;

/** Machine.create refuses every bad configuration with one line that says what is wrong. */
class MachineConfigTest {
    private static final long RAM = 8L << 20;

    @TempDir
    Path dir;

    private MachineConfig config(String program, Map<String, String> options, Path disk, long diskBytes) {
        return new MachineConfig(RAM, program, options, "127.0.0.1", 0, disk, diskBytes, null);
    }

    private AbstractThrowableAssert<?, ? extends Throwable> refused(MachineConfig config) {
        return assertThatThrownBy(() -> Machine.create(config).close()).isInstanceOf(MachineConfigException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void theProgramsAreListed() {
        assertThat(Machine.programs()).containsExactly("dirty", "kvstore");
    }

    @Test
    void programsAndTheirOptionsAreChecked() {
        refused(config("kvstor", Map.of(), null, 0)).hasMessage("unknown program 'kvstor'; programs: dirty, kvstore");
        refused(config("kvstore", Map.of("colour", "red"), null, 0))
                .hasMessage("program 'kvstore' has no option 'colour' (its options: capacity)");
        refused(config("kvstore", Map.of("capacity", "many"), null, 0))
                .hasMessage("program 'kvstore': option capacity=many is not a whole number");
        refused(config("kvstore", Map.of("capacity", "8"), null, 0))
                .hasMessage("program 'kvstore': option capacity=8 is out of range 16..1048576");
        refused(config("kvstore", Map.of("capacity", "100000"), null, 0))
                .hasMessage("a kvstore of 100000 keys needs at least 51269632 bytes of RAM, the machine has 8388608");
        refused(config("dirty", Map.of("rate", "-5"), null, 0))
                .hasMessage("program 'dirty': option rate=-5 is out of range 0..10000000");
        refused(config("dirty", Map.of("wss", "1G"), null, 0))
                .hasMessage("program 'dirty': option wss=1G is out of range 1..8384512");
        refused(config("dirty", Map.of("wss", "lots"), null, 0))
                .hasMessage("program 'dirty': option wss=lots is not a size (a whole number, optionally followed by K, M, G or T)");
    }

    @Test
    void machineBasicsAreChecked() throws Exception {
        refused(new MachineConfig(1000, "dirty", null, "127.0.0.1", 0, null, 0, null))
                .hasMessage("RAM size must be a positive multiple of 4096 bytes, not 1000");
        refused(new MachineConfig(RAM, "dirty", null, "127.0.0.1", 70000, null, 0, null))
                .hasMessage("NIC port must be 0..65535 (0: any free port), not 70000");
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            refused(new MachineConfig(RAM, "dirty", null, "127.0.0.1", taken.getLocalPort(), null, 0, null))
                    .hasMessageStartingWith("the NIC cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": ");
        }
        refused(new MachineConfig(RAM, "dirty", null, "127.0.0.1", 0, null, 0, dir.resolve("no/such/dir/serial.log")))
                .hasMessageStartingWith("serial log " + dir.resolve("no/such/dir/serial.log") + " cannot be opened for appending: ");
    }

    @Test
    void aFileThatIsNotOurDiskImageIsRefusedAndLeftAlone() throws Exception {
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "these are my notes, not a disk\n".repeat(1000));
        byte[] before = Files.readAllBytes(text);
        refused(config("kvstore", Map.of(), text, 1 << 20))
                .hasMessage("disk image " + text + " is not a qapi4j disk image (it does not start with QAPI4JDK)");
        assertThat(Files.readAllBytes(text)).isEqualTo(before);

        Path empty = Files.createFile(dir.resolve("empty.img"));
        refused(config("kvstore", Map.of(), empty, 1 << 20))
                .hasMessage("disk image " + empty + " is not a qapi4j disk image (it does not start with QAPI4JDK)");
        assertThat(Files.size(empty)).isZero();

        refused(config("kvstore", Map.of(), dir, 1 << 20)).hasMessage("disk image " + dir + " is a directory");
    }

    @Test
    void truncatedAndTooSmallImagesAreRefused() throws Exception {
        Path image = dir.resolve("disk.img");
        Machine.create(config("kvstore", Map.of(), image, 4 << 20)).close();
        assertThat(Files.size(image)).isEqualTo(DiskImage.HEADER_BYTES + (4 << 20));

        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.setLength(DiskImage.HEADER_BYTES + (4 << 20) - 512);
        }
        refused(config("kvstore", Map.of(), image, 4 << 20)).hasMessage(
                "disk image " + image + " is truncated: its header says 4194304 bytes of data, the file holds 4193792");

        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.setLength(100);
        }
        refused(config("kvstore", Map.of(), image, 4 << 20))
                .hasMessage("disk image " + image + " is truncated: 100 bytes, shorter than its 4096-byte header");

        Path small = dir.resolve("small.img");
        refused(config("kvstore", Map.of(), small, 128 << 10))
                .hasMessage("disk image " + small + " holds 131072 bytes; a kvstore of 4096 keys needs 2166784");
        assertThat(small).as("a refused machine leaves no image it created").doesNotExist();
        Machine.create(config("kvstore", Map.of("capacity", "16"), small, 128 << 10)).close(); // fits a smaller store

        Path odd = dir.resolve("odd.img");
        refused(config("kvstore", Map.of(), odd, 1000)).hasMessage(
                "disk image " + odd + " does not exist, and cannot be created with 1000 bytes: the size must be a positive multiple of 512");
        assertThat(odd).doesNotExist();
    }

    @Test
    void aDiskHoldingSomethingElseIsNotFormatted() throws Exception {
        Path image = dir.resolve("disk.img");
        Machine.create(config("dirty", Map.of(), image, 4 << 20)).close(); // a blank image of ours
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.seek(DiskImage.HEADER_BYTES);
            file.write("someone else's data".getBytes(StandardCharsets.US_ASCII));
        }
        refused(config("kvstore", Map.of(), image, 4 << 20))
                .hasMessage("disk image " + image + " holds data that is not a kvstore's; kvstore formats blank disks only");
    }

    @Test
    void aFormattedDiskKeepsItsCapacity() throws Exception {
        Path image = dir.resolve("disk.img");
        try (Machine machine = Machine.create(config("kvstore", Map.of("capacity", "64"), image, 4 << 20))) {
            machine.resume();
            try (KvClient client = new KvClient(machine.nicAddress())) {
                assertThat(client.call("STATS")).startsWith("STATS keys=0 capacity=64 ");
            }
        }
        refused(config("kvstore", Map.of("capacity", "128"), image, 4 << 20)).hasMessage("disk image " + image
                + " holds a kvstore of capacity 64, not 128 (leave the capacity option out to use the disk's)");
        try (Machine machine = Machine.create(config("kvstore", Map.of(), image, 4 << 20))) {
            machine.resume();
            try (KvClient client = new KvClient(machine.nicAddress())) {
                assertThat(client.call("STATS")).startsWith("STATS keys=0 capacity=64 ");
            }
        }
    }

    @Test
    void aFullStoreSaysSo() throws Exception {
        try (Machine machine = Machine.create(config("kvstore", Map.of("capacity", "16"), null, 0))) {
            machine.resume();
            try (KvClient client = new KvClient(machine.nicAddress())) {
                for (int i = 0; i < 16; i++) {
                    assertThat(client.call("PUT r" + i + " k" + i + " v")).isEqualTo("OK " + (i + 1));
                }
                assertThat(client.call("PUT r16 k16 v")).isEqualTo("ERR store full");
                assertThat(client.call("PUT r17 k3 overwritten")).as("existing keys still take writes").isEqualTo("OK 17");
                assertThat(client.call("GET k16")).isEqualTo("NONE");
            }
        }
    }
}

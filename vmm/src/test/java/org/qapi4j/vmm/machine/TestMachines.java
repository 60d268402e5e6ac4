package org.qapi4j.vmm.machine;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Configurations and waits the machine tests share. */
final class TestMachines {
    private TestMachines() {}

    static final long RAM = 8L << 20;
    static final long DISK = 4L << 20;

    /** A kvstore with a disk and a serial log in {@code dir}, the NIC on a free loopback port. */
    static MachineConfig kvstore(Path dir) {
        return new MachineConfig(RAM, "kvstore", Map.of(), "127.0.0.1", 0, dir.resolve("disk.img"), DISK,
                dir.resolve("serial.log"));
    }

    static MachineConfig dirty(Path dir, Map<String, String> options) {
        return new MachineConfig(RAM * 4, "dirty", options, "127.0.0.1", 0, null, 0, dir.resolve("serial.log"));
    }

    static List<String> serialLines(Path dir) throws java.io.IOException {
        Path log = dir.resolve("serial.log");
        return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
    }

    /** Waits up to 10 s for {@code condition}; false if it never held. */
    static boolean await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /** Copies every non-zero page of {@code from} into {@code to}, as a migration's bulk phase. */
    static void copyRam(Machine from, Machine to) {
        byte[] page = new byte[org.qapi4j.vmm.machine.memory.GuestRam.PAGE_SIZE];
        for (long p = 0; p < from.ram().pages(); p++) {
            if (!from.ram().isZeroPage(p)) {
                from.ram().readPage(p, page);
                to.ram().writePage(p, page);
            }
        }
    }
}

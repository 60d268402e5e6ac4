package org.qapi4j.vmm.machine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.qapi4j.vmm.process.KvClient;

/**
 * A 1 GiB kvstore machine with a disk: boots, takes {@code args[0]} writes (default 2000) over
 * TCP, reads them back, pages through its RAM as migration would, then prints one line:
 * {@code writes=... ops-per-second=... rss-kib=... hwm-kib=...}. Run by
 * {@link MachineFootprintTest} with {@code -Xmx64m}; run it by hand for throughput figures.
 */
public final class MachineFootprintMain {
    private MachineFootprintMain() {}

    public static void main(String[] args) throws Exception {
        int writes = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        Path dir = Files.createTempDirectory("qapi4j-footprint");
        try (Machine machine = Machine.create(new MachineConfig(1L << 30, "kvstore", Map.of("capacity", "65536"),
                "127.0.0.1", 0, dir.resolve("disk.img"), 64L << 20, null))) {
            machine.resume();
            long start = System.nanoTime();
            try (KvClient client = new KvClient(machine.nicAddress())) {
                pipeline(client, writes, i -> "PUT r" + i + " key" + i + " value-" + i, i -> "OK " + (i + 1));
                pipeline(client, writes, i -> "GET key" + i, i -> "VALUE " + (i + 1) + " value-" + i);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            byte[] page = new byte[4096];
            long zero = 0;
            for (long p = 0; p < machine.ram().pages(); p++) {
                if (machine.ram().isZeroPage(p)) {
                    zero++;
                } else {
                    machine.ram().readPage(p, page);
                }
            }
            System.out.printf("writes=%d ops-per-second=%.0f zero-pages=%d rss-kib=%d hwm-kib=%d%n", writes, 2 * writes / seconds, zero,
                    ForkedJvm.statusKiB("VmRSS"), ForkedJvm.statusKiB("VmHWM"));
        } finally {
            try (var files = Files.list(dir)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Files.delete(file);
                }
            }
            Files.delete(dir);
        }
    }

    /** Sends requests in windows of 64, checking each answer: a client that pipelines. */
    private static void pipeline(KvClient client, int count, java.util.function.IntFunction<String> request,
            java.util.function.IntFunction<String> expected) throws IOException {
        int window = 64;
        for (int sent = 0, read = 0; read < count; ) {
            while (sent < count && sent - read < window) {
                client.send(request.apply(sent++));
            }
            String answer = client.answer();
            if (!expected.apply(read).equals(answer)) {
                throw new IllegalStateException("request " + read + ": expected " + expected.apply(read) + ", got " + answer);
            }
            read++;
        }
    }
}

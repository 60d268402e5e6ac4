package org.qapi4j.vmm.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.qapi4j.vmm.process.Lab;
import org.qapi4j.vmm.process.QmpLines;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code bin/bench-migration}: live migration of 1 GiB, the VMM (the real {@code bin/vmm}) beside
 * QEMU 7.2 and the loopback, in one run:
 * <ol>
 *   <li>the floor: 1 GiB copied over a loopback TCP connection in 1 MiB writes, in this JVM;
 *   <li>QEMU 7.2 migrating 1 GiB of random RAM ({@code -M none}, RAM from {@code
 *       memory-backend-file,share=on} over a file of 1 GiB of random bytes) over loopback TCP;
 *   <li>the VMM migrating a 1 GiB guest whose RAM is random ({@code --guest
 *       dirty,rate=0,fill=random}); where {@code bin/vmm} does not take {@code fill}, a guest
 *       that wrote every page once ({@code dirty} at full rate until its count says so), stopped:
 *       no page is a zero page either way;
 *   <li>an idle 1 GiB guest (nothing written), ours and QEMU's: downtime and total time.
 * </ol>
 * Both sides at {@code max-bandwidth} 100 GiB/s (no limit in practice). Figures from the source's
 * {@code query-migrate} once completed: {@code total-time}, {@code downtime}, and MB/s as {@code
 * ram.transferred} over {@code total-time}; medians over RUNS. Not a test: a main, run by {@code
 * bin/bench-migration} with the test classpath.
 */
public final class MigrationBench {
    private static final long GIB = 1L << 30;
    private static final long UNLIMITED = 100 * GIB;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private MigrationBench() {}

    /** One migration's figures. */
    record Result(double totalMs, double downtimeMs, double mbPerS, long transferred) {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]).toAbsolutePath();
        int runs = Integer.parseInt(args[1]);
        Path vmm = root.resolve("bin/vmm");
        Map<String, List<Result>> results = new LinkedHashMap<>();
        try (Lab lab = new Lab()) {
            for (int i = 0; i < runs; i++) {
                results.computeIfAbsent("floor: loopback TCP copy, 1 MiB writes", k -> new ArrayList<>()).add(floor());
                results.computeIfAbsent("floor: the same, received into fresh guest RAM", k -> new ArrayList<>())
                        .add(MigrationFloors.socketIntoGuestRam());
            }
            double crc = MigrationFloors.crc32cMegabytesPerSecond();
            boolean qemu = Lab.hasQemu();
            Path randomFile = lab.dir().resolve("random-1g.bin");
            if (qemu) {
                writeRandom(randomFile, GIB);
            }
            String ours = null;
            for (int i = 0; i < runs; i++) {
                if (qemu) {
                    results.computeIfAbsent("QEMU 7.2, 1 GiB random RAM", k -> new ArrayList<>())
                            .add(qemuMigration(lab, "qr" + i, "memory-backend-file,id=ram0,size=1G,share=on,mem-path=" + randomFile));
                }
                Variant variant = vmmRandom(lab, vmm, "vr" + i);
                ours = variant.label;
                results.computeIfAbsent(variant.label, k -> new ArrayList<>()).add(variant.result);
            }
            for (int i = 0; i < runs; i++) {
                if (qemu) {
                    results.computeIfAbsent("QEMU 7.2, idle 1 GiB (nothing written)", k -> new ArrayList<>())
                            .add(qemuMigration(lab, "qi" + i, "memory-backend-ram,id=ram0,size=1G"));
                }
                results.computeIfAbsent("qapi4j bin/vmm, idle 1 GiB kvstore guest", k -> new ArrayList<>())
                        .add(vmmIdle(lab, vmm, "vi" + i));
            }
            print(results, runs, qemu, ours);
            double ourRate = median(results.get(ours).stream().mapToDouble(Result::mbPerS).toArray());
            System.out.printf("checksum: CRC-32C of 1 GiB in 1 MiB sections, one core: %.0f MB/s; at our %.0f MB/s"
                    + " each side spends %.1f%% of its time on it%n", crc, ourRate, 100 * ourRate / crc);
        }
    }

    // ---- (a) the floor ----

    private static Result floor() throws Exception {
        double ms = MigrationFloors.loopbackCopyMillis();
        return new Result(ms, Double.NaN, GIB / 1e6 / (ms / 1e3), GIB);
    }

    // ---- (b), (d) QEMU 7.2 ----

    private static Result qemuMigration(Lab lab, String name, String sourceRam) throws Exception {
        int port = freePort();
        String[] machine = {"-M", "none", "-accel", "tcg", "-machine", "memory-backend=ram0", "-object"};
        Lab.Node source = lab.qemu(name + "s", with(machine, sourceRam));
        Lab.Node destination = lab.qemu(name + "d", with(machine, "memory-backend-ram,id=ram0,size=1G",
                "-incoming", "tcp:127.0.0.1:" + port));
        try (QmpLines src = source.qmp(); QmpLines dst = destination.qmp()) {
            while (!ok(dst, "query-migrate", null).has("socket-address")) { // QMP listens before -incoming
                Thread.sleep(5);
            }
            return migrate(src, dst, "tcp:127.0.0.1:" + port);
        } finally {
            source.process().destroyForcibly();
            destination.process().destroyForcibly();
        }
    }

    // ---- (c), (d) the VMM ----

    record Variant(String label, Result result) {}

    private static Variant vmmRandom(Lab lab, Path vmm, String name) throws Exception {
        int port = freePort();
        String label;
        Lab.Node source = tryStart(lab, vmm, name + "f", "-m", "1G", "--guest", "dirty,rate=0,fill=random", "--serial", "stdio");
        boolean fill = source != null;
        if (fill) {
            awaitOutput(source, "dirty: filled", 120);
            label = "qapi4j bin/vmm, 1 GiB random RAM (fill=random)";
        } else {
            // bin/vmm refuses fill: a guest that writes every page once, then stopped.
            source = startVmm(lab, vmm, name + "s", "-m", "1G", "--guest", "dirty,rate=10000000");
            try (QmpLines src = source.qmp()) {
                long wssPages = (GIB >> 12) - 1;
                Path header = lab.dir().resolve(name + "-page0.bin");
                while (true) {
                    ok(src, "pmemsave", "{\"val\": 0, \"size\": 4096, \"filename\": \"" + header + "\"}");
                    long written = ByteBuffer.wrap(Files.readAllBytes(header)).order(ByteOrder.LITTLE_ENDIAN).getLong(40);
                    if (written >= wssPages) {
                        break;
                    }
                    Thread.sleep(20);
                }
                ok(src, "stop", null);
            }
            label = "qapi4j bin/vmm, 1 GiB, every page written, stopped";
        }
        Lab.Node destination = startVmm(lab, vmm, name + "d", "-m", "1G", "--guest",
                fill ? "dirty,rate=0,fill=random" : "dirty,rate=10000000", "-incoming", "tcp:127.0.0.1:" + port);
        try (QmpLines src = source.qmp(); QmpLines dst = destination.qmp()) {
            awaitOutput(destination, "NIC on", 60);
            return new Variant(label, migrate(src, dst, "tcp:127.0.0.1:" + port));
        } finally {
            source.process().destroyForcibly().waitFor();
            destination.process().destroyForcibly().waitFor();
        }
    }

    private static Result vmmIdle(Lab lab, Path vmm, String name) throws Exception {
        int port = freePort();
        Lab.Node source = startVmm(lab, vmm, name + "s", "-m", "1G");
        Lab.Node destination = startVmm(lab, vmm, name + "d", "-m", "1G", "-incoming", "tcp:127.0.0.1:" + port);
        try (QmpLines src = source.qmp(); QmpLines dst = destination.qmp()) {
            awaitOutput(destination, "NIC on", 60);
            return migrate(src, dst, "tcp:127.0.0.1:" + port);
        } finally {
            source.process().destroyForcibly().waitFor();
            destination.process().destroyForcibly().waitFor();
        }
    }

    /** Starts bin/vmm with ARGS; null (saying why) if it exits at once. */
    private static Lab.Node tryStart(Lab lab, Path vmm, String name, String... args) throws Exception {
        try {
            return startVmm(lab, vmm, name, args);
        } catch (IOException e) {
            System.out.println("(" + e.getMessage().strip() + ")");
            return null;
        }
    }

    /** {@code bin/vmm ARGS -nodefaults -qmp unix:DIR/NAME.sock}, its output in DIR/NAME.out. */
    private static Lab.Node startVmm(Lab lab, Path vmm, String name, String... args) throws Exception {
        Path socket = lab.dir().resolve(name + ".sock");
        List<String> command = new ArrayList<>(List.of(vmm.toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("-nodefaults", "-qmp", "unix:" + socket + ",server=on,wait=off"));
        Process process = lab.start(name, command);
        Lab.Node node = new Lab.Node(name, process, socket, lab.dir().resolve(name + ".out"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            try {
                QmpLines.negotiated(socket).close();
                return node;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IOException("bin/vmm " + String.join(" ", args) + " exited: "
                            + Files.readString(lab.dir().resolve(name + ".err")));
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException(name + " did not listen in 120 s");
                }
                Thread.sleep(5);
            }
        }
    }

    private static void awaitOutput(Lab.Node node, String text, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!Files.readString(node.log()).contains(text)) {
            if (System.nanoTime() > deadline || !node.process().isAlive()) {
                throw new IOException(node.name() + " printed no '" + text + "': " + Files.readString(node.log()));
            }
            Thread.sleep(10);
        }
    }

    // ---- one migration ----

    private static Result migrate(QmpLines src, QmpLines dst, String uri) throws Exception {
        ok(src, "migrate-set-parameters", "{\"max-bandwidth\": " + UNLIMITED + "}");
        ok(src, "migrate", "{\"uri\": \"" + uri + "\"}");
        JsonNode info;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (true) {
            info = ok(src, "query-migrate", null);
            String status = info.has("status") ? info.get("status").asString() : "none";
            if (status.equals("completed")) {
                break;
            }
            if (status.equals("failed") || status.equals("cancelled") || System.nanoTime() > deadline) {
                throw new IOException("migration " + status + ": " + info);
            }
            Thread.sleep(5);
        }
        while (!"completed".equals(ok(dst, "query-migrate", null).path("status").asString(""))) {
            Thread.sleep(5);
        }
        double total = info.get("total-time").asDouble();
        long transferred = info.get("ram").get("transferred").asLong();
        return new Result(total, info.get("downtime").asDouble(), transferred / 1e6 / (total / 1e3), transferred);
    }

    private static JsonNode ok(QmpLines qmp, String execute, String arguments) throws IOException {
        String reply = qmp.call("{\"execute\": \"" + execute + "\""
                + (arguments == null ? "" : ", \"arguments\": " + arguments) + "}");
        JsonNode node = reply == null ? null : JSON.readTree(reply);
        if (node == null || !node.has("return")) {
            throw new IOException(execute + " answered " + reply);
        }
        return node.get("return");
    }

    // ---- output ----

    private static void print(Map<String, List<Result>> results, int runs, boolean qemu, String ours) {
        System.out.printf("== live migration of 1 GiB over loopback TCP, max-bandwidth unlimited (median of %d runs)%n", runs);
        System.out.printf("%-52s %9s %10s %12s %10s%n", "", "MB/s", "total ms", "downtime ms", "sent MB");
        for (Map.Entry<String, List<Result>> entry : results.entrySet()) {
            List<Result> rs = entry.getValue();
            System.out.printf("%-52s %9.0f %10.0f %12s %10.0f%n", entry.getKey(),
                    median(rs.stream().mapToDouble(Result::mbPerS).toArray()),
                    median(rs.stream().mapToDouble(Result::totalMs).toArray()),
                    rs.get(0).downtimeMs() != rs.get(0).downtimeMs() ? "-"
                            : String.format("%.0f", median(rs.stream().mapToDouble(Result::downtimeMs).toArray())),
                    median(rs.stream().mapToDouble(r -> r.transferred() / 1e6).toArray()));
            if (rs.size() > 1) {
                System.out.printf("%-52s %9s%n", "  (MB/s of each run)",
                        Arrays.toString(rs.stream().mapToLong(r -> Math.round(r.mbPerS())).toArray()));
            }
        }
        System.out.println("(MB/s: ram.transferred / total-time of the source's query-migrate; floor: bytes / wall time)");
        if (!qemu) {
            System.out.println("(QEMU 7.2 not measured: " + Lab.QEMU + " is not installed)");
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    // ---- helpers ----

    private static void writeRandom(Path file, long bytes) throws IOException {
        SplittableRandom random = new SplittableRandom(42);
        ByteBuffer buffer = ByteBuffer.allocate(8 << 20).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long written = 0; written < bytes; written += buffer.capacity()) {
                buffer.clear();
                while (buffer.hasRemaining()) {
                    buffer.putLong(random.nextLong());
                }
                buffer.flip();
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }

    private static String[] with(String[] base, String... more) {
        String[] all = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }
}

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
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.qapi4j.vmm.bench.MigrationRun.Result;
import org.qapi4j.vmm.process.Lab;
import org.qapi4j.vmm.process.QmpLines;

/**
 * {@code bin/bench-migration}: live migration of 1 GiB, the VMM (the real {@code bin/vmm}) beside
 * QEMU 7.2 and the loopback, in one run, the variants interleaved run by run:
 * <ol>
 *   <li>the floors ({@link MigrationFloors}): 1 GiB copied over a loopback TCP connection in
 *       1 MiB writes; the same copy written page by page into fresh guest RAM, and into guest RAM
 *       allocated beforehand;
 *   <li>QEMU 7.2 migrating 1 GiB of random RAM ({@code -M none}, RAM from {@code
 *       memory-backend-file,share=on} over a file of 1 GiB of random bytes) over loopback TCP,
 *       to a destination whose {@code memory-backend-ram} is fresh, and to one with {@code
 *       prealloc=on};
 *   <li>the VMM migrating a 1 GiB guest whose RAM is random ({@code --guest
 *       dirty,rate=0,fill=random}), to a destination without and with {@code -mem-prealloc};
 *   <li>an idle 1 GiB guest (nothing written), ours and QEMU's.
 * </ol>
 * Both sides at {@code max-bandwidth} 100 GiB/s (no limit in practice). Figures from the source's
 * {@code query-migrate} once completed ({@code total-time}, {@code downtime}, MB/s as {@code
 * ram.transferred} over {@code total-time}) and from the events (STOP to RESUME, see {@link
 * MigrationRun}); medians over RUNS. {@code ONLY=REGEX} measures only the lines whose label
 * matches. Not a test: a main, run by {@code bin/bench-migration} with the test classpath.
 */
public final class MigrationBench {
    private static final long GIB = 1L << 30;
    static final String QEMU_RANDOM = "QEMU 7.2, 1 GiB random RAM";
    static final String QEMU_RANDOM_PREALLOC = "QEMU 7.2, the same, destination prealloc=on";
    static final String OURS_RANDOM = "qapi4j bin/vmm, 1 GiB random RAM (fill=random)";
    static final String OURS_RANDOM_PREALLOC = "qapi4j bin/vmm, the same, destination -mem-prealloc";

    private MigrationBench() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]).toAbsolutePath();
        int runs = Integer.parseInt(args[1]);
        Pattern only = Pattern.compile(System.getenv().getOrDefault("ONLY", ".*"));
        Path vmm = root.resolve("bin/vmm");
        Map<String, List<Result>> results = new LinkedHashMap<>();
        boolean qemu = Lab.hasQemu();
        System.out.println("load at start: " + load());
        try (Lab lab = new Lab()) {
            Measure measure = (label, how) -> {
                if (only.matcher(label).find()) {
                    results.computeIfAbsent(label, k -> new ArrayList<>()).add(how.call());
                }
            };
            for (int i = 0; i < runs; i++) {
                measure.run("floor: loopback TCP copy, 1 MiB writes", () -> Result.floor(MigrationFloors.loopbackCopyMillis(), GIB));
                measure.run("floor: the same, direct buffers (SocketChannel)", () -> Result.floor(MigrationFloors.loopbackChannelCopyMillis(), GIB));
                measure.run("floor: the same, received into fresh guest RAM", () -> MigrationFloors.socketIntoGuestRam(false));
                measure.run("floor: the same, into preallocated guest RAM", () -> MigrationFloors.socketIntoGuestRam(true));
            }
            double crc = MigrationFloors.crc32cMegabytesPerSecond();
            Path randomFile = lab.dir().resolve("random-1g.bin");
            if (qemu && (only.matcher(QEMU_RANDOM).find() || only.matcher(QEMU_RANDOM_PREALLOC).find())) {
                writeRandom(randomFile, GIB);
            }
            String randomRam = "memory-backend-file,id=ram0,size=1G,share=on,mem-path=" + randomFile;
            for (int i = 0; i < runs; i++) {
                int run = i;
                if (qemu) {
                    measure.run(QEMU_RANDOM, () -> qemuMigration(lab, "qr" + run, randomRam, ""));
                    measure.run(QEMU_RANDOM_PREALLOC, () -> qemuMigration(lab, "qp" + run, randomRam, ",prealloc=on"));
                }
                measure.run(OURS_RANDOM, () -> vmmRandom(lab, vmm, "vr" + run, false));
                measure.run(OURS_RANDOM_PREALLOC, () -> vmmRandom(lab, vmm, "vp" + run, true));
            }
            for (int i = 0; i < runs; i++) {
                int run = i;
                if (qemu) {
                    measure.run("QEMU 7.2, idle 1 GiB (nothing written)",
                            () -> qemuMigration(lab, "qi" + run, "memory-backend-ram,id=ram0,size=1G", ""));
                }
                measure.run("qapi4j bin/vmm, idle 1 GiB kvstore guest", () -> vmmIdle(lab, vmm, "vi" + run));
            }
            System.out.println("load at end: " + load());
            print(results, runs, qemu);
            System.out.printf("checksum: CRC-32C of 1 GiB in 1 MiB sections, one core: %.0f MB/s%n", crc);
            for (String ours : List.of(OURS_RANDOM, OURS_RANDOM_PREALLOC)) {
                if (results.containsKey(ours)) {
                    double rate = median(results.get(ours).stream().mapToDouble(Result::mbPerS).toArray());
                    System.out.printf("  at %.0f MB/s (%s) each side spends %.1f%% of its time on it%n", rate, ours,
                            100 * rate / crc);
                }
            }
        }
    }

    /** Measures one line's run, if ONLY selects it. */
    @FunctionalInterface
    private interface Measure {
        void run(String label, Callable<Result> how) throws Exception;
    }

    // ---- QEMU 7.2 ----

    /** QEMU from {@code sourceRam} to a fresh 1 GiB {@code memory-backend-ram} (with {@code destinationOptions}). */
    private static Result qemuMigration(Lab lab, String name, String sourceRam, String destinationOptions)
            throws Exception {
        int port = freePort();
        String[] machine = {"-M", "none", "-accel", "tcg", "-machine", "memory-backend=ram0", "-object"};
        Lab.Node source = lab.qemu(name + "s", with(machine, sourceRam));
        Lab.Node destination = lab.qemu(name + "d", with(machine, "memory-backend-ram,id=ram0,size=1G" + destinationOptions,
                "-incoming", "tcp:127.0.0.1:" + port));
        try (QmpLines src = source.qmp(); QmpLines dst = destination.qmp()) {
            while (!MigrationRun.ok(dst, "query-migrate", null).has("socket-address")) { // QMP listens before -incoming
                Thread.sleep(5);
            }
            return MigrationRun.migrate(src, dst, "tcp:127.0.0.1:" + port);
        } finally {
            source.process().destroyForcibly().waitFor();
            destination.process().destroyForcibly().waitFor();
        }
    }

    // ---- the VMM ----

    private static Result vmmRandom(Lab lab, Path vmm, String name, boolean prealloc) throws Exception {
        int port = freePort();
        Lab.Node source = startVmm(lab, vmm, name + "s", "-m", "1G", "--guest", "dirty,rate=0,fill=random", "--serial", "stdio");
        Lab.Node destination = null;
        try {
            awaitOutput(source, "dirty: filled", 120);
            List<String> args = new ArrayList<>(List.of("-m", "1G", "--guest", "dirty,rate=0,fill=random",
                    "-incoming", "tcp:127.0.0.1:" + port));
            if (prealloc) {
                args.add("-mem-prealloc");
            }
            destination = startVmm(lab, vmm, name + "d", args.toArray(String[]::new));
            try (QmpLines src = source.qmp(); QmpLines dst = destination.qmp()) {
                awaitOutput(destination, "NIC on", 60);
                return MigrationRun.migrate(src, dst, "tcp:127.0.0.1:" + port);
            }
        } finally {
            source.process().destroyForcibly().waitFor();
            if (destination != null) {
                destination.process().destroyForcibly().waitFor();
            }
        }
    }

    private static Result vmmIdle(Lab lab, Path vmm, String name) throws Exception {
        int port = freePort();
        Lab.Node source = startVmm(lab, vmm, name + "s", "-m", "1G");
        Lab.Node destination = startVmm(lab, vmm, name + "d", "-m", "1G", "-incoming", "tcp:127.0.0.1:" + port);
        try (QmpLines src = source.qmp(); QmpLines dst = destination.qmp()) {
            awaitOutput(destination, "NIC on", 60);
            return MigrationRun.migrate(src, dst, "tcp:127.0.0.1:" + port);
        } finally {
            source.process().destroyForcibly().waitFor();
            destination.process().destroyForcibly().waitFor();
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

    // ---- output ----

    private static void print(Map<String, List<Result>> results, int runs, boolean qemu) {
        System.out.printf("== live migration of 1 GiB over loopback TCP, max-bandwidth unlimited (median of %d runs)%n", runs);
        System.out.printf("%-52s %6s %9s %9s %9s %8s%n", "", "MB/s", "total ms", "downtime", "STOP to", "sent MB");
        System.out.printf("%-52s %6s %9s %9s %9s%n", "", "", "", "ms", "RESUME ms");
        for (Map.Entry<String, List<Result>> entry : results.entrySet()) {
            List<Result> rs = entry.getValue();
            System.out.printf("%-52s %6.0f %9.0f %9s %9s %8.0f%n", entry.getKey(),
                    median(rs.stream().mapToDouble(Result::mbPerS).toArray()),
                    median(rs.stream().mapToDouble(Result::totalMs).toArray()),
                    medianOrDash(rs.stream().mapToDouble(Result::downtimeMs).toArray()),
                    medianOrDash(rs.stream().mapToDouble(Result::stopToResumeMs).toArray()),
                    median(rs.stream().mapToDouble(r -> r.transferred() / 1e6).toArray()));
            if (rs.size() > 1) {
                System.out.printf("%-52s MB/s %s%s%n", "  (each run)",
                        Arrays.toString(rs.stream().mapToLong(r -> Math.round(r.mbPerS())).toArray()),
                        Double.isNaN(rs.get(0).downtimeMs()) ? "" : ", downtime "
                                + Arrays.toString(rs.stream().mapToLong(r -> Math.round(r.downtimeMs())).toArray())
                                + ", STOP to RESUME "
                                + Arrays.toString(rs.stream().mapToDouble(r -> Math.round(r.stopToResumeMs() * 10) / 10.0).toArray()));
            }
        }
        System.out.println("(MB/s: ram.transferred / total-time of the source's query-migrate; floors: bytes / wall time."
                + " downtime: query-migrate's, each VMM's own meaning; STOP to RESUME: the source's STOP event to the"
                + " destination's RESUME event)");
        if (!qemu) {
            System.out.println("(QEMU 7.2 not measured: " + Lab.QEMU + " is not installed)");
        }
    }

    private static String medianOrDash(double[] values) {
        return Double.isNaN(values[0]) ? "-" : String.format("%.1f", median(values));
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

    /** The load averages (1, 5, 15 minutes), to judge how far the figures can be trusted. */
    private static String load() throws IOException {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2] + " on " + Runtime.getRuntime().availableProcessors() + " cores";
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

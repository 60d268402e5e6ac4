package org.qapi4j.colo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.qapi4j.vmm.process.Lab;

/**
 * A long COLO run under client load: {@code total} checkpoints at a short {@code
 * x-checkpoint-delay}, none allowed to hang (the count must move every {@link #STALL_SECONDS}
 * s, and each checkpoint's pause is bounded), the primary's live heap (after a full GC, {@code
 * jcmd GC.run} then {@code GC.heap_info}) and thread count ({@code /proc/PID/status}) taken after
 * {@code early} and after {@code total} checkpoints; then {@code pauseSamples} checkpoints at a
 * 600 ms interval under the same load, whose pauses give p50, p99 and the fit {@code pause = a +
 * b * dirty pages}. Per-checkpoint figures come from the primary's {@link CheckpointLog}.
 * Public for {@code soak.ColoSoak}.
 */
public final class LongRun {
    static final int STALL_SECONDS = 10;
    /** No checkpoint's pause may be longer (a hang short of a stall). */
    static final double PAUSE_BOUND_MS = 2000;

    /** What a run measured. */
    public record Figures(long checkpoints, double seconds, long heapEarlyKb, long heapLateKb, int threadsEarly,
            int threadsLate, double maxPauseMs, double meanPauseMs, int samples, double p50Ms, double p99Ms,
            double meanMs, double maxMs, double aMs, double bUsPerPage, double meanPages, long acks,
            List<String> problems) {
        public double heapChange() {
            return (heapLateKb - heapEarlyKb) / (double) heapEarlyKb;
        }

        public double threadChange() {
            return (threadsLate - threadsEarly) / (double) threadsEarly;
        }

        public String describe() {
            return String.format("%d checkpoints in %.0f s (mean pause %.2f ms, max %.1f ms); live heap %d KiB after"
                    + " the early mark, %d KiB after %d (%+.1f%%); threads %d, %d (%+.1f%%); at 600 ms, %d checkpoints:"
                    + " pause p50 %.2f ms, p99 %.2f ms, mean %.2f ms, max %.2f ms, %.0f dirty pages a checkpoint on"
                    + " average; fit pause = a + b*pages: a = %.3f ms, b = %.2f us/page; %d acknowledged writes;"
                    + " problems: %s", checkpoints, seconds, meanPauseMs, maxPauseMs, heapEarlyKb, heapLateKb,
                    checkpoints, heapChange() * 100, threadsEarly, threadsLate, threadChange() * 100, samples, p50Ms,
                    p99Ms, meanMs, maxMs, meanPages, aMs, bUsPerPage, acks, problems);
        }
    }

    private LongRun() {}

    public static Figures run(Path dir, int total, int early, int delayMs, int pauseSamples, PrintStream log)
            throws Exception {
        try (Lab lab = new Lab()) {
            int port = ColoPair.freePort();
            Lab.Node secondary = ColoPair.startSecondary(lab, "sec", port);
            Path logs = Files.createDirectories(dir);
            Lab.Node primary = startPrimary(lab.dir(), logs);
            try (Qmp s = Qmp.of(secondary); Qmp p = Qmp.of(primary)) {
                return measure(primary, s, p, port, logs, total, early, delayMs, pauseSamples, log);
            } finally {
                primary.process().destroyForcibly();
                primary.process().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static Figures measure(Lab.Node primary, Qmp s, Qmp p, int port, Path logs, int total, int early,
            int delayMs, int pauseSamples, PrintStream log) throws Exception {
        {
            {
                s.capabilities("x-colo", "events");
                p.capabilities("x-colo", "events");
                p.ok("migrate-set-parameters", "{\"x-checkpoint-delay\": " + delayMs + "}");
                p.ok("migrate", "{\"uri\": \"tcp:127.0.0.1:" + port + "\"}");
                ColoPair.awaitStatus(p, "colo", 30);
                ColoPair.awaitStatus(s, "colo", 30);
                ColoPair.awaitRunState(p, "running", 30);
                long pid = primary.process().pid();
                Path checkpointLog = logs.resolve("checkpoints-" + pid + ".log");
                KvHistory history = new KvHistory();
                List<String> problems = new ArrayList<>();
                long start = System.nanoTime();
                long heapEarly;
                long heapLate;
                int threadsEarly;
                int threadsLate;
                long done;
                long acks;
                try (ColoClients clients = new ColoClients(primary.nic(), 3, history, 7)) {
                    awaitCheckpoints(p, early, log);
                    heapEarly = liveHeapKb(pid);
                    threadsEarly = threads(pid);
                    log.printf("after %d checkpoints: live heap %d KiB, %d threads%n", early, heapEarly, threadsEarly);
                    awaitCheckpoints(p, total, log);
                    done = ColoPair.coloStat(p, "checkpoints");
                    heapLate = liveHeapKb(pid);
                    threadsLate = threads(pid);
                    log.printf("after %d checkpoints: live heap %d KiB, %d threads%n", done, heapLate, threadsLate);
                    // The pause at 600 ms under the same load (setting the delay takes one checkpoint at once).
                    p.ok("migrate-set-parameters", "{\"x-checkpoint-delay\": 600}");
                    long from = ColoPair.coloStat(p, "checkpoints") + 1;
                    awaitCheckpoints(p, from + pauseSamples, log);
                    problems.addAll(clients.stop());
                    acks = clients.acks();
                    double seconds = (System.nanoTime() - start) / 1e9;
                    problems.addAll(history.violations());
                    assertThat(Qmp.briefs(p.events(), "COLO_EXIT")).as("no COLO_EXIT in the run").isEmpty();
                    return figures(checkpointLog, done, total, from, seconds, heapEarly, heapLate, threadsEarly,
                            threadsLate, acks, problems);
                }
            }
        }
    }

    private static Figures figures(Path checkpointLog, long done, int total, long from, double seconds, long heapEarly,
            long heapLate, int threadsEarly, int threadsLate, long acks, List<String> problems) throws IOException {
        List<long[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(checkpointLog, StandardCharsets.US_ASCII)) {
            String[] f = line.trim().split(" ");
            rows.add(Arrays.stream(f).mapToLong(Long::parseLong).toArray());
        }
        double maxPause = 0;
        double sumPause = 0;
        int counted = 0;
        List<long[]> sample = new ArrayList<>();
        long expected = 1;
        for (long[] r : rows) {
            if (r[0] != expected) {
                problems.add("checkpoint log: " + r[0] + " where " + expected + " was due");
            }
            expected = r[0] + 1;
            if (r[0] <= done) {
                maxPause = Math.max(maxPause, r[1] / 1000.0);
                sumPause += r[1] / 1000.0;
                counted++;
            } else if (r[0] >= from) {
                sample.add(r);
            }
        }
        if (counted < total) {
            problems.add("only " + counted + " checkpoints in the log");
        }
        if (maxPause > PAUSE_BOUND_MS) {
            problems.add("a checkpoint paused " + maxPause + " ms, over the bound of " + PAUSE_BOUND_MS + " ms");
        }
        double[] pauses = sample.stream().mapToDouble(r -> r[1] / 1000.0).sorted().toArray();
        double[] pages = sample.stream().mapToDouble(r -> r[5]).toArray();
        double[] ys = sample.stream().mapToDouble(r -> r[1] / 1000.0).toArray();
        int n = ys.length;
        double mx = Arrays.stream(pages).average().orElse(0);
        double my = Arrays.stream(ys).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            sxy += (pages[i] - mx) * (ys[i] - my);
            sxx += (pages[i] - mx) * (pages[i] - mx);
        }
        double b = sxx == 0 ? 0 : sxy / sxx;
        double a = my - b * mx;
        return new Figures(done, seconds, heapEarly, heapLate, threadsEarly, threadsLate, maxPause,
                counted == 0 ? 0 : sumPause / counted, n, percentile(pauses, 0.50), percentile(pauses, 0.99), my,
                n == 0 ? 0 : pauses[n - 1], a, b * 1000, mx, acks, problems);
    }

    /** Nearest-rank percentile of sorted {@code values}. */
    static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** Waits until the primary counts {@code atLeast} checkpoints; fails if the count stalls. */
    private static void awaitCheckpoints(Qmp p, long atLeast, PrintStream log) throws Exception {
        long last = -1;
        long lastMove = System.nanoTime();
        long lastPrint = System.nanoTime();
        while (true) {
            long now = ColoPair.coloStat(p, "checkpoints");
            if (now >= atLeast) {
                return;
            }
            if (now != last) {
                last = now;
                lastMove = System.nanoTime();
            } else if (System.nanoTime() - lastMove > TimeUnit.SECONDS.toNanos(STALL_SECONDS)) {
                throw new AssertionError("COLO hung: the checkpoint count stayed " + now + " for " + STALL_SECONDS
                        + " s: " + p.queryMigrate());
            }
            if (System.nanoTime() - lastPrint > TimeUnit.SECONDS.toNanos(15)) {
                log.println("  ... " + now + " checkpoints");
                lastPrint = System.nanoTime();
            }
            Thread.sleep(50);
        }
    }

    /** The primary with the {@link CheckpointLog} on: as {@link Lab#vmm}, plus the environment variable. */
    private static Lab.Node startPrimary(Path labDir, Path logs) throws Exception {
        Path socket = labDir.resolve("pri.sock");
        Path out = labDir.resolve("pri.log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                "org.qapi4j.vmm.Vmm"));
        command.addAll(List.of(ColoPair.GUEST));
        command.addAll(List.of("-qmp", "unix:" + socket + ",server=on,wait=off"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().put(CheckpointLog.ENV, logs.toString());
        Process process = builder.start();
        Lab.Node node = new Lab.Node("pri", process, socket, out);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(socket)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new AssertionError("the primary did not start: " + Files.readString(out));
            }
            Thread.sleep(10);
        }
        Thread.sleep(100);
        return node;
    }

    /** The JVM's heap in use after a full GC (the live set), in KiB: jcmd GC.run, then GC.heap_info. */
    static long liveHeapKb(long pid) throws Exception {
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        long used = 0;
        for (String line : info.split("\n")) {
            String t = line.trim();
            if ((t.startsWith("def new generation") || t.startsWith("tenured generation")) && t.contains(" used ")) {
                String after = t.substring(t.indexOf(" used ") + 6).trim();
                used += Long.parseLong(after.substring(0, after.indexOf('K')));
            }
        }
        assertThat(used).as("heap info: %s", info).isPositive();
        return used;
    }

    static int threads(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("Threads:")) {
                return Integer.parseInt(line.substring(8).trim());
            }
        }
        throw new IOException("no Threads line for " + pid);
    }

    private static String jcmd(long pid, String command) throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid), command).redirectErrorStream(true).start();
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("jcmd " + pid + " " + command + ": " + text);
        }
        return text;
    }
}

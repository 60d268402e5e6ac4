package org.qapi4j.colo.soak;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.qapi4j.colo.FaultTrials;
import org.qapi4j.colo.LinkCutTrials;
import org.qapi4j.colo.LongRun;

/**
 * COLO's soak ({@code bin/soak-colo}, documented in colo/BENCH.md): the fault matrices of {@link
 * FaultTrials} (either side killed) and {@link LinkCutTrials} (the link cut, without and with the
 * arbiter) with {@code TRIALS} trials per cell (default 100), {@code VICTIMS} choosing which
 * (default {@code primary,secondary,link,link+zk}), each trial seeded {@code SEED +
 * k} (SEED printed, default the time), then the long run of {@link LongRun}: {@code CHECKPOINTS}
 * checkpoints (default 10,000) at a 10 ms delay under load, live heap and threads after 1,000 and
 * after all, then {@code PAUSE_SAMPLES} checkpoints (default 100) at 600 ms for p50, p99 and the
 * pause fit. {@code PARTS=matrix}, {@code PARTS=long} or both (default). Exit status 1 if any
 * trial failed or the long run found a problem.
 */
public final class ColoSoak {
    private ColoSoak() {}

    public static void main(String[] args) throws Exception {
        int trials = Integer.parseInt(env("TRIALS", "100"));
        int checkpoints = Integer.parseInt(env("CHECKPOINTS", "10000"));
        int samples = Integer.parseInt(env("PAUSE_SAMPLES", "100"));
        long seed = Long.parseLong(env("SEED", Long.toString(System.currentTimeMillis() % 1_000_000)));
        String parts = env("PARTS", "matrix,long");
        String victims = env("VICTIMS", "primary,secondary,link,link+zk");
        boolean failed = false;
        System.out.println("soak-colo: seed " + seed + " (repeat with SEED=" + seed + "), " + trials
                + " trials per cell, " + checkpoints + " checkpoints");
        if (parts.contains("matrix")) {
            failed |= matrix(trials, seed, victims);
        }
        if (parts.contains("long")) {
            Path dir = Files.createTempDirectory("soak-colo");
            int early = Math.min(1000, checkpoints / 10);
            System.out.println("long run: " + checkpoints + " checkpoints at 10 ms under load, then " + samples
                    + " at 600 ms (checkpoint logs in " + dir + ")");
            LongRun.Figures f = LongRun.run(dir, checkpoints, early, 10, samples, System.out);
            System.out.println("long run: " + f.describe());
            boolean heapOk = Math.abs(f.heapChange()) <= 0.10;
            boolean threadsOk = Math.abs(f.threadChange()) <= 0.10;
            System.out.printf("long run: heap within 10%%: %s; threads within 10%%: %s; problems: %d%n",
                    heapOk ? "yes" : "NO", threadsOk ? "yes" : "NO", f.problems().size());
            failed |= !heapOk || !threadsOk || !f.problems().isEmpty();
        }
        System.out.println("soak-colo: " + (failed ? "FAILED" : "all passed"));
        System.exit(failed ? 1 : 0);
    }

    /** A cell of the matrix: its victim (primary, secondary, link, link+zk), its name, its trial. */
    private record Cell(String victim, String name, java.util.function.LongFunction<FaultTrials.Result> trial) {}

    /** Every cell of both matrices whose victim {@code victims} names (comma-separated). */
    private static List<Cell> cells(String victims) {
        List<String> wanted = List.of(victims.split(","));
        List<Cell> cells = new ArrayList<>();
        for (Object[] cell : FaultTrials.matrix()) {
            FaultTrials.Side victim = (FaultTrials.Side) cell[0];
            FaultTrials.Step step = (FaultTrials.Step) cell[1];
            cells.add(new Cell(victim.name().toLowerCase(java.util.Locale.ROOT),
                    String.format("kill %-9s at %s", victim, step), seed -> FaultTrials.run(victim, step, seed)));
        }
        for (Object[] cell : LinkCutTrials.matrix()) {
            boolean arbiter = (Boolean) cell[0];
            FaultTrials.Step step = (FaultTrials.Step) cell[1];
            cells.add(new Cell(LinkCutTrials.victim(arbiter).toLowerCase(java.util.Locale.ROOT),
                    String.format("cut %-9s at %s", LinkCutTrials.victim(arbiter), step),
                    seed -> LinkCutTrials.run(step, arbiter, seed)));
        }
        return cells.stream().filter(c -> wanted.contains(c.victim())).toList();
    }

    private static boolean matrix(int trials, long seed, String victims) {
        record Tally(int[] counts, List<String> failures) {}
        Map<String, Tally> tallies = new LinkedHashMap<>();
        long k = 0;
        List<Cell> cells = cells(victims);
        for (int t = 0; t < trials; t++) {
            for (Cell cell : cells) {
                String name = cell.name();
                FaultTrials.Result r = cell.trial().apply(seed + k++);
                Tally tally = tallies.computeIfAbsent(name, n -> new Tally(new int[4], new ArrayList<>()));
                tally.counts()[0]++;
                if (r.ok()) {
                    tally.counts()[2] += r.acks() > 0 || r.writes() > 0 ? 1 : 0; // histories checked clean
                } else {
                    tally.counts()[1]++;
                    boolean history = r.failure().contains("history") || r.failure().contains("acknowledged write");
                    tally.counts()[3] += history ? 1 : 0;
                    tally.failures().add(r.repro() + ": " + r.failure());
                }
                System.out.printf("  trial %d/%d %-70s %5.1f s %s%n", t + 1, trials, name, r.seconds(),
                        r.ok() ? "ok, " + r.acks() + " acks" : "FAILED " + r.repro() + ": " + r.failure());
            }
        }
        System.out.println();
        System.out.printf("%-72s %6s %8s %14s %15s%n", "cell", "trials", "failures", "history clean",
                "history failed");
        boolean failed = false;
        for (Map.Entry<String, Tally> e : tallies.entrySet()) {
            int[] c = e.getValue().counts();
            System.out.printf("%-72s %6d %8d %14d %15d%n", e.getKey(), c[0], c[1], c[2], c[3]);
            for (String f : e.getValue().failures()) {
                System.out.println("    " + f);
            }
            failed |= c[1] > 0;
        }
        return failed;
    }

    private static String env(String name, String otherwise) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? otherwise : value;
    }
}

package org.qapi4j.colo.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * The scenario: a secondary and a primary VMM (real processes, in a temporary folder) enter
 * COLO; kvstore clients write through the primary; the primary is killed (SIGKILL) and the
 * secondary takes over, by itself with an arbiter, told {@code x-colo-lost-heartbeat} without
 * ({@link Takeover}); the clients reconnect to it, resend what was not acknowledged and go on;
 * then every acknowledged write is checked on the survivor. Prints the timeline and a summary;
 * {@link #run} says whether everything checked out. The processes, the embedded ZooKeeper
 * server if any, and the folder are gone when it returns.
 */
final class Demonstration {
    /** The kvstore's capacity (its default, 4096 keys): every write has a key of its own. */
    private static final long CAPACITY = 4096;
    private static final long GIVE_UP_MILLIS = 5000;
    /** How the timeline's line about the kill begins. */
    static final String KILL_LINE = "SIGKILL to the primary";

    private final DemoOptions options;
    private final PrintStream out;
    private final Timeline timeline = new Timeline();
    private final EventRecorder events = new EventRecorder();
    private final List<String> problems = new ArrayList<>();
    private Takeover takeover;

    Demonstration(DemoOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    boolean run() throws Exception {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "colo-demo");
        try (Takeover started = Takeover.start(options, dir, timeline)) {
            takeover = started;
            runPair(dir);
        } finally {
            Folders.delete(dir);
        }
        timeline.print(out);
        return summary();
    }

    private void runPair(Path dir) throws Exception {
        ColoPair pair = null;
        Thread cleanup = null;
        try {
            timeline.add("demo", "starting a secondary and a primary VMM in " + dir);
            List<String> vmArgs = new ArrayList<>(List.of("-m", options.memory, "--guest", "kvstore"));
            vmArgs.addAll(takeover.vmmArgs());
            pair = ColoPair.launch(VmmProcess.javaLauncher(), dir, "vm", vmArgs);
            ColoPair started = pair;
            cleanup = new Thread(started::close, "colo-demo-cleanup");
            Runtime.getRuntime().addShutdownHook(cleanup);
            timeline.add("demo", "secondary pid " + pair.secondary().pid() + " (NIC " + pair.secondary().nic()
                    + ", refuses clients while it is the secondary), primary pid " + pair.primary().pid() + " (NIC "
                    + pair.primary().nic() + ") are listening");
            pair.onEvents(events);
            timeline.add("demo", "x-colo and events on both, x-checkpoint-delay " + options.checkpointDelayMillis
                    + " ms on the primary, migrate");
            pair.enterColo(options.checkpointDelayMillis, 30_000);
            timeline.add("demo", "both sides report status colo, the primary's guest runs");
            scenario(pair);
        } finally {
            // The VMMs go before the embedded ZooKeeper server (closed after this), whose clients they are.
            if (pair != null) {
                pair.close();
            }
            if (cleanup != null) {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            }
        }
    }

    private void scenario(ColoPair pair) throws Exception {
        List<KvWriter> writers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long perClient = (CAPACITY - 64) / options.clients;
        // Paced so that the keys last the whole run, the failover's outage included, with a second to spare
        // for catching up.
        double perSecond = perClient * 1000.0 / (options.killAfterMillis + takeover.expectedOutageMillis()
                + options.runAfterMillis + 1000);
        for (int c = 1; c <= options.clients; c++) {
            KvWriter writer = new KvWriter("c" + c, List.of(pair.primary().nic(), pair.secondary().nic()), timeline,
                    perClient, perSecond, GIVE_UP_MILLIS + takeover.waitMillis());
            writers.add(writer);
            threads.add(new Thread(writer, "writer-c" + c));
        }
        timeline.add("clients", String.format("%d clients start writing through the primary (PUT cN-i cN-ki vi, each"
                + " waiting for its answer, up to %.0f a second each)", options.clients, perSecond));
        threads.forEach(Thread::start);
        JsonNode lastStats;
        try (StatsPoller poller = new StatsPoller(pair.primaryQmp(), timeline, 20).start()) {
            Thread.sleep(options.killAfterMillis);
            lastStats = poller.last();
            timeline.add("demo", KILL_LINE + " (pid " + pair.primary().pid() + ")");
            pair.primary().kill();
        }
        boolean tookOver = takeover.afterKill(pair, events, this::problem);
        if (tookOver) {
            Thread.sleep(options.runAfterMillis);
        }
        writers.forEach(KvWriter::stop);
        for (Thread thread : threads) {
            thread.join(GIVE_UP_MILLIS + takeover.waitMillis() + 5000);
        }
        timeline.add("clients", "stop writing");
        takeover.addToTimeline(pair);
        if (tookOver) {
            checkSurvivor(pair, writers);
        }
        if (lastStats != null) {
            timeline.add("demo", "last colo stats of the primary before the kill: " + lastStats);
        }
        events.writeTo(timeline);
        for (String[] expected : new String[][] {{ColoPair.PRIMARY, "MIGRATION", "colo"}, {ColoPair.SECONDARY, "MIGRATION", "colo"},
                {ColoPair.SECONDARY, "COLO_EXIT", null}, {ColoPair.SECONDARY, "MIGRATION", "completed"},
                {ColoPair.SECONDARY, "RESUME", null}}) {
            if (!events.has(expected[0], expected[1], expected[2] == null ? null : "status", expected[2])) {
                problem("no " + expected[1] + (expected[2] == null ? "" : " " + expected[2]) + " event from the " + expected[0]);
            }
        }
    }

    /** The clients' view, then every acknowledged write and the status on the survivor. */
    private void checkSurvivor(ColoPair pair, List<KvWriter> writers) throws IOException {
        List<KvWriter.Ack> acks = new ArrayList<>();
        for (KvWriter writer : writers) {
            acks.addAll(writer.acks());
            if (writer.failure() != null) {
                problem(writer.id() + ": " + writer.failure());
            } else if (writer.firstAnswerAfterLoss() < 0) {
                problem(writer.id() + ": no answer after the failover");
            }
        }
        clientsView(writers, acks);
        Verifier.Result result = Verifier.verify(pair.secondary().nic(), acks);
        timeline.add("demo", "acknowledged writes verified on the survivor: " + result.verified() + " of " + result.checked());
        if (result.verified() != result.checked() || result.checked() == 0) {
            problem("verified " + result.verified() + " of " + result.checked() + " acknowledged writes: " + result.failures());
        }
        JsonNode status = pair.secondaryQmp().call("query-colo-status", null);
        String migration = pair.secondaryQmp().call("query-migrate", null).path("status").asString("none");
        timeline.add("secondary", "query-colo-status " + status + ", query-migrate status " + migration);
        if (!migration.equals("completed")) {
            problem("the survivor's migration status is " + migration + ", not completed");
        }
    }

    /** Writes acknowledged per second, and each client's gap, onto the timeline. */
    private void clientsView(List<KvWriter> writers, List<KvWriter.Ack> acks) {
        TreeMap<Long, Integer> perSecond = new TreeMap<>();
        long first = acks.stream().mapToLong(KvWriter.Ack::micros).min().orElse(0);
        for (KvWriter.Ack ack : acks) {
            perSecond.merge((ack.micros() - first) / 1_000_000, 1, Integer::sum);
        }
        perSecond.forEach((second, count) -> timeline.add(first + second * 1_000_000, "clients",
                count + " writes acknowledged in this second"));
        for (KvWriter writer : writers) {
            List<KvWriter.Ack> own = writer.acks();
            long gap = 0;
            long gapStart = 0;
            for (int i = 1; i < own.size(); i++) {
                long g = own.get(i).micros() - own.get(i - 1).micros();
                if (g > gap) {
                    gap = g;
                    gapStart = own.get(i - 1).micros();
                }
            }
            if (!own.isEmpty()) {
                timeline.add(gapStart, writer.id(), String.format("last answer before its longest gap: %.1f ms without"
                        + " an answer from here (%d writes acknowledged in all)", gap / 1000.0, own.size()));
            }
        }
    }

    private void problem(String text) {
        problems.add(text);
        timeline.add("demo", "PROBLEM: " + text);
    }

    private boolean summary() {
        List<Long> pauses = events.primaryPauses();
        out.println();
        out.printf("checkpoints before the kill: %d, the primary paused %.1f ms each on average (STOP to RESUME)%n",
                pauses.size(), pauses.stream().mapToLong(Long::longValue).average().orElse(0) / 1000);
        String failover = takeover.summary(timeline, events);
        if (failover != null) {
            out.println(failover);
        }
        if (problems.isEmpty()) {
            out.println("colo-demo: everything checked out");
            return true;
        }
        out.println("colo-demo: FAILED: " + String.join("; ", problems));
        return false;
    }
}

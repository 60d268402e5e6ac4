package org.qapi4j.colo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.qapi4j.vmm.process.KvClient;
import org.qapi4j.vmm.process.Lab;

/**
 * The COLO fault matrix: one side (the victim) is SIGKILLed at one step of COLO while kvstore
 * clients write, and the service must go on with a clean history. A step is a point {@code
 * --colo-fault} can name on one side: before a message it sends, after one it received, in
 * checkpoint M (M drawn from the trial's seed, 2 to 4; 0 for COLO's entry); the source's first
 * precopy pass and switch-over; the start of either side's failover. When the step is the
 * victim's own, the victim dies there ({@code action=die}); when it is the other side's, the
 * other side stops there ({@code action=stop}), the trial SIGKILLs the victim, then sends SIGCONT:
 * the same interleaving each run.
 *
 * <p>What must hold. Primary killed in COLO: the secondary sends COLO_EXIT error and does not
 * serve until {@code x-colo-lost-heartbeat}; then it serves, the clients move there, and the
 * history has no violation and every acknowledged write, with its sequence number, is on the
 * survivor. Secondary killed: the primary serves on by itself, one COLO_EXIT, same history
 * checks on the primary. Before COLO began (precopy, switch-over) nothing is protected yet: a
 * killed primary leaves a secondary that never serves and refuses {@code x-colo-lost-heartbeat};
 * a killed secondary leaves a primary whose migration failed, serving, with no COLO_EXIT.
 *
 * <p>Public for {@code soak.ColoSoak}, which runs the same trials many times.
 */
public final class FaultTrials {
    /** Which process a trial kills. */
    public enum Side {
        PRIMARY, SECONDARY;

        Side other() {
            return this == PRIMARY ? SECONDARY : PRIMARY;
        }
    }

    /**
     * A point of one side: {@code where} is the fault spec without its action, {@code %M} standing
     * for the checkpoint's number.
     */
    public record Step(Side side, String where) {
        boolean inCheckpoint() {
            return where.contains("%M");
        }

        boolean entry() {
            return where.startsWith("checkpoint=0,");
        }

        boolean beforeColo() {
            return where.startsWith("at=precopy") || where.equals("at=switchover");
        }

        boolean failover() {
            return where.equals("at=failover");
        }

        String spec(long checkpoint) {
            return where.replace("%M", Long.toString(checkpoint));
        }

        @Override
        public String toString() {
            return side.name().toLowerCase(java.util.Locale.ROOT) + " " + where.replace("%M", "M");
        }
    }

    /** One trial's outcome: {@code failure} null when every check held. */
    public record Result(Step step, String victim, long seed, String fault, long acks, long answers, int writes,
            int reads, String failure, double seconds) {
        public boolean ok() {
            return failure == null;
        }

        /** How to repeat it. */
        public String repro() {
            return "victim=" + victim + " step='" + step + "' seed=" + seed + " fault: " + fault;
        }
    }

    private static final int CLIENTS = 3;
    private static final int CHECKPOINT_DELAY_MS = 100;

    private FaultTrials() {}

    /** Every step of both sides: 7 each per checkpoint (entry included), the precopy's two, each side's failover. */
    public static List<Step> steps() {
        List<Step> steps = new ArrayList<>();
        steps.add(new Step(Side.PRIMARY, "at=precopy-pass:1"));
        steps.add(new Step(Side.PRIMARY, "at=switchover"));
        // COLO's entry: only checkpoint-ready, the secondary's.
        steps.add(new Step(Side.SECONDARY, "checkpoint=0,before=checkpoint-ready"));
        steps.add(new Step(Side.PRIMARY, "checkpoint=0,after=checkpoint-ready"));
        // A checkpoint, in the order its steps happen.
        steps.add(new Step(Side.PRIMARY, "checkpoint=%M,before=checkpoint-request"));
        steps.add(new Step(Side.SECONDARY, "checkpoint=%M,after=checkpoint-request"));
        steps.add(new Step(Side.SECONDARY, "checkpoint=%M,before=checkpoint-reply"));
        steps.add(new Step(Side.PRIMARY, "checkpoint=%M,after=checkpoint-reply"));
        steps.add(new Step(Side.PRIMARY, "checkpoint=%M,before=vmstate-send"));
        steps.add(new Step(Side.SECONDARY, "checkpoint=%M,after=vmstate-send"));
        steps.add(new Step(Side.PRIMARY, "checkpoint=%M,before=vmstate-size"));
        steps.add(new Step(Side.SECONDARY, "checkpoint=%M,after=vmstate-size"));
        steps.add(new Step(Side.SECONDARY, "checkpoint=%M,before=vmstate-received"));
        steps.add(new Step(Side.PRIMARY, "checkpoint=%M,after=vmstate-received"));
        steps.add(new Step(Side.SECONDARY, "checkpoint=%M,before=vmstate-loaded"));
        steps.add(new Step(Side.PRIMARY, "checkpoint=%M,after=vmstate-loaded"));
        steps.add(new Step(Side.PRIMARY, "at=failover"));
        steps.add(new Step(Side.SECONDARY, "at=failover"));
        return steps;
    }

    /** Every (victim, step) pair: both victims at every step. */
    public static List<Object[]> matrix() {
        List<Object[]> all = new ArrayList<>();
        for (Side victim : Side.values()) {
            for (Step step : steps()) {
                all.add(new Object[] {victim, step});
            }
        }
        return all;
    }

    /** The checkpoint a trial with {@code seed} faults in: 2, 3 or 4. */
    static long checkpointOf(long seed) {
        return 2 + Math.floorMod(seed, 3);
    }

    /** Runs one trial; never throws for a failed check, which goes into the result. */
    public static Result run(Side victim, Step step, long seed) {
        long start = System.nanoTime();
        String fault = step.spec(checkpointOf(seed)) + ",action=" + (step.side() == victim ? "die" : "stop");
        long[] counts = new long[4];
        String failure = null;
        try (Lab lab = new Lab()) {
            trial(lab, victim, step, fault, seed, counts);
        } catch (Throwable e) {
            failure = e.toString().replace('\n', ' ');
            if (failure.length() > 600) {
                failure = "..." + failure.substring(failure.length() - 600);
            }
        }
        return new Result(step, victim.name(), seed, fault, counts[0], counts[1], (int) counts[2], (int) counts[3], failure,
                (System.nanoTime() - start) / 1e9);
    }

    private static void trial(Lab lab, Side victim, Step step, String fault, long seed, long[] counts)
            throws Exception {
        String[] faultArgs = {"--colo-fault", fault};
        boolean onPrimary = step.side() == Side.PRIMARY;
        try (ColoPair pair = ColoPair.prepare(lab, CHECKPOINT_DELAY_MS, onPrimary ? new String[0] : faultArgs,
                onPrimary ? faultArgs : new String[0])) {
            Lab.Node victimNode = victim == Side.PRIMARY ? pair.primary : pair.secondary;
            Lab.Node otherNode = victim == Side.PRIMARY ? pair.secondary : pair.primary;
            InetSocketAddress sNic = pair.secondary.nic();
            InetSocketAddress pNic = pair.primary.nic();
            try {
                pair.migrate();
            } catch (IOException | AssertionError e) {
                // The primary may die at its first precopy pass before it answers migrate.
                if (!(step.beforeColo() && victim == Side.PRIMARY && step.side() == Side.PRIMARY)) {
                    throw e;
                }
            }
            KvHistory history = new KvHistory();
            ColoClients clients = null;
            try {
                if (!step.beforeColo() && !step.entry()) {
                    pair.awaitColo(30);
                    clients = new ColoClients(pNic, CLIENTS, history, seed);
                    clients.awaitAnswersOrFault(50, step.side() == victim ? victimNode : otherNode, 20);
                }
                if (step.failover()) {
                    // The failover that reaches the step: asked of the side the step is on.
                    ColoPair.awaitColoStat(pair.p, "checkpoints", 2, 20);
                    Qmp asked = step.side() == Side.PRIMARY ? pair.p : pair.s;
                    String reply = asked.raw(Qmp.request("x-colo-lost-heartbeat", null));
                    // Told to die where the failover starts, the side asked may be gone before its
                    // answer leaves it (the monitor closes: no reply); otherwise it answers.
                    if (reply != null || step.side() != victim) {
                        assertThat(reply).as("the answer to x-colo-lost-heartbeat").isEqualTo("{\"return\": {}}");
                    }
                }
                // The fault: the victim dies at its own step, or is killed while the other side is stopped at its.
                if (step.side() == victim) {
                    assertThat(victimNode.awaitExit(30)).as("the victim's --colo-fault die").isEqualTo(137);
                } else {
                    awaitLine(otherNode, "--colo-fault: stop", 30);
                    awaitStopped(otherNode.process(), 30);
                    victimNode.process().destroyForcibly();
                    assertThat(victimNode.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
                    signal("CONT", otherNode.process());
                }
                if (step.beforeColo()) {
                    beforeColo(pair, victim, sNic, pNic, history, seed, counts);
                    return;
                }
                if (victim == Side.PRIMARY && step.failover() && step.side() == Side.SECONDARY) {
                    // The secondary was asked to fail over (then stopped there): it completes that failover.
                    ColoPair.awaitStatus(pair.s, "completed", 20);
                    ColoPair.awaitRunState(pair.s, "running", 20);
                    assertThat(Qmp.briefs(pair.s.events(), "COLO_EXIT")).as("the secondary's COLO_EXIT")
                            .containsExactly("COLO_EXIT secondary request");
                } else if (victim == Side.PRIMARY) {
                    // No take-over by itself: COLO_EXIT error, the NIC still refusing clients.
                    pair.s.await(0, "COLO_EXIT secondary error", 20);
                    assertRefuses(sNic, "the secondary before x-colo-lost-heartbeat");
                    assertThat(pair.s.coloStatus()).contains("\"mode\":\"secondary\"");
                    assertThat(pair.s.ok("x-colo-lost-heartbeat").size()).isZero();
                    ColoPair.awaitStatus(pair.s, "completed", 20);
                    ColoPair.awaitRunState(pair.s, "running", 20);
                    assertThat(Qmp.briefs(pair.s.events(), "COLO_EXIT")).as("the secondary's COLO_EXIT")
                            .containsExactly("COLO_EXIT secondary error");
                } else {
                    pair.p.await(0, e -> e.name().equals("COLO_EXIT"), "COLO_EXIT", 20);
                    ColoPair.awaitStatus(pair.p, "completed", 20);
                    ColoPair.awaitRunState(pair.p, "running", 20);
                }
                InetSocketAddress survivor = victim == Side.PRIMARY ? sNic : pNic;
                if (clients == null) {
                    clients = new ColoClients(survivor, CLIENTS, history, seed);
                } else {
                    clients.switchTo(survivor);
                }
                long answered = clients.answers();
                clients.awaitAnswers(answered + 100, 30);
                if (victim == Side.SECONDARY) {
                    // Several checkpoint delays on: still exactly one COLO_EXIT on the primary.
                    Thread.sleep(3 * CHECKPOINT_DELAY_MS);
                    assertThat(Qmp.briefs(pair.p.events(), "COLO_EXIT")).as("the primary's COLO_EXIT, once")
                            .hasSize(1);
                }
                assertThat(clients.stop()).as("client problems").isEmpty();
                finish(history, clients, survivor, counts);
            } finally {
                if (clients != null) {
                    clients.close();
                }
            }
        }
    }

    /** Killed before COLO began: nothing was protected yet; no one may serve a half-migrated guest. */
    private static void beforeColo(ColoPair pair, Side victim, InetSocketAddress sNic, InetSocketAddress pNic,
            KvHistory history, long seed, long[] counts) throws Exception {
        if (victim == Side.PRIMARY) {
            // The secondary's incoming migration failed: as QEMU's destination, it exits with an error
            // (or, if it has not noticed yet, still refuses a failover); it never serves.
            Process secondary = pair.secondary.process();
            if (!secondary.waitFor(20, TimeUnit.SECONDS)) {
                assertThat(pair.s.error("x-colo-lost-heartbeat")).isEqualTo("The feature 'colo' is not enabled");
                assertRefuses(sNic, "the secondary whose migration failed");
                throw new AssertionError("the secondary did not end its failed incoming migration in 20 s: "
                        + pair.s.queryMigrate());
            }
            assertThat(secondary.exitValue()).as("the secondary's exit status; its output: %s",
                    tail(pair.secondary.output())).isNotZero();
            assertRefuses(sNic, "the secondary whose migration failed");
            assertThat(Qmp.briefs(pair.s.events(), "COLO_EXIT")).isEmpty();
            return;
        }
        ColoPair.awaitStatus(pair.p, "failed", 20);
        ColoPair.awaitRunState(pair.p, "running", 20);
        try (ColoClients clients = new ColoClients(pNic, CLIENTS, history, seed)) {
            clients.awaitAnswers(100, 30);
            assertThat(clients.stop()).as("client problems").isEmpty();
            finish(history, clients, pNic, counts);
        }
        assertThat(Qmp.briefs(pair.p.events(), "COLO_EXIT")).as("no COLO, no COLO_EXIT").isEmpty();
    }

    static void finish(KvHistory history, ColoClients clients, InetSocketAddress survivor, long[] counts)
            throws Exception {
        counts[0] = clients.acks();
        counts[1] = clients.answers();
        counts[2] = history.writeCount();
        counts[3] = history.readCount();
        assertThat(history.violations()).as("history").isEmpty();
        List<String> keys = new ArrayList<>(history.lastAcked().keySet());
        Map<String, String> finals = ColoProcessTest.readAll(survivor, keys);
        assertThat(history.checkFinal(finals)).as("every acknowledged write on the survivor").isEmpty();
    }

    /** The NIC at {@code nic} serves no client: refused, closed, or COLO's refusal. */
    static void assertRefuses(InetSocketAddress nic, String what) {
        try (KvClient client = new KvClient(nic)) {
            client.timeout(2000);
            String answer = client.call("PING");
            assertThat(answer == null || answer.startsWith("ERR not serving")).as("%s answers PING with %s", what,
                    answer).isTrue();
        } catch (IOException e) {
            // refused or closed: not serving
        }
    }

    static void awaitLine(Lab.Node node, String text, double seconds) throws Exception {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (!node.output().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(node.name() + " did not print '" + text + "' in " + seconds + " s: "
                        + tail(node.output()));
            }
            Thread.sleep(5);
        }
    }

    /** Waits until {@code process} is stopped (state T in /proc): a SIGCONT sent earlier would be lost. */
    static void awaitStopped(Process process, double seconds) throws Exception {
        java.nio.file.Path stat = java.nio.file.Path.of("/proc", Long.toString(process.pid()), "stat");
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (true) {
            String text = java.nio.file.Files.readString(stat);
            char state = text.charAt(text.lastIndexOf(')') + 2);
            if (state == 'T' || state == 't') {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("process " + process.pid() + " not stopped in " + seconds + " s: " + state);
            }
            Thread.sleep(2);
        }
    }

    static void signal(String signal, Process process) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -%s", signal).isTrue();
    }

    static String tail(String text) {
        return text.length() > 2000 ? text.substring(text.length() - 2000) : text;
    }
}

package org.qapi4j.colo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.TestingServer;
import org.qapi4j.colo.FaultTrials.Step;
import org.qapi4j.colo.arbiter.Zk;
import org.qapi4j.vmm.process.Lab;

/**
 * The third fault of the matrix beside the two kills: the link between the hosts cut at one
 * step, both processes alive. The side the step is on stops there ({@code --colo-fault
 * ...,action=stop}), the test's {@link ColoLinkProxy} (every connection between the two goes
 * through it) closes everything and refuses new connections, then the stopped side goes on: the
 * same interleaving each run. Once without an arbiter, once with one (a ZooKeeper server started
 * here, 1.5 s sessions, both sides {@code --colo-arbiter}).
 *
 * <p>What must hold, either way: exactly one side serves afterwards, the primary; the
 * secondary's NIC, probed all along on new connections, never answers (no moment with two
 * replicas releasing output); the primary's clients see a clean history with every acknowledged
 * write on it. In COLO both sides send one COLO_EXIT with reason {@code error} and the secondary
 * stays a COLO secondary, with the arbiter too (the primary still holds the lease, checked after
 * more than a session timeout). Cut before COLO began, the migration fails: the primary runs on,
 * the secondary exits. The failover steps are not cells here: a failover asked of one side
 * while the link is cut is the kill matrix's case already.
 *
 * <p>Public for {@code soak.ColoSoak}.
 */
public final class LinkCutTrials {
    private static final int CHECKPOINT_DELAY_MS = 100;
    private static final int SESSION_MS = 1500;
    private static final int CLIENTS = 3;

    private LinkCutTrials() {}

    /** The steps a cut is made at: every step of {@link FaultTrials#steps} but the failovers. */
    public static List<Step> steps() {
        return FaultTrials.steps().stream().filter(step -> !step.failover()).toList();
    }

    /** Every (arbiter, step) cell: without the arbiter, then with it. */
    public static List<Object[]> matrix() {
        List<Object[]> all = new ArrayList<>();
        for (boolean arbiter : new boolean[] {false, true}) {
            for (Step step : steps()) {
                all.add(new Object[] {arbiter, step});
            }
        }
        return all;
    }

    /** The victim's name in results and reports. */
    public static String victim(boolean arbiter) {
        return arbiter ? "LINK+ZK" : "LINK";
    }

    /** Runs one trial; never throws for a failed check, which goes into the result. */
    public static FaultTrials.Result run(Step step, boolean arbiter, long seed) {
        long start = System.nanoTime();
        String fault = step.spec(FaultTrials.checkpointOf(seed)) + ",action=stop";
        long[] counts = new long[4];
        String failure = null;
        try (Lab lab = new Lab(); TestingServer zk = arbiter ? Zk.start() : null) {
            String[] arbiterArgs = zk == null ? new String[0] : new String[] {"--colo-arbiter",
                "zookeeper://127.0.0.1:" + zk.getPort() + "/cut?session-timeout-ms=" + SESSION_MS};
            trial(lab, step, fault, arbiterArgs, seed, counts);
        } catch (Throwable e) {
            failure = e.toString().replace('\n', ' ');
            if (failure.length() > 600) {
                failure = "..." + failure.substring(failure.length() - 600);
            }
        }
        return new FaultTrials.Result(step, victim(arbiter), seed, fault, counts[0], counts[1], (int) counts[2],
                (int) counts[3], failure, (System.nanoTime() - start) / 1e9);
    }

    private static void trial(Lab lab, Step step, String fault, String[] arbiterArgs, long seed, long[] counts)
            throws Exception {
        String[] faultArgs = {"--colo-fault", fault};
        boolean onPrimary = step.side() == FaultTrials.Side.PRIMARY;
        String[] primaryArgs = concat(onPrimary ? faultArgs : new String[0], arbiterArgs);
        String[] secondaryArgs = concat(onPrimary ? new String[0] : faultArgs, arbiterArgs);
        try (ColoPair pair = ColoPair.prepare(lab, CHECKPOINT_DELAY_MS, secondaryArgs, primaryArgs);
                ColoLinkProxy link = new ColoLinkProxy(new InetSocketAddress("127.0.0.1", pair.port))) {
            Lab.Node stopping = onPrimary ? pair.primary : pair.secondary;
            InetSocketAddress pNic = pair.primary.nic();
            NicProber prober = new NicProber(pair.secondary.nic());
            prober.start();
            KvHistory history = new KvHistory();
            ColoClients clients = null;
            try {
                assertThat(pair.p.ok("migrate", "{\"uri\": \"" + link.uri() + "\"}").size()).isZero();
                boolean inColo = !step.beforeColo() && !step.entry();
                if (inColo) {
                    pair.awaitColo(30);
                    clients = new ColoClients(pNic, CLIENTS, history, seed);
                    clients.awaitAnswersOrFault(50, stopping, 20);
                }
                FaultTrials.awaitLine(stopping, "--colo-fault: stop", 30);
                FaultTrials.awaitStopped(stopping.process(), 30);
                link.cut();
                FaultTrials.signal("CONT", stopping.process());
                if (step.beforeColo()) {
                    ColoPair.awaitStatus(pair.p, "failed", 20);
                    assertThat(pair.secondary.process().waitFor(20, TimeUnit.SECONDS))
                            .as("the secondary ends its failed incoming migration").isTrue();
                    assertThat(pair.secondary.process().exitValue()).isNotZero();
                } else {
                    pair.p.await(0, "COLO_EXIT primary error", 30);
                    pair.s.await(0, "COLO_EXIT secondary error", 30);
                    ColoPair.awaitStatus(pair.p, "completed", 20);
                }
                ColoPair.awaitRunState(pair.p, "running", 20);
                if (clients == null) {
                    clients = new ColoClients(pNic, CLIENTS, history, seed);
                }
                clients.awaitAnswers(clients.answers() + 100, 30);
                if (!step.beforeColo()) {
                    // Longer than a session: with the arbiter, the secondary would have had the lease by now.
                    Thread.sleep(arbiterArgs.length > 0 ? SESSION_MS + 1500 : 1000);
                    clients.awaitAnswers(clients.answers() + 20, 30);
                    assertThat(pair.s.coloStatus()).as("the secondary, still a COLO secondary")
                            .contains("\"mode\":\"secondary\"");
                    assertThat(Qmp.briefs(pair.p.events(), "COLO_EXIT")).containsExactly("COLO_EXIT primary error");
                    assertThat(Qmp.briefs(pair.s.events(), "COLO_EXIT")).containsExactly("COLO_EXIT secondary error");
                } else {
                    assertThat(Qmp.briefs(pair.p.events(), "COLO_EXIT")).as("no COLO, no COLO_EXIT").isEmpty();
                }
                assertThat(clients.stop()).as("client problems").isEmpty();
                prober.finish();
                assertThat(prober.served).as("answers the secondary's NIC gave (it must give none)").isEmpty();
                FaultTrials.finish(history, clients, pNic, counts);
            } finally {
                prober.finish();
                if (clients != null) {
                    clients.close();
                }
            }
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}

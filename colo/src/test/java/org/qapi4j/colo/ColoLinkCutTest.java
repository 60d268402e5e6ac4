package org.qapi4j.colo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.qapi4j.vmm.process.Lab;

/**
 * The link between primary and secondary cut mid-run (both COLO connections, the migration's
 * and the proxy link, through a {@link ColoLinkProxy} the test controls) without an arbiter: the
 * primary serves on by itself; the secondary does not take over (its NIC keeps refusing clients,
 * it stays a COLO secondary); and at no moment do both release output: a prober asks the
 * secondary's NIC all along and never gets an answer from it.
 */
class ColoLinkCutTest {
    @Test
    void theLinkCutThePrimaryServesOnAndTheSecondaryNeverServes() throws Exception {
        try (Lab lab = new Lab(); ColoPair pair = ColoPair.prepare(lab, 100, new String[0], new String[0]);
                ColoLinkProxy link = new ColoLinkProxy(new InetSocketAddress("127.0.0.1", pair.port))) {
            InetSocketAddress sNic = pair.secondary.nic();
            assertThat(pair.p.ok("migrate", "{\"uri\": \"" + link.uri() + "\"}").size()).isZero();
            pair.awaitColo(30);
            assertThat(link.connections()).as("the migration and the proxy link go through the proxy")
                    .isGreaterThanOrEqualTo(2);
            KvHistory history = new KvHistory();
            NicProber prober = new NicProber(sNic);
            prober.start();
            try (ColoClients clients = new ColoClients(pair.primary.nic(), 3, history, 42)) {
                clients.awaitAnswers(150, 20);
                ColoPair.awaitColoStat(pair.p, "checkpoints", 3, 20);
                int pMark = pair.p.eventCount();
                int sMark = pair.s.eventCount();
                link.cut();

                pair.p.await(pMark, "COLO_EXIT primary error", 20);
                ColoPair.awaitStatus(pair.p, "completed", 20);
                ColoPair.awaitRunState(pair.p, "running", 20);
                long answered = clients.answers();
                clients.awaitAnswers(answered + 300, 30);

                // The secondary lost the link too: COLO_EXIT error, and it waits for an operator.
                pair.s.await(sMark, "COLO_EXIT secondary error", 20);
                long probesBefore = prober.probes.get();
                long deadline = System.nanoTime() + 2_000_000_000L; // 20 checkpoint delays
                while (System.nanoTime() < deadline || prober.probes.get() < probesBefore + 20) {
                    clients.awaitAnswers(clients.answers() + 1, 10);
                    Thread.sleep(20);
                }
                assertThat(pair.s.coloStatus()).as("the secondary, still a COLO secondary")
                        .isEqualTo("{\"last-mode\":\"none\",\"mode\":\"secondary\",\"reason\":\"none\"}");
                assertThat(pair.s.migrationStatus()).isEqualTo("colo");
                assertThat(Qmp.briefs(pair.p.events(), "COLO_EXIT")).containsExactly("COLO_EXIT primary error");
                assertThat(Qmp.briefs(pair.s.events(), "COLO_EXIT")).containsExactly("COLO_EXIT secondary error");
                assertThat(clients.stop()).as("client problems").isEmpty();
            } finally {
                prober.finish();
            }
            assertThat(prober.probes.get()).as("probes of the secondary's NIC").isPositive();
            assertThat(prober.served).as("answers the secondary's NIC gave (it must give none)").isEmpty();
            assertThat(history.violations()).as("history").isEmpty();
            assertThat(history.checkFinal(ColoProcessTest.readAll(pair.primary.nic(), ColoProcessTest.keysOf(history))))
                    .as("every acknowledged write on the primary").isEmpty();
        }
    }

    /**
     * A silent partition (no byte passes, nothing is closed): the primary must still go on alone
     * within a bound, and the secondary still never serve.
     */
    @Test
    void aSilentPartitionThePrimaryServesOnWithinABound() throws Exception {
        try (Lab lab = new Lab(); ColoPair pair = ColoPair.prepare(lab, 100, new String[0], new String[0]);
                ColoLinkProxy link = new ColoLinkProxy(new InetSocketAddress("127.0.0.1", pair.port))) {
            InetSocketAddress sNic = pair.secondary.nic();
            assertThat(pair.p.ok("migrate", "{\"uri\": \"" + link.uri() + "\"}").size()).isZero();
            pair.awaitColo(30);
            KvHistory history = new KvHistory();
            try (ColoClients clients = new ColoClients(pair.primary.nic(), 3, history, 43)) {
                clients.awaitAnswers(150, 20);
                ColoPair.awaitColoStat(pair.p, "checkpoints", 3, 20);
                int pMark = pair.p.eventCount();
                link.freeze();
                pair.p.await(pMark, "COLO_EXIT primary error", 30);
                long answered = clients.answers();
                clients.awaitAnswers(answered + 300, 30);
                FaultTrials.assertRefuses(sNic, "the secondary after a silent partition");
                assertThat(clients.stop()).as("client problems").isEmpty();
            }
            assertThat(history.violations()).as("history").isEmpty();
        }
    }

    /**
     * A silent partition at COLO's entry, while the primary's guest stands stopped for the
     * secondary's {@code checkpoint-ready}: the same bound holds there (the secondary is held at
     * its step by {@code --colo-fault} so that the partition falls exactly there).
     */
    @Test
    void aSilentPartitionAtColoEntryThePrimaryServesOnWithinABound() throws Exception {
        String[] hold = {"--colo-fault", "checkpoint=0,before=checkpoint-ready,action=stop"};
        try (Lab lab = new Lab(); ColoPair pair = ColoPair.prepare(lab, 100, hold, new String[0]);
                ColoLinkProxy link = new ColoLinkProxy(new InetSocketAddress("127.0.0.1", pair.port))) {
            assertThat(pair.p.ok("migrate", "{\"uri\": \"" + link.uri() + "\"}").size()).isZero();
            FaultTrials.awaitLine(pair.secondary, "--colo-fault: stop", 30);
            FaultTrials.awaitStopped(pair.secondary.process(), 30);
            link.freeze();
            FaultTrials.signal("CONT", pair.secondary.process());
            pair.p.await(0, "COLO_EXIT primary error", 30);
            ColoPair.awaitRunState(pair.p, "running", 20);
            assertThat(pair.primary.output()).contains("COLO's entry had no answer from the secondary");
            KvHistory history = new KvHistory();
            try (ColoClients clients = new ColoClients(pair.primary.nic(), 3, history, 44)) {
                clients.awaitAnswers(200, 30);
                FaultTrials.assertRefuses(pair.secondary.nic(), "the secondary after a silent partition at entry");
                assertThat(clients.stop()).as("client problems").isEmpty();
            }
            assertThat(history.violations()).as("history").isEmpty();
        }
    }
}

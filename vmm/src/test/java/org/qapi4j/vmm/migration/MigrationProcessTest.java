package org.qapi4j.vmm.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qapi4j.vmm.process.KvClient;
import org.qapi4j.vmm.process.Lab;
import org.qapi4j.vmm.process.QmpLines;

/**
 * Live migration between {@code bin/vmm} processes while a kvstore guest serves clients that keep
 * writing: after the switch-over the clients reconnect to the destination's NIC and resend what
 * was not acknowledged, by the same request id; every acknowledged write must then be on the
 * destination, and no write applied twice. Over TCP, over a Unix socket, with {@code -incoming
 * defer}, and started at seeded random instants (the seed is printed; {@code -Dqapi4j.seed=N}
 * replays it). {@code pmemsave} of both sides after the migration are the same bytes.
 */
@Timeout(120)
class MigrationProcessTest {
    private static final String[] GUEST = {"-m", "64"};
    private static final int WRITERS = 4;

    @Test
    void overTcpWithClientsWritingNoAcknowledgedWriteIsLost() throws Exception {
        try (Lab lab = new Lab()) {
            int port = Mig.freePort();
            Lab.Node source = lab.vmm("src", GUEST);
            Lab.Node destination = lab.vmm("dst", with(GUEST, "-incoming", "tcp:127.0.0.1:" + port));
            try (Writers writers = new Writers(source.nic(), WRITERS);
                    QmpLines src = source.qmp(); QmpLines dst = destination.qmp()) {
                writers.awaitAcks(200, 20);
                migrate(src, "tcp:127.0.0.1:" + port);
                switchOver(src, dst, destination, writers);
                checkEveryAcknowledgedWrite(writers, destination.nic());
            }
        }
    }

    @Test
    void withIncomingDeferTheAddressComesByMigrateIncoming() throws Exception {
        try (Lab lab = new Lab()) {
            int port = Mig.freePort();
            Lab.Node source = lab.vmm("src", GUEST);
            Lab.Node destination = lab.vmm("dst", with(GUEST, "-incoming", "defer"));
            try (Writers writers = new Writers(source.nic(), WRITERS);
                    QmpLines src = source.qmp(); QmpLines dst = destination.qmp()) {
                assertThat(Mig.runState(dst)).isEqualTo("inmigrate");
                assertThat(Mig.ok(dst, "migrate-incoming", "{\"uri\": \"tcp:127.0.0.1:" + port + "\"}").size()).isZero();
                writers.awaitAcks(200, 20);
                migrate(src, "tcp:127.0.0.1:" + port);
                switchOver(src, dst, destination, writers);
                checkEveryAcknowledgedWrite(writers, destination.nic());
            }
        }
    }

    @Test
    void overAUnixSocketBothSidesHoldTheSameRamAfterwards() throws Exception {
        try (Lab lab = new Lab()) {
            Path socket = lab.dir().resolve("mig.sock");
            Lab.Node source = lab.vmm("src", GUEST);
            Lab.Node destination = lab.vmm("dst", with(GUEST, "-incoming", "unix:" + socket));
            try (KvClient client = new KvClient(source.nic())) {
                for (int i = 0; i < 500; i++) {
                    assertThat(client.call("PUT r" + i + " key" + i + " value-" + i)).isEqualTo("OK " + (i + 1));
                }
            }
            try (QmpLines src = source.qmp(); QmpLines dst = destination.qmp()) {
                migrate(src, "unix:" + socket);
                assertThat(Mig.awaitMigration(src, Mig.ENDED, 30).get("status").asString()).isEqualTo("completed");
                Mig.awaitRunState(src, "postmigrate", 10);
                assertThat(Mig.awaitMigration(dst, Mig.ENDED, 30).get("status").asString()).isEqualTo("completed");
                assertThat(Mig.runState(dst)).isEqualTo("running");
                Mig.ok(dst, "stop");
                Path fromSource = lab.dir().resolve("src.ram");
                Path fromDestination = lab.dir().resolve("dst.ram");
                pmemsave(src, fromSource);
                pmemsave(dst, fromDestination);
                assertThat(Files.size(fromSource)).isEqualTo(64L << 20);
                assertThat(Files.mismatch(fromSource, fromDestination))
                        .as("first differing byte of the two RAM dumps (-1: none)").isEqualTo(-1L);
                Mig.ok(dst, "cont");
            }
            try (KvClient client = new KvClient(destination.nic())) {
                for (int i = 0; i < 500; i++) {
                    assertThat(client.call("GET key" + i)).isEqualTo("VALUE " + (i + 1) + " value-" + i);
                }
            }
        }
    }

    /**
     * A chain of migrations, each started at a seeded random instant while the writers write:
     * node 0 to node 1, node 1 to node 2, and so on; each later node starts before the previous
     * migration is asked for, so the instants fall anywhere in the guest's work.
     */
    @Test
    void startedAtRandomInstantsTheChainLosesNoAcknowledgedWrite() throws Exception {
        long seed = Long.getLong("qapi4j.seed", System.nanoTime());
        int trials = Integer.getInteger("qapi4j.migration.trials", 5);
        System.out.println("MigrationProcessTest random instants: seed=" + seed + " trials=" + trials
                + " (replay with -Dqapi4j.seed=" + seed + ")");
        Random random = new Random(seed);
        long started = System.nanoTime();
        try (Lab lab = new Lab()) {
            Lab.Node current = lab.vmm("n0", GUEST);
            try (Writers writers = new Writers(current.nic(), WRITERS)) {
                for (int trial = 1; trial <= trials; trial++) {
                    int port = Mig.freePort();
                    Lab.Node next = lab.vmm("n" + trial, with(GUEST, "-incoming", "tcp:127.0.0.1:" + port));
                    long delayMillis = random.nextInt(600);
                    try (QmpLines src = current.qmp(); QmpLines dst = next.qmp()) {
                        long ackedBefore = writers.acks();
                        Thread.sleep(delayMillis); // the random instant, not a synchronisation
                        migrate(src, "tcp:127.0.0.1:" + port);
                        switchOver(src, dst, next, writers);
                        assertThat(writers.acks()).as("trial %d (delay %d ms): writes went on", trial, delayMillis)
                                .isGreaterThan(ackedBefore);
                    }
                    current.process().destroyForcibly();
                    current = next;
                }
                checkEveryAcknowledgedWrite(writers, current.nic());
            }
        }
        assertThat((System.nanoTime() - started) / 1e9).as("seconds for the chain").isLessThan(60.0);
    }

    private static void migrate(QmpLines src, String uri) throws Exception {
        Mig.capabilities(src, "events");
        Mig.migrate(src, uri);
    }

    /**
     * Waits for the migration to complete on both sides, checks their run states, and moves the
     * writers to the destination, which must then acknowledge new writes.
     */
    private static void switchOver(QmpLines src, QmpLines dst, Lab.Node destination, Writers writers) throws Exception {
        assertThat(Mig.awaitMigration(src, Mig.ENDED, 30).get("status").asString()).as("source's migration")
                .isEqualTo("completed");
        Mig.awaitRunState(src, "postmigrate", 10);
        assertThat(Mig.awaitMigration(dst, Mig.ENDED, 30).get("status").asString()).as("destination's migration")
                .isEqualTo("completed");
        assertThat(Mig.runState(dst)).isEqualTo("running");
        long acked = writers.acks();
        writers.switchTo(destination.nic());
        writers.awaitAcks(acked + 100, 20);
    }

    private static void checkEveryAcknowledgedWrite(Writers writers, InetSocketAddress nic) throws Exception {
        List<String> problems = writers.stop();
        assertThat(problems).as("the writers' problems").isEmpty();
        Map<String, Writers.Ack> acked = writers.acked();
        try (KvClient client = new KvClient(nic)) {
            for (Map.Entry<String, Writers.Ack> entry : acked.entrySet()) {
                assertThat(client.call("GET " + entry.getKey())).as("key %s", entry.getKey())
                        .isEqualTo("VALUE " + entry.getValue().seq() + " " + entry.getValue().value());
            }
            assertThat(client.call("STATS")).as("every acknowledged write applied once, no other (%d resends)",
                    writers.retries()).startsWith("STATS keys=" + acked.size() + " capacity=4096 seq=" + writers.acks() + " ");
        }
    }

    private static void pmemsave(QmpLines qmp, Path file) throws Exception {
        Mig.ok(qmp, "pmemsave", "{\"val\": 0, \"size\": %d, \"filename\": \"%s\"}".formatted(64L << 20, file));
    }

    private static String[] with(String[] base, String... more) {
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }
}

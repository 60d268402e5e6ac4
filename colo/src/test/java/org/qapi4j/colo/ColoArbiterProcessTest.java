package org.qapi4j.colo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qapi4j.colo.arbiter.Zk;
import org.qapi4j.vmm.process.KvClient;
import org.qapi4j.vmm.process.Lab;

/**
 * COLO with {@code --colo-arbiter} between two real VMM processes and a real ZooKeeper server
 * started here (1.5 s sessions): the primary killed, the secondary takes over by itself within
 * the session timeout plus a margin, with every acknowledged write; the primary frozen (SIGSTOP,
 * as a cut link looks from the other side), the secondary takes over and the two never release
 * answers at the same time, not even once the primary runs again.
 */
@Timeout(120)
class ColoArbiterProcessTest {
    static final int SESSION_MS = 1500;

    @Test
    void thePrimaryKilledTheSecondaryTakesOverByItselfWithEveryAcknowledgedWrite() throws Exception {
        try (TestingServer zk = Zk.start(); Lab lab = new Lab(); CuratorFramework watcher = client(zk)) {
            String[] arbiter = {"--colo-arbiter", "zookeeper://127.0.0.1:" + zk.getPort() + "/kill?session-timeout-ms=" + SESSION_MS};
            try (ColoPair pair = ColoPair.prepare(lab, 200, arbiter, arbiter)) {
                pair.migrate();
                pair.awaitColo(30);
                awaitNode(watcher, "/kill/lease", true);
                KvHistory history = new KvHistory();
                try (ColoClients clients = new ColoClients(pair.primary.nic(), 4, history);
                        Prober onSecondary = new Prober(pair.secondary.nic())) {
                    clients.awaitAnswers(300, 20);
                    ColoPair.awaitColoStat(pair.p, "checkpoints", 2, 10);
                    assertThat(onSecondary.answers).as("the secondary releases nothing in COLO").isEmpty();

                    long[] deleted = {0};
                    watcher.checkExists().usingWatcher((org.apache.curator.framework.api.CuratorWatcher) e ->
                            deleted[0] = System.currentTimeMillis()).forPath("/kill/lease");
                    long killed = System.currentTimeMillis();
                    pair.primary.process().destroyForcibly();
                    assertThat(pair.primary.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
                    clients.switchTo(pair.secondary.nic());

                    long first = onSecondary.awaitFirst(SESSION_MS + 5000);
                    long takeover = first - killed;
                    assertThat(takeover).as("automatic failover within the session timeout + 5 s")
                            .isLessThan(SESSION_MS + 5000);
                    ColoPair.awaitStatus(pair.s, "completed", 10);
                    assertThat(pair.s.coloStatus()).isEqualTo(
                            "{\"last-mode\":\"secondary\",\"mode\":\"none\",\"reason\":\"request\"}");
                    long answered = clients.answers();
                    clients.awaitAnswers(answered + 300, 30);
                    assertThat(clients.stop()).as("client problems").isEmpty();
                    assertThat(history.violations()).as("history").isEmpty();
                    assertThat(history.checkFinal(ColoProcessTest.readAll(pair.secondary.nic(), clients.keys())))
                            .as("every acknowledged write on the survivor").isEmpty();

                    String log = Files.readString(pair.secondary.log());
                    long seen = at(log, "the primary's lease is gone");
                    long holds = at(log, "secondary holds the lease");
                    long done = at(log, "secondary failover done");
                    assertThat(deleted[0]).as("the test saw the lease node go").isPositive();
                    System.out.printf("ARBITER FAILOVER (session timeout %d ms): lease timeout %d ms (kill -> znode"
                            + " deleted), detection %d ms (-> secondary saw it), takeover %d ms (-> lease taken %d ms,"
                            + " failover done), first client answer %d ms; total kill -> first answer %d ms%n",
                            SESSION_MS, deleted[0] - killed, seen - deleted[0], done - seen, holds - seen,
                            first - done, takeover);
                }
            }
        }
    }

    @Test
    void thePrimaryFrozenNeverTwoSidesReleaseOutputAtOnce() throws Exception {
        try (TestingServer zk = Zk.start(); Lab lab = new Lab(); CuratorFramework watcher = client(zk)) {
            String[] arbiter = {"--colo-arbiter", "zookeeper://127.0.0.1:" + zk.getPort() + "/stop?session-timeout-ms=" + SESSION_MS};
            try (ColoPair pair = ColoPair.prepare(lab, 200, arbiter, arbiter)) {
                pair.migrate();
                pair.awaitColo(30);
                awaitNode(watcher, "/stop/lease", true);
                KvHistory history = new KvHistory();
                try (ColoClients clients = new ColoClients(pair.primary.nic(), 4, history);
                        Prober onPrimary = new Prober(pair.primary.nic());
                        Prober onSecondary = new Prober(pair.secondary.nic())) {
                    clients.awaitAnswers(300, 20);
                    onPrimary.awaitFirst(5000);
                    long pid = pair.primary.process().pid();
                    signal("STOP", pid); // the primary is cut off from everything, ZooKeeper included
                    long stopped = System.nanoTime();
                    clients.switchTo(pair.secondary.nic());
                    long first = onSecondary.awaitFirst(SESSION_MS + 5000);
                    ColoPair.awaitStatus(pair.s, "completed", 10);
                    long woken = System.nanoTime();
                    signal("CONT", pid); // it wakes up believing it is primary: its lease is gone
                    long answered = clients.answers();
                    clients.awaitAnswers(answered + 300, 30);
                    Thread.sleep(2L * SESSION_MS); // room for the primary to misbehave
                    assertThat(clients.stop()).as("client problems").isEmpty();
                    onPrimary.close();
                    onSecondary.close();

                    long lastPrimary = onPrimary.answers.stream().mapToLong(Long::longValue).max().orElseThrow();
                    long firstSecondary = onSecondary.answers.get(0);
                    // Not "before the SIGSTOP": an answer the primary wrote just before it froze may
                    // reach the prober a little after the kill command returned.
                    assertThat(lastPrimary).as("no answer from the primary once it woke up").isLessThan(woken);
                    assertThat(lastPrimary).as("no answer from the primary after the secondary's first")
                            .isLessThan(firstSecondary);
                    assertThat(onPrimary.answers.stream().filter(t -> t > firstSecondary).count()).isZero();
                    assertThat(pair.p.runState()).as("the old primary lives on, fenced").isNotEmpty();
                    assertThat(Files.readString(pair.primary.log())).as("the old primary's lease")
                            .doesNotContain("secondary holds");
                    assertThat(history.violations()).as("history").isEmpty();
                    assertThat(history.checkFinal(ColoProcessTest.readAll(pair.secondary.nic(), clients.keys())))
                            .as("every acknowledged write on the survivor").isEmpty();
                    System.out.printf("ARBITER FENCE: primary's last answer %d ms before the SIGSTOP, secondary's first"
                            + " %d ms after it, %d answers from the primary after SIGCONT%n",
                            (stopped - lastPrimary) / 1_000_000, (firstSecondary - stopped) / 1_000_000,
                            onPrimary.answers.stream().filter(t -> t > stopped).count());
                }
            }
        }
    }

    private static CuratorFramework client(TestingServer zk) {
        CuratorFramework client = CuratorFrameworkFactory.newClient(zk.getConnectString(), 5000, 5000,
                new RetryOneTime(100));
        client.start();
        return client;
    }

    private static void awaitNode(CuratorFramework client, String path, boolean exists) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while ((client.checkExists().forPath(path) != null) != exists) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(path + (exists ? " never appeared" : " never went"));
            }
            Thread.sleep(20);
        }
    }

    private static long at(String log, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what) + ".* at=(\\d+)").matcher(log);
        assertThat(m.find()).as("log line '%s' in:%n%s", what, log).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static void signal(String name, long pid) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start().waitFor()).isZero();
    }

    /**
     * PINGs one NIC over and over and records when answers came (nanoTime; the first one also as
     * wall-clock time): when that side released output. Refusals of a COLO secondary do not count.
     */
    static final class Prober extends Thread implements AutoCloseable {
        final List<Long> answers = new CopyOnWriteArrayList<>();
        final AtomicLong firstWallClock = new AtomicLong();
        private final InetSocketAddress nic;
        private volatile boolean stop;

        Prober(InetSocketAddress nic) {
            super("prober-" + nic.getPort());
            this.nic = nic;
            setDaemon(true);
            start();
        }

        @Override
        public void run() {
            while (!stop) {
                try (KvClient client = new KvClient(nic)) {
                    client.timeout(300);
                    while (!stop) {
                        String answer = client.call("PING");
                        if (answer == null || answer.startsWith("ERR not serving")) {
                            break;
                        }
                        long now = System.nanoTime();
                        firstWallClock.compareAndSet(0, System.currentTimeMillis());
                        answers.add(now);
                        Thread.sleep(2);
                    }
                } catch (Exception e) {
                    // refused, reset or silent: try again
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** Waits for the first answer; returns its wall-clock time in ms. */
        long awaitFirst(long millis) throws InterruptedException {
            long deadline = System.nanoTime() + millis * 1_000_000;
            while (answers.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no answer from " + nic + " within " + millis + " ms");
                }
                Thread.sleep(2);
            }
            return firstWallClock.get();
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            join(5000);
        }
    }
}

package org.qapi4j.colo.arbiter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The lease and its fencing against a real ZooKeeper server: output goes out while the lease is
 * confirmed, is held while the connection is in doubt (SUSPENDED) and released on RECONNECTED
 * with the lease still ours, and never goes out again once the session is lost; a second process
 * takes the lease only when the first one's session has ended.
 */
@Timeout(60)
class LeaseTest {
    private static final int SESSION_MS = 1500;

    @Test
    void suspendHoldsOutputReconnectReleasesItInOrder() throws Exception {
        try (TestingServer zk = Zk.start(); Lease lease = Lease.connect(Zk.arbiter(zk.getPort(), "/t1", 4 * SESSION_MS))) {
            List<String> out = new CopyOnWriteArrayList<>();
            FencedOutput gate = new FencedOutput(lease, (c, line) -> out.add(c + ":" + new String(line)));
            gate.release(1, "early".getBytes());
            assertThat(out).as("no lease yet: held").isEmpty();
            assertThat(lease.acquire("holder-1", 1000)).isTrue();
            await(() -> out.size() == 1, 2000, "held output released once the lease is ours");
            gate.release(1, "a".getBytes());
            assertThat(out).containsExactly("1:early", "1:a");
            assertThat(lease.holder()).isEqualTo("holder-1");

            zk.stop();
            await(() -> lease.state() == Lease.State.SUSPENDED, 8 * SESSION_MS, "SUSPENDED after the server went away");
            gate.release(1, "b".getBytes());
            gate.release(2, "c".getBytes());
            assertThat(lease.valid()).isFalse();
            assertThat(out).as("suspended: output held").containsExactly("1:early", "1:a");
            assertThat(gate.heldCount()).isEqualTo(2);

            zk.restart(); // within the session timeout: the session (and the lease) survive
            await(() -> out.size() == 4, 5000, "released on RECONNECTED with the lease still ours");
            assertThat(out).containsExactly("1:early", "1:a", "1:b", "2:c");
            assertThat(lease.state()).isEqualTo(Lease.State.HELD);
            gate.release(3, "d".getBytes());
            assertThat(out).endsWith("3:d");
        }
    }

    @Test
    void aLostSessionNeverReleasesAgain() throws Exception {
        try (TestingServer zk = Zk.start(); Lease lease = Lease.connect(Zk.arbiter(zk.getPort(), "/t2", SESSION_MS))) {
            List<String> out = new CopyOnWriteArrayList<>();
            FencedOutput gate = new FencedOutput(lease, (c, line) -> out.add(new String(line)));
            assertThat(lease.acquire("holder", 1000)).isTrue();
            gate.release(1, "before".getBytes());
            zk.stop();
            // Right after the stop the lease is still certainly ours (confirmed less than T/2 ago).
            await(() -> !lease.valid(), SESSION_MS, "invalid within half a session timeout");
            gate.release(1, "during".getBytes());
            await(lease::lost, 3 * SESSION_MS + 2000, "LOST once the session timeout passed disconnected");
            zk.restart();
            Thread.sleep(2L * SESSION_MS); // reconnected with a new session: still fenced
            gate.release(1, "after".getBytes());
            gate.flush();
            assertThat(out).containsExactly("before");
            assertThat(lease.valid()).isFalse();
            assertThat(lease.lost()).isTrue();
            assertThat(gate.droppedCount()).isEqualTo(2);
            assertThatTakingItAgainFails(lease);
        }
    }

    private static void assertThatTakingItAgainFails(Lease lease) {
        try {
            lease.tryAcquire("again");
            throw new AssertionError("a lost lease was taken again");
        } catch (java.io.IOException e) {
            assertThat(e.getMessage()).contains("lost its lease");
        }
    }

    @Test
    void theSecondaryTakesTheLeaseOnlyWhenThePrimarysSessionEnds() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(log, true);
        try (TestingServer zk = Zk.start();
                Arbiter primary = Arbiter.connect(Zk.arbiter(zk.getPort(), "/t3", SESSION_MS), "primary", err, "p");
                Arbiter secondary = Arbiter.connect(Zk.arbiter(zk.getPort(), "/t3", SESSION_MS), "secondary", err, "s")) {
            CountDownLatch tookOver = new CountDownLatch(1);
            secondary.watchAsSecondary(tookOver::countDown);
            Thread.sleep(300);
            assertThat(secondary.lease().state()).as("nothing seen held yet: no take-over")
                    .isEqualTo(Lease.State.NOT_HELD);
            assertThat(primary.lease().acquire("primary", 1000)).isTrue();
            assertThat(tookOver.await(2L * SESSION_MS, TimeUnit.MILLISECONDS)).as("no take-over while the primary holds it")
                    .isFalse();
            assertThat(secondary.lease().tryAcquire("secondary")).isFalse();

            long expired = System.nanoTime();
            primary.lease().client().getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();
            await(primary.lease()::lost, 2000, "the primary knows it lost the lease");
            assertThat(tookOver.await(3L * SESSION_MS, TimeUnit.MILLISECONDS)).as("take-over").isTrue();
            long tookMillis = (System.nanoTime() - expired) / 1_000_000;
            assertThat(secondary.lease().valid()).isTrue();
            assertThat(secondary.lease().holder()).isEqualTo("secondary");
            assertThat(log.toString()).contains("s: COLO arbiter: the primary's lease is gone", "s: COLO arbiter: secondary holds");
            System.out.println("lease taken over " + tookMillis + " ms after the primary's session ended client-side");
        }
    }

    static void await(BooleanSupplier condition, long millis, String what) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + millis + " ms: " + what);
            }
            Thread.sleep(5);
        }
    }
}

package org.qapi4j.colo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.qapi4j.vmm.process.KvClient;
import org.qapi4j.vmm.process.Lab;

/**
 * Output commit: an answer the primary's guest gave is not released to its client before the
 * state that produced it reached the secondary. The request is one whose answer differs between
 * the replicas (kvstore's TIME or RAND), so the comparison cannot release it; the checkpoint that
 * mismatch asks for (checkpoint 1: the periodic delay is QEMU's 20 s default) is held up on the
 * secondary by {@code --colo-fault checkpoint=1,before=vmstate-received,action=delay,ms=1500}.
 */
@Timeout(60)
class ColoOutputTest {
    static final long DELAY_MS = 1500;

    @ParameterizedTest
    @ValueSource(strings = {"TIME", "RAND"})
    void anAnswerThatDiffersIsHeldUntilTheSecondaryHasTheStateThatProducedIt(String request) throws Exception {
        String fault = "checkpoint=1,before=vmstate-received,action=delay,ms=" + DELAY_MS;
        try (Lab lab = new Lab(); ColoPair pair = ColoPair.inColo(lab, 20_000, "--colo-fault", fault)) {
            assertThat(ColoPair.coloStat(pair.p, "checkpoints")).as("no checkpoint yet").isZero();
            try (KvClient client = new KvClient(pair.primary.nic())) {
                // The control: an answer both replicas give alike is released by the comparison, at once.
                long pingStart = System.nanoTime();
                assertThat(client.call("PING")).isEqualTo("PONG");
                long pingMillis = (System.nanoTime() - pingStart) / 1_000_000;
                assertThat(pingMillis).as("PING answered without a checkpoint").isLessThan(DELAY_MS / 2);
                assertThat(ColoPair.coloStat(pair.p, "checkpoints")).as("PING caused no checkpoint").isZero();
                long releasedBefore = ColoPair.coloStat(pair.p, "released-packets");

                long sent = System.nanoTime();
                client.send(request);
                // Meanwhile the answer is held on the primary, in the checkpoint the mismatch asked for.
                long held = ColoPair.awaitColoStat(pair.p, "held-packets", 1, DELAY_MS / 2000.0);
                assertThat(held).isGreaterThanOrEqualTo(1);
                awaitOutput(pair.secondary, "--colo-fault: delay before vmstate-received in checkpoint 1", 5);
                assertThat(client.silentFor(200)).as("no answer while the secondary has not received the state")
                        .isTrue();
                assertThat(ColoPair.coloStat(pair.p, "held-packets")).as("still held during the delay")
                        .isGreaterThanOrEqualTo(1);

                String answer = client.answer();
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
                assertThat(answer).matches(request.equals("TIME") ? "TIME \\d+" : "RAND [0-9a-f]{16}");
                assertThat(millis).as("%s answered after %d ms, the secondary delayed vmstate-received %d ms",
                        request, millis, DELAY_MS).isGreaterThanOrEqualTo(DELAY_MS);
                assertThat(ColoPair.coloStat(pair.p, "released-packets")).as("released after the delay")
                        .isGreaterThan(releasedBefore);
                assertThat(ColoPair.coloStat(pair.p, "held-packets")).as("nothing held after").isZero();
                assertThat(ColoPair.coloStat(pair.p, "mismatches")).as("the answers differed").isPositive();
                assertThat(ColoPair.awaitColoStat(pair.p, "checkpoints", 1, 5)).isEqualTo(1);
                // The service goes on: both replicas are in COLO and the connection still serves.
                assertThat(client.call("PING")).isEqualTo("PONG");
                assertThat(pair.p.migrationStatus()).isEqualTo("colo");
                assertThat(pair.s.migrationStatus()).isEqualTo("colo");
            }
        }
    }

    static void awaitOutput(Lab.Node node, String text, double seconds) throws Exception {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (!node.output().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(node.name() + " did not print '" + text + "' in " + seconds + " s: "
                        + node.output());
            }
            Thread.sleep(5);
        }
    }
}

package org.qapi4j.colo.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qapi4j.colo.arbiter.Zk;

/**
 * bin/colo-demo's main on short runs, two real VMM processes each: by default (an arbiter with
 * a ZooKeeper server in the demo's JVM) the secondary takes over by itself once the killed
 * primary's session expired; with {@code --arbiter none} the demo sends {@code
 * x-colo-lost-heartbeat}; with {@code --arbiter zookeeper://...} the VMMs use that ensemble. Each
 * time every acknowledged write is found on the survivor. A bad option is one line and exit 2.
 */
class ColoDemoTest {
    private static final String SHORT_RUN = "--clients 2 --kill-after 1000 --run-after 500 --checkpoint-delay 200";

    private record Run(int status, String out, String err) {}

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ColoDemo.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String[] shortRun(String... more) {
        return (SHORT_RUN + " " + String.join(" ", more)).trim().split(" ");
    }

    @Test
    @Timeout(90)
    void byDefaultTheArbiterLetsTheSecondaryTakeOverByItself() {
        Run run = run(shortRun("--session-timeout", "1000"));

        assertThat(run.status()).as(run.out() + run.err()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).contains("started in this JVM on 127.0.0.1:", "--colo-arbiter zookeeper://127.0.0.1:",
                "primary    arbiter: primary holds the lease /qapi4j-colo-demo/", "checkpoint 1: STOP",
                "SIGKILL to the primary", "no x-colo-lost-heartbeat: the arbiter decides",
                "secondary  arbiter: the primary's lease is gone", "secondary  arbiter: secondary holds the lease",
                "secondary  COLO_EXIT mode=secondary", "secondary  MIGRATION completed", "first answer after failover",
                "colo-demo: everything checked out");
        assertThat(run.out()).doesNotContain("x-colo-lost-heartbeat answered", "x-colo-lost-heartbeat to the secondary");
        assertEveryAcknowledgedWriteVerified(run);
        // In order: the kill, the lease gone, the lease taken, the secondary's guest running.
        String out = run.out();
        assertThat(out.indexOf("the primary's lease is gone")).isGreaterThan(out.indexOf("SIGKILL to the primary"));
        assertThat(out.indexOf("secondary holds the lease")).isGreaterThan(out.indexOf("the primary's lease is gone"));
        assertThat(out.indexOf("secondary  RESUME\n")).isGreaterThan(out.indexOf("secondary holds the lease"));

        Matcher summary = Pattern.compile("failover by the arbiter \\(session timeout 1000 ms\\): SIGKILL at [0-9.]+ ms;"
                + " after it, the secondary saw the primary's lease gone ([0-9.]+) ms, its RESUME ([0-9.]+) ms, the first"
                + " client answer ([0-9.]+) ms\n").matcher(out);
        assertThat(summary.find()).as(out).isTrue();
        double resumed = Double.parseDouble(summary.group(2));
        // Not on the lost link (that takes milliseconds) but once ZooKeeper expired the primary's session, which
        // lasts at least two thirds of the timeout after the primary's last ping; well before the demo gives up.
        assertThat(resumed).isGreaterThan(600).isLessThan(2 * 1000 + 5000);
        assertThat(Double.parseDouble(summary.group(1))).isLessThanOrEqualTo(resumed);
        assertThat(Double.parseDouble(summary.group(3))).isGreaterThan(resumed);
        assertFolderRemoved(run);
    }

    @Test
    @Timeout(60)
    void withoutAnArbiterTheDemoSendsTheLostHeartbeat() {
        Run run = run(shortRun("--arbiter", "none"));

        assertThat(run.status()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("primary    MIGRATION colo: entry into COLO", "checkpoint 1: STOP",
                "SIGKILL to the primary", "x-colo-lost-heartbeat to the secondary (without an arbiter nothing takes over"
                        + " by itself", "x-colo-lost-heartbeat answered", "secondary  COLO_EXIT mode=secondary",
                "secondary  MIGRATION completed", "first answer after failover", "colo-demo: everything checked out");
        assertThat(run.out()).doesNotContain("arbiter:", "ZooKeeper");
        assertThat(run.out()).containsPattern("failover: SIGKILL at [0-9.]+ ms, x-colo-lost-heartbeat at [0-9.]+ ms, the"
                + " secondary's RESUME [0-9.]+ ms after it, the first client answer [0-9.]+ ms after it");
        assertEveryAcknowledgedWriteVerified(run);
        // The secondary's RESUME comes after the kill: the failover is on the timeline, in order.
        assertThat(run.out().indexOf("secondary  RESUME\n")).isGreaterThan(run.out().indexOf("SIGKILL to the primary"));
        assertFolderRemoved(run);
    }

    @Test
    @Timeout(90)
    void anExistingEnsembleServesAsTheArbiter() throws Exception {
        try (TestingServer zk = Zk.start()) {
            String ensemble = "zookeeper://127.0.0.1:" + zk.getPort();
            Run run = run(shortRun("--session-timeout", "1000", "--arbiter", ensemble));

            assertThat(run.status()).as(run.out() + run.err()).isZero();
            assertThat(run.out()).doesNotContain("started in this JVM");
            assertThat(run.out()).contains("--colo-arbiter " + ensemble + "/qapi4j-colo-demo/",
                    "primary    arbiter: primary holds the lease", "secondary  arbiter: secondary holds the lease",
                    "failover by the arbiter (session timeout 1000 ms)", "colo-demo: everything checked out");
            assertEveryAcknowledgedWriteVerified(run);
        }
    }

    private static void assertEveryAcknowledgedWriteVerified(Run run) {
        Matcher verified = Pattern.compile("acknowledged writes verified on the survivor: (\\d+) of (\\d+)")
                .matcher(run.out());
        assertThat(verified.find()).as(run.out()).isTrue();
        assertThat(verified.group(1)).isEqualTo(verified.group(2)).isNotEqualTo("0");
    }

    /** The VMMs' folder, the embedded ZooKeeper's files in it, is gone. */
    private static void assertFolderRemoved(Run run) {
        Matcher folder = Pattern.compile("starting a secondary and a primary VMM in (\\S+)").matcher(run.out());
        assertThat(folder.find()).as(run.out()).isTrue();
        assertThat(Files.exists(Path.of(folder.group(1)))).isFalse();
    }

    @Test
    void aBadOptionIsOneLineAndStatus2() {
        Run unknown = run("--frobnicate");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err().lines()).hasSize(1).first().asString().startsWith("colo-demo: Unknown option");
        assertThat(unknown.out()).isEmpty();

        Run outOfRange = run("--clients", "0");
        assertThat(outOfRange.status()).isEqualTo(2);
        assertThat(outOfRange.err()).isEqualTo("colo-demo: --clients must be 1..16, not 0" + System.lineSeparator());

        Run notANumber = run("--kill-after", "soon");
        assertThat(notANumber.status()).isEqualTo(2);
        assertThat(notANumber.err().lines()).hasSize(1);
    }

    @Test
    void aBadArbiterOrSessionTimeoutIsOneLineAndStatus2() {
        for (String wrong : new String[] {"etcd", "zookeeper://", "zookeeper://localhost", "zookeeper://h:0",
            "zookeeper://h:65536", "zookeeper://h:2181,", "zookeeper://h:2181/path", "zookeeper://h:2181?x=1", "Embedded"}) {
            Run run = run("--arbiter", wrong);
            assertThat(run.status()).as(wrong).isEqualTo(2);
            assertThat(run.err()).as(wrong).isEqualTo("colo-demo: --arbiter must be embedded, none or"
                    + " zookeeper://HOST:PORT[,HOST:PORT...], not '" + wrong + "'" + System.lineSeparator());
            assertThat(run.out()).isEmpty();
        }
        Run tooShort = run("--session-timeout", "199");
        assertThat(tooShort.status()).isEqualTo(2);
        assertThat(tooShort.err()).isEqualTo("colo-demo: --session-timeout must be 200..30000 ms, not 199"
                + System.lineSeparator());
        assertThat(run("--session-timeout", "30001").status()).isEqualTo(2);
        Run notANumber = run("--session-timeout", "2s");
        assertThat(notANumber.status()).isEqualTo(2);
        assertThat(notANumber.err().lines()).hasSize(1);
    }

    @Test
    void theArbiterChoicesParse() {
        assertThat(ArbiterChoice.parse("embedded")).contains(new ArbiterChoice(ArbiterChoice.Kind.EMBEDDED,
                java.util.List.of()));
        assertThat(ArbiterChoice.parse("zookeeper://zk1:2181,zk2.example:2182,[::1]:2183")).contains(
                new ArbiterChoice(ArbiterChoice.Kind.ENSEMBLE, java.util.List.of("zk1:2181", "zk2.example:2182",
                        "[::1]:2183")));
    }
}

package org.qapi4j.colo.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * bin/colo-demo's main on a short run: two real VMM processes, the primary killed after a
 * second, the clients served by the secondary after the failover, every acknowledged write
 * found there; and a bad option is one line and exit status 2.
 */
class ColoDemoTest {
    private record Run(int status, String out, String err) {}

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ColoDemo.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    @Timeout(60)
    void theSecondaryTakesOverAndHoldsEveryAcknowledgedWrite() {
        Run run = run("--clients", "2", "--kill-after", "1000", "--run-after", "500", "--checkpoint-delay", "200");

        assertThat(run.status()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("primary    MIGRATION colo: entry into COLO", "checkpoint 1: STOP",
                "SIGKILL to the primary", "secondary  COLO_EXIT mode=secondary", "secondary  MIGRATION completed",
                "first answer after failover", "colo-demo: everything checked out");
        Matcher verified = Pattern.compile("acknowledged writes verified on the survivor: (\\d+) of (\\d+)")
                .matcher(run.out());
        assertThat(verified.find()).as(run.out()).isTrue();
        assertThat(verified.group(1)).isEqualTo(verified.group(2)).isNotEqualTo("0");
        // The secondary's RESUME comes after the kill: the failover is on the timeline, in order.
        assertThat(run.out().indexOf("secondary  RESUME\n")).isGreaterThan(run.out().indexOf("SIGKILL to the primary"));
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
}

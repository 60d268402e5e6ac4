package org.qapi4j.vmm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code --colo-fault}: what it takes, and one line for what it refuses. */
class ColoFaultOptionTest {
    @Test
    void faultsAreRepeatableAndKeepTheirOrder() throws Exception {
        VmmOptions options = VmmCommandLine.parse("--colo-fault", "checkpoint=3,before=vmstate-received,action=delay,ms=1500",
                "--colo-fault", "checkpoint=0,before=checkpoint-ready,action=die");
        assertThat(options.coloFaults()).containsExactly(
                new ColoFault(3, "vmstate-received", ColoFault.Action.DELAY, 1500),
                new ColoFault(0, "checkpoint-ready", ColoFault.Action.DIE, 0));
        assertThat(VmmCommandLine.parse().coloFaults()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", textBlock = """
            checkpoint=1,before=vmstate-send => vmm: --colo-fault checkpoint=1,before=vmstate-send: a COLO fault needs checkpoint=M,before=MESSAGE,action=die|stop|delay
            checkpoint=1,before=vmstate-sent,action=die => vmm: --colo-fault checkpoint=1,before=vmstate-sent,action=die: 'vmstate-sent' is not a COLO message (checkpoint-ready, checkpoint-request, checkpoint-reply, vmstate-send, vmstate-size, vmstate-received, vmstate-loaded)
            checkpoint=1,before=vmstate-send,action=explode => vmm: --colo-fault checkpoint=1,before=vmstate-send,action=explode: action 'explode' is not die, stop or delay
            checkpoint=1,before=vmstate-send,action=delay => vmm: --colo-fault checkpoint=1,before=vmstate-send,action=delay: action=delay needs ms=N, a positive number of milliseconds
            """)
    void aBadFaultIsOneLine(String spec, String line) {
        assertThat(VmmCommandLineTest.refusal("--colo-fault", spec)).isEqualTo(line);
    }

    @Test
    void helpNamesTheOption() {
        assertThat(VmmCommandLine.helpText()).contains("--colo-fault checkpoint=M,before=MESSAGE,action=die|stop|delay[,ms=N]");
        assertThat(List.of(VmmCommandLine.helpText().split("\n"))).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(80));
    }
}

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

    @Test
    void everyPointHasItsForm() throws Exception {
        VmmOptions options = VmmCommandLine.parse("--colo-fault", "checkpoint=3,after=vmstate-size,action=stop",
                "--colo-fault", "at=precopy-pass:2,action=die", "--colo-fault", "at=switchover,action=delay,ms=10",
                "--colo-fault", "action=die,at=failover");
        assertThat(options.coloFaults()).containsExactly(
                new ColoFault(ColoFault.Point.AFTER, 3, "vmstate-size", ColoFault.Action.STOP, 0),
                new ColoFault(ColoFault.Point.PRECOPY_PASS, 2, "", ColoFault.Action.DIE, 0),
                new ColoFault(ColoFault.Point.SWITCHOVER, 0, "", ColoFault.Action.DELAY, 10),
                new ColoFault(ColoFault.Point.FAILOVER, 0, "", ColoFault.Action.DIE, 0));
        assertThat(options.coloFaults()).extracting(ColoFault::where).containsExactly(
                "after vmstate-size in checkpoint 3", "at precopy-pass:2", "at switchover", "at failover");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", textBlock = """
            checkpoint=1,before=vmstate-send => vmm: --colo-fault checkpoint=1,before=vmstate-send: a COLO fault needs checkpoint=M,before=MESSAGE or checkpoint=M,after=MESSAGE or at=precopy-pass:N|switchover|failover, and action=die|stop|delay
            before=vmstate-send,action=die => vmm: --colo-fault before=vmstate-send,action=die: a COLO fault needs checkpoint=M,before=MESSAGE or checkpoint=M,after=MESSAGE or at=precopy-pass:N|switchover|failover, and action=die|stop|delay
            checkpoint=1,after=vmstate-sent,action=die => vmm: --colo-fault checkpoint=1,after=vmstate-sent,action=die: 'vmstate-sent' is not a COLO message (checkpoint-ready, checkpoint-request, checkpoint-reply, vmstate-send, vmstate-size, vmstate-received, vmstate-loaded)
            checkpoint=1,before=vmstate-send,after=vmstate-size,action=die => vmm: --colo-fault checkpoint=1,before=vmstate-send,after=vmstate-size,action=die: a COLO fault takes one of before=, after= and at=
            checkpoint=1,at=switchover,action=die => vmm: --colo-fault checkpoint=1,at=switchover,action=die: checkpoint= goes with before= or after=, not with at=
            at=precopy,action=die => vmm: --colo-fault at=precopy,action=die: 'precopy' is not a fault point (precopy-pass:N, switchover, failover)
            at=precopy-pass:0,action=die => vmm: --colo-fault at=precopy-pass:0,action=die: precopy-pass:0: the pass is a number from 1
            at=precopy-pass:x,action=die => vmm: --colo-fault at=precopy-pass:x,action=die: precopy-pass:x: the pass is a number from 1
            checkpoint=1,before=vmstate-sent,action=die => vmm: --colo-fault checkpoint=1,before=vmstate-sent,action=die: 'vmstate-sent' is not a COLO message (checkpoint-ready, checkpoint-request, checkpoint-reply, vmstate-send, vmstate-size, vmstate-received, vmstate-loaded)
            checkpoint=1,before=vmstate-send,action=explode => vmm: --colo-fault checkpoint=1,before=vmstate-send,action=explode: action 'explode' is not die, stop or delay
            checkpoint=1,before=vmstate-send,action=delay => vmm: --colo-fault checkpoint=1,before=vmstate-send,action=delay: action=delay needs ms=N, a positive number of milliseconds
            """)
    void aBadFaultIsOneLine(String spec, String line) {
        assertThat(VmmCommandLineTest.refusal("--colo-fault", spec)).isEqualTo(line);
    }

    @Test
    void helpNamesTheOption() {
        assertThat(VmmCommandLine.helpText()).contains("--colo-fault checkpoint=M,before=MESSAGE,action=die|stop|delay[,ms=N]",
                "--colo-fault checkpoint=M,after=MESSAGE,action=", "--colo-fault at=precopy-pass:N|switchover|failover");
        assertThat(List.of(VmmCommandLine.helpText().split("\n"))).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(80));
    }
}

package org.qapi4j.vmm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code --colo-arbiter}: off by default, what it takes, and one line for what it refuses. */
class ColoArbiterOptionTest {
    @Test
    void offByDefault() throws Exception {
        assertThat(VmmCommandLine.parse().coloArbiter()).isEmpty();
        assertThat(VmmOptions.defaults().coloArbiter()).isEmpty();
    }

    @Test
    void serversPathAndSessionTimeout() throws Exception {
        assertThat(VmmCommandLine.parse("--colo-arbiter", "zookeeper://127.0.0.1:2181").coloArbiter())
                .contains(new ColoArbiter(List.of("127.0.0.1:2181"), "/qapi4j-colo", 10_000));
        ColoArbiter full = VmmCommandLine.parse("--colo-arbiter",
                "zookeeper://zk1:2181,zk2:2182,[::1]:2183/apps/colo/pair-7/?session-timeout-ms=1500").coloArbiter()
                .orElseThrow();
        assertThat(full).isEqualTo(new ColoArbiter(List.of("zk1:2181", "zk2:2182", "[::1]:2183"), "/apps/colo/pair-7",
                1500));
        assertThat(full.connectString()).isEqualTo("zk1:2181,zk2:2182,[::1]:2183");
        assertThat(full.toString()).isEqualTo("zookeeper://zk1:2181,zk2:2182,[::1]:2183/apps/colo/pair-7?session-timeout-ms=1500");
        assertThat(VmmCommandLine.parse("--colo-arbiter", "zookeeper://a:1", "--colo-arbiter", "zookeeper://b:2")
                .coloArbiter()).map(ColoArbiter::servers).isEqualTo(Optional.of(List.of("b:2")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", textBlock = """
            http://127.0.0.1:2181 => vmm: --colo-arbiter http://127.0.0.1:2181: expected zookeeper://HOST:PORT[,HOST:PORT...][/PATH][?session-timeout-ms=N]
            zookeeper:// => vmm: --colo-arbiter zookeeper://: no ZooKeeper server given: zookeeper://HOST:PORT[,HOST:PORT...][/PATH][?session-timeout-ms=N]
            zookeeper://zk1 => vmm: --colo-arbiter zookeeper://zk1: 'zk1' is not HOST:PORT (a port from 1 to 65535)
            zookeeper://zk1:2181,,zk2:2181 => vmm: --colo-arbiter zookeeper://zk1:2181,,zk2:2181: '' is not HOST:PORT (a port from 1 to 65535)
            zookeeper://zk1:99999 => vmm: --colo-arbiter zookeeper://zk1:99999: 'zk1:99999' is not HOST:PORT (a port from 1 to 65535)
            zookeeper://zk1:2181/ => vmm: --colo-arbiter zookeeper://zk1:2181/: '/' is not a ZooKeeper path for the lease (like /qapi4j-colo)
            zookeeper://zk1:2181/a//b => vmm: --colo-arbiter zookeeper://zk1:2181/a//b: '/a//b' is not a ZooKeeper path for the lease (like /qapi4j-colo)
            zookeeper://zk1:2181?timeout=5 => vmm: --colo-arbiter zookeeper://zk1:2181?timeout=5: unknown parameter 'timeout=5': only session-timeout-ms=N
            zookeeper://zk1:2181?session-timeout-ms=fast => vmm: --colo-arbiter zookeeper://zk1:2181?session-timeout-ms=fast: session-timeout-ms must be a number of milliseconds, at least 100, not 'fast'
            zookeeper://zk1:2181?session-timeout-ms=10 => vmm: --colo-arbiter zookeeper://zk1:2181?session-timeout-ms=10: session-timeout-ms must be a number of milliseconds, at least 100, not '10'
            """)
    void aBadArbiterIsOneLine(String spec, String line) {
        assertThat(VmmCommandLineTest.refusal("--colo-arbiter", spec)).isEqualTo(line);
    }

    @Test
    void helpNamesTheOption() {
        assertThat(VmmCommandLine.helpText()).contains("--colo-arbiter zookeeper://HOST:PORT[,HOST:PORT...][/PATH]");
        assertThat(List.of(VmmCommandLine.helpText().split("\n"))).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(80));
    }
}

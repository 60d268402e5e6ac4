package org.qapi4j.qmp.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.qapi4j.qmp.shell.ShellDriver.CTRL_D;
import static org.qapi4j.qmp.shell.ShellDriver.TAB;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qapi4j.qmp.client.QemuLab;
import org.qapi4j.qmp.client.QmpConnection;
import org.qapi4j.qmp.json.Json;

/**
 * The shell against a real QEMU 7.2 ({@code -M none -nodefaults}), which has
 * {@code query-qmp-schema} and closes the connection on {@code quit}. Skipped, saying so, when
 * {@code qemu-system-x86_64} is not installed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RealQemuShellTest {
    private static final Duration AT_ONCE = Duration.ofSeconds(3);
    private static final String STATUS = "{\"status\": \"running\", \"singlestep\": false, \"running\": true}";

    private static Path qemu;
    private QemuLab lab;
    private Path socket;

    @BeforeAll
    static void needQemu() {
        qemu = QemuLab.binary();
        Assumptions.assumeTrue(qemu != null, () -> skip(QemuLab.BINARY + " is not on the PATH"));
    }

    @BeforeEach
    void startQemu() throws Exception {
        lab = new QemuLab(qemu);
        socket = lab.start("qemu", "-M", "none", "-nodefaults", "-display", "none");
    }

    @AfterEach
    void stopQemu() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    private static String skip(String why) {
        String message = "SKIPPED: " + why + "; the real-QEMU qmp-shell tests did not run";
        System.out.println(message);
        return message;
    }

    private QmpConnection connect() throws Exception {
        return lab.connect(socket).connect().get();
    }

    @Test
    void rawJsonRepliesKeepTheIdsQemuSends() throws Exception {
        try (QmpConnection connection = connect(); ShellDriver shell = ShellDriver.start(connection)) {
            shell.type("{\"execute\": \"query-status\", \"id\": 42}\n").await("{\"return\": " + STATUS + ", \"id\": 42}");
            shell.type("{ \"execute\": \"no-such-command\", \"id\": {\"n\": \"x\"} }\n").await(
                    "{\"id\": {\"n\": \"x\"}, \"error\": {\"class\": \"CommandNotFound\", "
                            + "\"desc\": \"The command no-such-command has not been found\"}}");
            String screen = shell.type("query-status\n").await("{\"return\": " + STATUS + "}\n");
            assertThat(screen).as("QEMU has query-qmp-schema: nothing to say about completion")
                    .doesNotContain("Tab completes", "no Tab completion", "CommandNotFound: ");
        }
    }

    @Test
    void badJsonIsExplainedLocallyAndQemuNeverSeesIt() throws Exception {
        try (QmpConnection connection = connect(); ShellDriver shell = ShellDriver.start(connection)) {
            shell.type("{\"execute\": \n").await("incomplete JSON: the object at column 1 is not closed");
            shell.type("{\"execute\": \"query-status\",}\n").await("invalid JSON at column 28: unexpected '}'");
            // Had either gone out, QEMU's parser would still be inside an object, or have
            // answered a JSON parse error.
            String screen = shell.type("{\"execute\": \"query-status\", \"id\": 1}\n").await("{\"return\": " + STATUS + ", \"id\": 1}");
            assertThat(screen).doesNotContain("JSON parse error", "Source:", "StreamReadFeature");
        }
    }

    @Test
    void tabCompletesCommandAndArgumentNamesFromQemusSchema() throws Exception {
        try (QmpConnection connection = connect(); ShellDriver shell = ShellDriver.start(connection)) {
            shell.type("query-versio" + TAB + "\n").await("{\"return\": {\"qemu\": {\"micro\": ");
            shell.type("qom-list pa" + TAB + "/machine\n").await("{\"name\": \"type\", \"type\": \"string\"}");
        }
    }

    @Test
    void quitMakesQemuCloseTheConnectionAndTheShellEndsAtOnce() throws Exception {
        try (QmpConnection connection = connect(); ShellDriver shell = ShellDriver.start(connection)) {
            shell.type("query-status\n").await(STATUS);
            shell.type("quit\n");
            assertThat(shell.exitStatus(AT_ONCE)).isZero();
            assertThat(shell.screen())
                    .contains("{\"return\": {}}\n")
                    .contains("\"event\": \"SHUTDOWN\", \"data\": {\"guest\": false, \"reason\": \"host-qmp-quit\"}}\n")
                    .endsWith("Disconnected: the server closed the connection\n");
        }
        StringWriter err = new StringWriter();
        int status = QmpShell.run(new String[] {socket.toString()}, new PrintWriter(new StringWriter()), new PrintWriter(err),
                () -> {
                    throw new AssertionError("no terminal without a connection");
                }, null);
        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).matches("qmp-shell: cannot connect to " + socket
                + ": (No such file or directory|Connection refused)\\R");
    }

    @Test
    void exitAndCtrlDLeaveTheShellAndQemuRunning() throws Exception {
        try (QmpConnection connection = connect(); ShellDriver shell = ShellDriver.start(connection)) {
            shell.type("exit\n");
            assertThat(shell.exitStatus(AT_ONCE)).isZero();
            assertThat(shell.screen()).doesNotContain("CommandNotFound", "Disconnected");
        }
        try (QmpConnection connection = connect(); ShellDriver shell = ShellDriver.start(connection)) {
            shell.type("stop\n").await("\"event\": \"STOP\"");
            shell.type(CTRL_D);
            assertThat(shell.exitStatus(AT_ONCE)).isZero();
        }
        try (QmpConnection connection = connect()) {
            assertThat(Json.write(connection.execute("query-status", Json.object()).get()))
                    .isEqualTo("{\"status\":\"paused\",\"singlestep\":false,\"running\":false}");
        }
    }
}

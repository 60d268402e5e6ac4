package org.qapi4j.qmp.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.qapi4j.qmp.shell.ShellDriver.CTRL_C;
import static org.qapi4j.qmp.shell.ShellDriver.CTRL_D;
import static org.qapi4j.qmp.shell.ShellDriver.TAB;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qapi4j.qmp.client.QmpConnection;

/**
 * The shell as a user of QEMU's {@code qmp-shell} meets it, typed into a terminal, against our
 * own server: a small dispatcher without {@code query-qmp-schema}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShellSessionTest {
    /** "At once": the shell is not waiting for the user. */
    private static final Duration AT_ONCE = Duration.ofSeconds(3);
    static final String NAMES_ONLY =
            "This server has no query-qmp-schema: Tab completes command names only (from query-commands).";
    static final String NO_COMPLETION =
            "This server has neither query-qmp-schema nor query-commands: no Tab completion.";

    @Test
    void rawJsonRepliesKeepTheirIds() throws Exception {
        try (ShellTestServer server = ShellTestServer.withoutIntrospection();
                QmpConnection connection = server.connect();
                ShellDriver shell = ShellDriver.start(connection)) {
            shell.type("{\"execute\": \"query-status\", \"id\": \"a-1\"}\n")
                    .await("{\"return\": {\"status\": \"running\", \"singlestep\": false, \"running\": true}, \"id\": \"a-1\"}");
            shell.type("{\"execute\": \"stop\", \"id\": 7}\n").await("{\"return\": {}, \"id\": 7}");
            shell.type("{\"execute\": \"no-such-command\", \"id\": [1, {\"x\": null}]}\n").await(
                    "{\"id\": [1, {\"x\": null}], \"error\": {\"class\": \"CommandNotFound\", "
                            + "\"desc\": \"The command no-such-command has not been found\"}}");
            // A command line sends no id, as QEMU's qmp-shell: its reply has none.
            String screen = shell.type("query-status\n")
                    .await("{\"return\": {\"status\": \"paused\", \"singlestep\": false, \"running\": false}}\n");
            assertThat(screen).doesNotContain("\"id\": 0").doesNotContain("\"id\": 1,");
        }
    }

    @Test
    void rawJsonIsSentAsTypedAndTheServerJudgesIt() throws Exception {
        try (ShellTestServer server = ShellTestServer.withoutIntrospection();
                QmpConnection connection = server.connect();
                ShellDriver shell = ShellDriver.start(connection)) {
            shell.type("{\"execute\": \"query-status\", \"bogus\": 1, \"id\": 3}\n").await(
                    "{\"id\": 3, \"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input member 'bogus' is unexpected\"}}");
            shell.type("{\"arguments\": {}}\n").await(
                    "{\"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input lacks member 'execute'\"}}");
            assertThat(server.received()).isEmpty();
        }
    }

    @Test
    void badJsonIsExplainedInOurWordsWithItsColumnAndNothingIsSent() throws Exception {
        try (ShellTestServer server = ShellTestServer.withoutIntrospection();
                QmpConnection connection = server.connect();
                ShellDriver shell = ShellDriver.start(connection)) {
            shell.type("{\"execute\": \n").await(
                    "Error while parsing command line: incomplete JSON: the object at column 1 is not closed\n"
                            + "{\"execute\": \n            ^\n");
            shell.type("{\"execute\" \"stop\"}\n").await(
                    "Error while parsing command line: invalid JSON at column 12: unexpected '\"'\n"
                            + "{\"execute\" \"stop\"}\n           ^\n");
            shell.type("{\"execute\": \"stop\n").await("incomplete JSON: the string at column 13 is not closed");
            shell.type("{\"execute\": stop}\n").await("invalid JSON at column 13: unexpected 'stop'");
            shell.type("{\"execute\": \"stop\"} junk\n").await("invalid JSON at column 21: unexpected 'junk' after the end of the object");
            shell.type("{\"execute\": \"stop\", \"execute\": \"quit\"}\n").await("invalid JSON at column 21: duplicate member \"execute\"");
            shell.type("{\"arguments\": [1, }\n").await("invalid JSON at column 19: unexpected '}'");
            String screen = shell.type("query-status\n").await("\"running\": true}}");
            assertThat(screen).doesNotContain("Source:", "StreamReadFeature", "REDACTED", "Unexpected character", "code 34",
                    "Exception", "jackson");
            assertThat(server.received()).containsExactly("query-status");
        }
    }

    @Test
    void withoutQueryQmpSchemaTabCompletesCommandNamesFromQueryCommandsAndTheShellSaysSoOnce() throws Exception {
        try (ShellTestServer server = ShellTestServer.withQueryCommands();
                QmpConnection connection = server.connect();
                ShellDriver shell = ShellDriver.start(connection)) {
            shell.await(NAMES_ONLY);
            shell.type("query-st" + TAB + "\n").await("{\"return\": {\"status\": \"running\"");
            shell.type("sto" + TAB + "\n").await("{\"return\": {}}");
            String screen = shell.type("query-st" + TAB + "\n").await("\"status\": \"paused\"");
            assertThat(screen.split(java.util.regex.Pattern.quote(NAMES_ONLY), -1)).hasSize(2);
            assertThat(screen).doesNotContain("CommandNotFound");
            assertThat(server.received()).containsExactly("query-commands", "query-status", "stop", "query-status");
        }
    }

    @Test
    void withNeitherTheShellWorksWithoutCompletionAndSaysSoOnce() throws Exception {
        try (ShellTestServer server = ShellTestServer.withoutIntrospection();
                QmpConnection connection = server.connect();
                ShellDriver shell = ShellDriver.start(connection)) {
            shell.await(NO_COMPLETION);
            shell.type("query-status\n").await("{\"return\": {\"status\": \"running\"");
            shell.type("stop\n").await("{\"return\": {}}");
            String screen = shell.type("query-st" + TAB + "\n").await("The command query-st has not been found");
            assertThat(screen.split(java.util.regex.Pattern.quote(NO_COMPLETION), -1)).hasSize(2);
            assertThat(screen).doesNotContain("query-qmp-schema has not been found");
            assertThat(server.received()).containsExactly("query-status", "stop");
        }
    }

    @Test
    void quitMakesTheServerCloseAndTheShellSaysSoAndEndsAtOnce() throws Exception {
        try (ShellTestServer server = ShellTestServer.withoutIntrospection();
                QmpConnection connection = server.connect();
                ShellDriver shell = ShellDriver.start(connection)) {
            shell.await("(QEMU) ");
            shell.type("quit\n");
            assertThat(shell.exitStatus(AT_ONCE)).isZero();
            assertThat(shell.screen()).contains("Disconnected: the server closed the connection");
        }
    }

    @Test
    void aConnectionThatClosesWhileTheShellWaitsAtThePromptEndsIt() throws Exception {
        ShellTestServer server = ShellTestServer.withoutIntrospection();
        try (QmpConnection connection = server.connect();
                ShellDriver shell = ShellDriver.start(connection)) {
            shell.type("query-status\n").await("\"running\": true}}\n(QEMU) ");
            server.close();
            assertThat(shell.exitStatus(AT_ONCE)).isZero();
            assertThat(shell.screen()).endsWith("Disconnected: the server closed the connection\n");
        } finally {
            server.close();
        }
    }

    @Test
    void exitEndsTheShellAndSendsNothing() throws Exception {
        try (ShellTestServer server = ShellTestServer.withoutIntrospection();
                QmpConnection connection = server.connect();
                ShellDriver shell = ShellDriver.start(connection)) {
            shell.type("query-status\n").type("  exit \n");
            assertThat(shell.exitStatus(AT_ONCE)).isZero();
            assertThat(server.received()).containsExactly("query-status");
            assertThat(connection.isOpen()).as("the shell leaves the connection to its owner").isTrue();
            assertThat(shell.screen()).doesNotContain("Disconnected");
        }
    }

    @Test
    void ctrlDEndsTheShellAndSendsNothing() throws Exception {
        try (ShellTestServer server = ShellTestServer.withoutIntrospection();
                QmpConnection connection = server.connect();
                ShellDriver shell = ShellDriver.start(connection)) {
            shell.type("query-status\n").await("\"running\": true}}");
            shell.type(CTRL_D);
            assertThat(shell.exitStatus(AT_ONCE)).isZero();
            assertThat(server.received()).containsExactly("query-status");
            assertThat(shell.screen()).doesNotContain("Exception");
        }
    }

    @Test
    void theEndOfTheInputEndsTheShell() throws Exception {
        try (ShellTestServer server = ShellTestServer.withoutIntrospection();
                QmpConnection connection = server.connect();
                ShellDriver shell = ShellDriver.start(connection)) {
            shell.type("stop\n").endInput();
            assertThat(shell.exitStatus(AT_ONCE)).isZero();
            assertThat(shell.screen()).contains("{\"return\": {}}");
            assertThat(server.received()).containsExactly("stop");
        }
    }

    @Test
    void ctrlCAbandonsTheLineAndTheShellGoesOn() throws Exception {
        try (ShellTestServer server = ShellTestServer.withoutIntrospection();
                QmpConnection connection = server.connect();
                ShellDriver shell = ShellDriver.start(connection)) {
            shell.type("stop" + CTRL_C).type("query-status\n").await("\"running\": true}}");
            assertThat(shell.ended()).isFalse();
            assertThat(server.received()).containsExactly("query-status");
        }
    }

    @Test
    void eventsArePrintedAsTheyComeAndRequestsEchoedWhenVerbose() throws Exception {
        try (ShellTestServer server = ShellTestServer.withoutIntrospection();
                QmpConnection connection = server.connect();
                ShellDriver shell = ShellDriver.start(connection,
                        new ShellOptions(false, true, Duration.ofSeconds(10), null))) {
            String screen = shell.type("stop\n").await("{\"return\": {}}");
            assertThat(screen).contains("{\"execute\": \"stop\", \"arguments\": {}}\n");
            assertThat(screen).containsPattern("\\{\"timestamp\": \\{\"seconds\": \\d+, \"microseconds\": \\d+}, \"event\": \"STOP\"}");
        }
    }

    @Test
    void prettyPrintingIndentsAndSortsAsQemusShell() throws Exception {
        try (ShellTestServer server = ShellTestServer.withoutIntrospection();
                QmpConnection connection = server.connect();
                ShellDriver shell = ShellDriver.start(connection,
                        new ShellOptions(true, false, Duration.ofSeconds(10), null))) {
            shell.type("{\"execute\": \"query-status\", \"id\": 1}\n").await("""
                    {
                        "id": 1,
                        "return": {
                            "running": true,
                            "singlestep": false,
                            "status": "running"
                        }
                    }
                    """);
        }
    }
}

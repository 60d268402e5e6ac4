package org.qapi4j.qmp.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/qmp-shell} as a program: its arguments, a failed connect, its help, a whole run. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QmpShellTest {
    @TempDir
    Path dir;

    /** What a run printed and returned. */
    record Run(int status, String out, String err) {}

    /** Runs the program where it cannot get as far as a terminal. */
    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = QmpShell.run(args, new PrintWriter(out), new PrintWriter(err), () -> {
            throw new AssertionError("no terminal without a connection");
        }, null);
        return new Run(status, out.toString(), err.toString());
    }

    private static void assertOneLineOfOurOwn(Run run, String line) {
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo(line + System.lineSeparator());
        assertThat(run.err()).doesNotContain("netty", "Exception", "could not connect");
    }

    @Test
    void aMissingSocketIsOneLineAndStatusOne() {
        Path socket = dir.resolve("missing.sock");
        assertOneLineOfOurOwn(run(socket.toString()),
                "qmp-shell: cannot connect to " + socket + ": No such file or directory");
    }

    @Test
    void aSocketNobodyListensOnIsOneLineAndStatusOne() throws Exception {
        Path socket = dir.resolve("dead.sock");
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listener.bind(UnixDomainSocketAddress.of(socket));
        }
        assertThat(socket).exists(); // left behind, as by a server that died
        assertOneLineOfOurOwn(run(socket.toString()), "qmp-shell: cannot connect to " + socket + ": Connection refused");
    }

    @Test
    void aTcpPortNobodyListensOnIsOneLineAndStatusOne() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        assertOneLineOfOurOwn(run("127.0.0.1:" + port), "qmp-shell: cannot connect to 127.0.0.1:" + port + ": Connection refused");
    }

    @Test
    void badUsageIsStatusTwo() {
        Run badPort = run("localhost:http");
        assertThat(badPort.status()).isEqualTo(2);
        assertThat(badPort.err()).isEqualTo("qmp-shell: bad port number: localhost:http (see qmp-shell --help)"
                + System.lineSeparator());
        Run noAddress = run();
        assertThat(noAddress.status()).isEqualTo(2);
        assertThat(noAddress.err()).startsWith("qmp-shell: Missing required parameter: 'ADDRESS'");
    }

    @Test
    void helpDocumentsExitCtrlDAndTheRest() {
        Run help = run("--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).contains(
                "Usage: qmp-shell [-hpvV] [-t=SECONDS] ADDRESS",
                "  exit, Ctrl-D             leave the shell; exit is not sent (QMP has no exit).",
                "{JSON}                   send a request as typed; its reply keeps its \"id\".",
                "names only (query-commands)",
                "the shell says so and ends at once.",
                "Exit status: 0 when the shell ends, 1 when it cannot connect, 2 for bad usage.");
        assertThat(help.out().lines()).allMatch(line -> line.length() <= 80, "lines of at most 80 characters");
    }

    @Test
    void aWholeRunConnectsPromptsKeepsHistoryAndExits() throws Exception {
        Path history = dir.resolve("history");
        StringWriter err = new StringWriter();
        try (ShellTestServer server = ShellTestServer.withoutIntrospection();
                ShellDriver shell = ShellDriver.start(terminal -> QmpShell.run(
                        new String[] {"-p", server.socket().toString()}, new PrintWriter(new StringWriter()),
                        new PrintWriter(err), () -> terminal, history))) {
            shell.type("query-status\n").await("\"running\": true");
            shell.type("exit\n");
            assertThat(shell.exitStatus(Duration.ofSeconds(5))).isZero();
            assertThat(shell.screen()).contains("Welcome to the QMP low-level shell!", "{\n    \"return\": {\n");
            assertThat(server.received()).containsExactly("query-status");
        }
        assertThat(err.toString()).isEmpty();
        assertThat(Files.readString(history)).contains("query-status");
    }
}

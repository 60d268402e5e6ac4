package org.qapi4j.qmp.shell;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jspecify.annotations.Nullable;
import org.qapi4j.qmp.client.QmpConnection;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code qmp-shell}: an interactive QMP shell in the style of QEMU's, over a Unix socket or TCP.
 * This class is the command line: it reads the options, connects ({@code ShellConnect}) and
 * hands the connection and the terminal to a {@link ShellSession}, which is the shell.
 */
@Command(name = "qmp-shell", mixinStandardHelpOptions = true, version = "qmp-shell (qapi4j) 0.1.0",
        sortOptions = false,
        description = "Interactive QMP shell, in the style of QEMU's scripts/qmp/qmp-shell.",
        footer = {
            "",
            "At the (QEMU) prompt:",
            "  COMMAND [NAME=VALUE]...  run a command: query-status, migrate uri=unix:/tmp/m.",
            "                           A value is an integer, true or false, JSON when it",
            "                           starts with [ or {, else a string; a.b=1 nests.",
            "  {JSON}                   send a request as typed; its reply keeps its \"id\".",
            "  transaction( ... )       collect actions, one per line, into one transaction.",
            "  exit, Ctrl-D             leave the shell; exit is not sent (QMP has no exit).",
            "  Ctrl-C                   abandon the line.",
            "  Tab                      complete command and argument names, from the",
            "                           server's query-qmp-schema; without it, command",
            "                           names only (query-commands), as the shell says.",
            "Replies are printed whole, events as they come. When the server closes the",
            "connection (after quit, say), the shell says so and ends at once.",
            "History is kept in ~/.qmp-shell_history.",
            "",
            "Exit status: 0 when the shell ends, 1 when it cannot connect, 2 for bad usage."
        })
public final class QmpShell implements Callable<Integer> {
    /** Opens the terminal the shell runs on, once connected. */
    @FunctionalInterface
    interface Terminals {
        Terminal open() throws IOException;
    }

    @Parameters(paramLabel = "ADDRESS", description = "A Unix socket path, or HOST:PORT for TCP.")
    private String address;

    @Option(names = {"-p", "--pretty"}, description = "Pretty-print JSON.")
    private boolean pretty;

    @Option(names = {"-v", "--verbose"}, description = "Show each request before sending it.")
    private boolean verbose;

    @Option(names = {"-t", "--timeout"}, paramLabel = "SECONDS", defaultValue = "30",
            description = "How long to wait for each answer (default: ${DEFAULT-VALUE}).")
    private int timeoutSeconds;

    @Spec
    private CommandSpec spec;

    private final Terminals terminals;
    private final @Nullable Path history;

    private QmpShell(Terminals terminals, @Nullable Path history) {
        this.terminals = terminals;
        this.history = history;
    }

    public static void main(String[] args) {
        Path history = Path.of(System.getProperty("user.home"), ".qmp-shell_history");
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(args, out, err, () -> TerminalBuilder.builder().system(true).dumb(true).build(), history));
    }

    /**
     * Runs the shell as {@code bin/qmp-shell ARGS} does, with its own output, terminal and
     * history file (null: none).
     *
     * @return the exit status
     */
    static int run(String[] args, PrintWriter out, PrintWriter err, Terminals terminals, @Nullable Path history) {
        CommandLine commandLine = new CommandLine(new QmpShell(terminals, history));
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setParameterExceptionHandler((e, arguments) -> {
            e.getCommandLine().getErr().println("qmp-shell: " + e.getMessage() + " (see qmp-shell --help)");
            return 2;
        });
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("qmp-shell: " + (e.getMessage() != null ? e.getMessage() : e));
            return 1;
        });
        int status = commandLine.execute(args);
        out.flush();
        err.flush();
        return status;
    }

    @Override
    public Integer call() throws Exception {
        if (timeoutSeconds < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--timeout must be at least 1 second");
        }
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        QmpConnection connection;
        try {
            connection = ShellConnect.connect(address, timeout);
        } catch (ShellConnect.Failure e) {
            spec.commandLine().getErr().println("qmp-shell: " + e.getMessage());
            return e.status();
        }
        try (connection; Terminal terminal = terminals.open()) {
            return new ShellSession(connection, terminal, new ShellOptions(pretty, verbose, timeout, history)).run();
        }
    }
}

package org.qapi4j.qmp.shell;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.qmp.client.QmpClientException;
import org.qapi4j.qmp.client.QmpConnection;
import org.qapi4j.qmp.json.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code qmp-shell}: an interactive QMP shell in the style of QEMU's, over a Unix socket or TCP.
 * Commands are typed as {@code command key=value ...} or raw JSON (see {@link ShellCommandLine});
 * command and argument names complete with Tab from the server's own {@code query-qmp-schema};
 * history is kept in {@code ~/.qmp-shell_history}; events are printed as they arrive.
 */
@Command(name = "qmp-shell", mixinStandardHelpOptions = true, version = "qmp-shell (qapi4j) 0.1.0",
        description = "Interactive QMP shell.")
public final class QmpShell implements Callable<Integer> {
    @Parameters(paramLabel = "ADDRESS", description = "A Unix socket path, or HOST:PORT for TCP.")
    private String address;

    @Option(names = {"-p", "--pretty"}, description = "Pretty-print JSON.")
    private boolean pretty;

    @Option(names = {"-v", "--verbose"}, description = "Show each request before sending it.")
    private boolean verbose;

    @Option(names = {"-t", "--timeout"}, paramLabel = "SECONDS", defaultValue = "30",
            description = "How long to wait for each answer (default: ${DEFAULT-VALUE}).")
    private int timeoutSeconds;

    public static void main(String[] args) {
        CommandLine commandLine = new CommandLine(new QmpShell());
        commandLine.setParameterExceptionHandler((e, arguments) -> {
            System.err.println("qmp-shell: " + e.getMessage() + " (see qmp-shell --help)");
            return 2;
        });
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            System.err.println("qmp-shell: " + (e.getMessage() != null ? e.getMessage() : e));
            return 1;
        });
        System.exit(commandLine.execute(args));
    }

    private QmpConnection.Builder target() {
        QmpConnection.Builder builder = QmpConnection.builder()
                .commandTimeout(Duration.ofSeconds(timeoutSeconds));
        int colon = address.lastIndexOf(':');
        if (!address.contains("/") && colon > 0 && !Files.exists(Path.of(address))) {
            return builder.tcp(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
        }
        return builder.unix(Path.of(address));
    }

    @Override
    public Integer call() throws Exception {
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            PrintWriter out = terminal.writer();
            QmpConnection connection;
            try {
                connection = target()
                        .eventListener(event -> {
                            out.println(print(event.json()));
                            out.flush();
                        })
                        .connect().get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("cannot connect to " + address + ": " + e.getCause().getMessage(), e);
            }
            try (connection) {
                out.println("Welcome to the QMP low-level shell!");
                out.println("Connected to QEMU " + connection.greeting().major() + "." + connection.greeting().minor()
                        + "." + connection.greeting().micro());
                out.flush();
                SchemaCompleter completer = new SchemaCompleter(connection.execute("query-qmp-schema", Json.object()).get());
                LineReader reader = LineReaderBuilder.builder()
                        .terminal(terminal)
                        .completer(completer)
                        .variable(LineReader.HISTORY_FILE, Path.of(System.getProperty("user.home"), ".qmp-shell_history"))
                        .build();
                ShellCommandLine commands = new ShellCommandLine();
                while (true) {
                    String line;
                    try {
                        line = reader.readLine(commands.inTransaction() ? "TRANS> " : "(QEMU) ");
                    } catch (UserInterruptException interrupted) {
                        continue;
                    } catch (EndOfFileException end) {
                        return 0;
                    }
                    run(connection, commands, line, out);
                    if (!connection.isOpen()) {
                        out.println("Connection closed by the server.");
                        return 0;
                    }
                }
            }
        }
    }

    private void run(QmpConnection connection, ShellCommandLine commands, String line, PrintWriter out) {
        ObjectNode request;
        try {
            request = commands.parse(line);
        } catch (ShellCommandLine.SyntaxError e) {
            out.println("Error while parsing command line: " + e.getMessage());
            out.println("command format: <command-name> [arg-name1=arg1] ... [arg-nameN=argN]");
            return;
        }
        if (request == null) {
            return;
        }
        if (verbose) {
            out.println(print(request));
        }
        JsonNode execute = request.get("execute");
        if (execute == null || !execute.isString()) {
            out.println("Error: a request needs \"execute\"");
            return;
        }
        JsonNode arguments = request.get("arguments");
        try {
            JsonNode result = connection.execute(execute.stringValue(),
                    arguments instanceof ObjectNode ? (ObjectNode) arguments : Json.object()).get();
            out.println(print(Json.object().set("return", result)));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof QmpException) {
                ObjectNode error = Json.object();
                error.put("class", ((QmpException) cause).error().errorClass().name());
                error.put("desc", ((QmpException) cause).error().description());
                out.println(print(Json.object().set("error", error)));
            } else if (cause instanceof QmpClientException) {
                out.println("Error: " + cause.getMessage());
            } else {
                out.println("Error: " + cause);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.flush();
    }

    private String print(JsonNode node) {
        return pretty
                ? Json.mapper().writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(node)
                : Json.write(node);
    }
}

package org.qapi4j.qmp.shell;

import java.util.concurrent.ExecutionException;
import org.jline.reader.Completer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.qapi4j.qmp.client.QmpConnection;
import org.qapi4j.qmp.client.QmpConnectionClosedException;
import org.qapi4j.qmp.client.QmpGreeting;
import tools.jackson.databind.node.ObjectNode;

/**
 * One shell on one connection: prompts on a terminal, sends what the user types, prints the
 * server's replies whole (a raw JSON request's {@code id} included) and its events as they come.
 * {@code bin/qmp-shell} runs it on the system's terminal; tests on a JLine
 * {@code DumbTerminal} over streams they type into and read.
 *
 * <p>It ends, with status 0, on {@code exit} (which stays in the shell: QMP has no such
 * command), on {@code Ctrl-D} or the end of the input, and as soon as the connection closes,
 * even while it waits at the prompt ({@code CloseAlarm}). {@code Ctrl-C} abandons the line.
 */
public final class ShellSession {
    /** The one command the shell keeps to itself. */
    static final String EXIT = "exit";

    private final QmpConnection connection;
    private final Terminal terminal;
    private final ShellOptions options;
    private final JsonPrinter printer;
    private final ShellCommandLine commands = new ShellCommandLine();
    private final CloseAlarm alarm = new CloseAlarm();
    private volatile Completer completer = SchemaCompleter.none();
    private LineReader reader;

    public ShellSession(QmpConnection connection, Terminal terminal, ShellOptions options) {
        this.connection = connection;
        this.terminal = terminal;
        this.options = options;
        this.printer = new JsonPrinter(options.pretty());
    }

    /**
     * Greets, then reads and runs lines until the shell ends. Leaves the connection and the
     * terminal open.
     *
     * @return the exit status
     */
    // The event listener's registration is held for the session and released by the try; the
    // body never names it.
    @SuppressWarnings("try")
    public int run() throws Exception {
        LineReaderBuilder builder = LineReaderBuilder.builder().terminal(terminal)
                .completer((lineReader, line, candidates) -> completer.complete(lineReader, line, candidates));
        if (options.history() != null) {
            builder.variable(LineReader.HISTORY_FILE, options.history());
        }
        reader = builder.build();
        try (AutoCloseable events = connection.addEventListener(event -> say(printer.print(event.json())))) {
            connection.closeFuture().thenRun(alarm::ring);
            QmpGreeting greeting = connection.greeting();
            say("Welcome to the QMP low-level shell!");
            say("Connected to QEMU " + greeting.major() + "." + greeting.minor() + "." + greeting.micro());
            say("");
            Completions completions = Completions.load(connection, options.timeout());
            completer = completions.completer();
            if (completions.notice() != null) {
                say(completions.notice());
            }
            return loop();
        }
    }

    private int loop() throws InterruptedException {
        while (true) {
            if (!alarm.beginPrompt()) {
                return disconnected();
            }
            String line;
            try {
                line = reader.readLine(commands.inTransaction() ? "TRANS> " : "(QEMU) ");
            } catch (UserInterruptException interrupted) {
                continue; // Ctrl-C, or the alarm: the next round tells which
            } catch (EndOfFileException end) {
                say(""); // the user's shell prompt starts on a line of its own
                return 0;
            } finally {
                alarm.endPrompt();
            }
            if (alarm.rang()) {
                return disconnected();
            }
            if (line.strip().equals(EXIT)) {
                return 0;
            }
            execute(line);
        }
    }

    private void execute(String line) throws InterruptedException {
        ObjectNode request;
        try {
            request = commands.parse(line);
        } catch (ShellCommandLine.SyntaxError e) {
            say("Error while parsing command line: " + e.getMessage());
            say(e.column() > 0
                    ? line + "\n" + " ".repeat(e.column() - 1) + "^"
                    : "command format: <command-name> [arg-name1=arg1] ... [arg-nameN=argN]");
            return;
        }
        if (request == null) {
            return; // nothing typed, or an action collected for a transaction
        }
        if (options.verbose()) {
            say(printer.print(request));
        }
        try {
            say(printer.print(connection.exchange(request, options.timeout()).get()));
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof QmpConnectionClosedException)) {
                say("Error: " + e.getCause().getMessage()); // the loop reports a close
            }
        }
    }

    private int disconnected() {
        QmpConnectionClosedException cause = connection.closeCause();
        say("Disconnected: " + (cause != null ? cause.getMessage() : "the connection closed"));
        return 0;
    }

    /** Prints above the prompt when one is shown: events come at any time. */
    private void say(String text) {
        reader.printAbove(text);
    }
}

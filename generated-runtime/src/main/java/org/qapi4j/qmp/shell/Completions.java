package org.qapi4j.qmp.shell;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.qapi4j.qmp.ErrorClass;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.qmp.client.QmpConnection;
import org.qapi4j.qmp.json.Json;
import tools.jackson.databind.JsonNode;

/**
 * What Tab completes on this server, asked for once at the start: command and argument names
 * from {@code query-qmp-schema}; command names only from {@code query-commands} when the server
 * has no schema to give (QEMU's own {@code qmp-shell} always uses {@code query-commands}); or
 * nothing. A server without {@code query-qmp-schema} is as usable as any other: the shell just
 * says once ({@link #notice()}) what Tab will do there.
 *
 * @param completer what Tab completes
 * @param notice for the user, when completion is less than the schema's; null otherwise
 */
record Completions(SchemaCompleter completer, @Nullable String notice) {
    static final String QUERY_QMP_SCHEMA = "query-qmp-schema";
    static final String QUERY_COMMANDS = "query-commands";

    /** Asks {@code connection}, waiting up to {@code timeout} for each answer. */
    static Completions load(QmpConnection connection, Duration timeout) throws InterruptedException {
        Answer schema = ask(connection, QUERY_QMP_SCHEMA, timeout);
        if (schema.value != null) {
            return new Completions(new SchemaCompleter(schema.value), null);
        }
        Answer commands = ask(connection, QUERY_COMMANDS, timeout);
        if (!connection.isOpen()) {
            return new Completions(SchemaCompleter.none(), null); // the session says why it ends
        }
        if (commands.value != null) {
            return new Completions(SchemaCompleter.ofCommandList(commands.value),
                    schema.problem + ": Tab completes command names only (from " + QUERY_COMMANDS + ").");
        }
        String problem = schema.notFound && commands.notFound
                ? "This server has neither " + QUERY_QMP_SCHEMA + " nor " + QUERY_COMMANDS
                : schema.problem + "; " + commands.problem;
        return new Completions(SchemaCompleter.none(), problem + ": no Tab completion.");
    }

    /** A command's answer, or why there is none. */
    private record Answer(@Nullable JsonNode value, String problem, boolean notFound) {}

    private static Answer ask(QmpConnection connection, String command, Duration timeout) throws InterruptedException {
        try {
            return new Answer(connection.execute(command, Json.object(), timeout)
                    .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS), "", false);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof QmpException q && q.error().errorClass().equals(ErrorClass.COMMAND_NOT_FOUND)) {
                return new Answer(null, "This server has no " + command, true);
            }
            String why = cause instanceof QmpException q ? q.error().description() : String.valueOf(cause.getMessage());
            return new Answer(null, command + " failed (" + why + ")", false);
        } catch (TimeoutException e) {
            return new Answer(null, command + " did not answer", false);
        }
    }
}

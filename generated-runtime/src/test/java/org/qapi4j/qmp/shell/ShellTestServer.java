package org.qapi4j.qmp.shell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.qapi4j.qmp.client.QmpConnection;
import org.qapi4j.qmp.dispatch.CommandContext;
import org.qapi4j.qmp.dispatch.CommandDispatcher;
import org.qapi4j.qmp.dispatch.CommandSpec;
import org.qapi4j.qmp.dispatch.Replies;
import org.qapi4j.qmp.json.Json;
import org.qapi4j.qmp.server.QmpServer;
import org.qapi4j.qmp.types.QmpEvent;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Our own QMP server with a small dispatcher and no schema, so without
 * {@code query-qmp-schema}: {@code query-status}, {@code stop} (with its STOP event),
 * {@code quit} (which closes the server, as QEMU's closes the connection), {@code exit} (to
 * catch a shell that sends it), and, when asked for, {@code query-commands}. It records every
 * command it runs.
 */
final class ShellTestServer implements AutoCloseable {
    private final Path dir;
    private final QmpServer server;
    private final Commands commands;

    private ShellTestServer(boolean listsCommands) throws IOException {
        dir = Files.createTempDirectory("qmp-shell");
        commands = new Commands(listsCommands);
        server = QmpServer.builder(commands).unix(socket()).start();
        commands.quit = server::shutdown;
    }

    /** Serves neither {@code query-qmp-schema} nor {@code query-commands}. */
    static ShellTestServer withoutIntrospection() throws IOException {
        return new ShellTestServer(false);
    }

    /** Serves {@code query-commands}, not {@code query-qmp-schema}. */
    static ShellTestServer withQueryCommands() throws IOException {
        return new ShellTestServer(true);
    }

    Path socket() {
        return dir.resolve("qmp.sock");
    }

    QmpConnection connect() throws Exception {
        return QmpConnection.builder().unix(socket()).commandTimeout(Duration.ofSeconds(10)).connect().get();
    }

    /** The commands run so far, in order. */
    List<String> received() {
        synchronized (commands.received) {
            return List.copyOf(commands.received);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(socket());
        Files.deleteIfExists(dir);
    }

    private static final class Commands implements CommandDispatcher {
        final List<String> received = Collections.synchronizedList(new ArrayList<>());
        final Map<String, CommandSpec> specs = new LinkedHashMap<>();
        volatile @Nullable Runnable quit;
        private boolean running = true;

        Commands(boolean listsCommands) {
            List<String> names = new ArrayList<>(List.of("query-status", "stop", "quit", "exit"));
            if (listsCommands) {
                names.add("query-commands");
            }
            for (String name : names) {
                specs.put(name, new CommandSpec(name, false, false, true, false, false, false));
            }
        }

        @Override
        public Map<String, CommandSpec> commands() {
            return specs;
        }

        @Override
        public CompletionStage<JsonNode> dispatch(String name, @Nullable ObjectNode arguments, CommandContext context) {
            received.add(name);
            switch (name) {
                case "query-status" -> {
                    ObjectNode status = Json.object();
                    status.put("running", running); // schema order: QEMU's member order follows from it
                    status.put("singlestep", false);
                    status.put("status", running ? "running" : "paused");
                    return done(status);
                }
                case "stop" -> {
                    if (running) {
                        running = false;
                        context.emit(event("STOP"));
                    }
                    return done(Json.object());
                }
                case "quit" -> {
                    Runnable q = quit;
                    if (q != null) {
                        q.run();
                    }
                    return done(Json.object());
                }
                case "query-commands" -> {
                    ArrayNode list = Json.array();
                    list.addObject().put("name", "qmp_capabilities");
                    specs.keySet().forEach(command -> list.addObject().put("name", command));
                    return done(list);
                }
                default -> {
                    return done(Json.object());
                }
            }
        }

        private static CompletionStage<JsonNode> done(JsonNode value) {
            return Replies.done(value);
        }

        private static QmpEvent event(String name) {
            return new QmpEvent() {
                @Override
                public String eventName() {
                    return name;
                }

                @Override
                public ObjectNode toJson() {
                    return Json.object();
                }
            };
        }
    }
}

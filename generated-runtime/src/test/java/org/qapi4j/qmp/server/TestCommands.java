package org.qapi4j.qmp.server;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.qapi4j.qmp.ErrorClass;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.qmp.codec.QapiReader;
import org.qapi4j.qmp.dispatch.CommandContext;
import org.qapi4j.qmp.dispatch.CommandDispatcher;
import org.qapi4j.qmp.dispatch.CommandSpec;
import org.qapi4j.qmp.json.Json;
import org.qapi4j.qmp.monitor.MonitorHub;
import org.qapi4j.qmp.types.QmpEvent;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The test dispatcher. Commands QEMU 7.2 also has ({@code query-status}, {@code stop},
 * {@code cont}, {@code quit}, {@code query-yank}) answer as QEMU with {@code -M none} does, so
 * that transcripts recorded from QEMU replay against the server; the {@code x-} commands exist
 * to test the server's machinery. Handlers check they run where the contract says.
 */
final class TestCommands implements CommandDispatcher {
    private final Map<String, CommandSpec> commands = new LinkedHashMap<>();
    /** What {@code quit} stops: the server, or the hub of in-process monitors. */
    private volatile @Nullable Runnable quit;
    /** Main-loop state: handlers need no locks. */
    private boolean running = true;
    private volatile boolean preconfig;
    final AtomicInteger wrongThread = new AtomicInteger();
    private int concurrentInBand;

    TestCommands() {
        add("qmp_capabilities", false, true);
        add("query-status", false, true);
        add("stop", false, true);
        add("cont", false, true);
        add("quit", false, true);
        add("query-yank", true, true);
        add("x-echo", true, true);
        add("x-sleep", false, true);
        add("x-block", false, true);
        add("x-emit", true, true);
        add("x-fail", false, true);
        add("x-fail-later", false, true);
        add("x-no-reply", false, false);
        add("x-big", false, true);
        add("x-count", false, true);
        // For the compat policy and -preconfig, with the flags QEMU 7.2's schema gives them;
        // qmp_capabilities and query-status may run in preconfig state.
        commands.put("qmp_capabilities", new CommandSpec("qmp_capabilities", false, true, true, false, false, false));
        commands.put("query-status", new CommandSpec("query-status", false, true, true, false, false, false));
        commands.put("x-query-usb", new CommandSpec("x-query-usb", false, false, true, false, false, true));
        commands.put("x-exit-preconfig", new CommandSpec("x-exit-preconfig", false, true, true, false, false, true));
        commands.put("x-old", new CommandSpec("x-old", false, false, true, false, true, false));
    }

    private void add(String name, boolean allowOob, boolean successResponse) {
        commands.put(name, new CommandSpec(name, allowOob, false, successResponse, false, false, false));
    }

    /** Starts in QEMU's preconfig state: prelaunch, until x-exit-preconfig. */
    void startInPreconfig() {
        preconfig = true;
        running = false;
    }

    /** For {@link QmpServer.Builder#machineReady}. */
    boolean machineReady() {
        return !preconfig;
    }

    void attach(QmpServer server) {
        this.quit = server::shutdown;
    }

    void attach(MonitorHub hub) {
        this.quit = hub::close;
    }

    @Override
    public Map<String, CommandSpec> commands() {
        return commands;
    }

    @Override
    public CompletionStage<JsonNode> dispatch(String name, @Nullable ObjectNode arguments, CommandContext context) {
        ObjectNode args = arguments != null ? arguments : Json.object();
        boolean mainLoop = Thread.currentThread().getName().equals("qmp-main-loop");
        if (mainLoop == context.outOfBand()) {
            wrongThread.incrementAndGet();
        }
        if (!context.outOfBand() && ++concurrentInBand != 1) {
            wrongThread.incrementAndGet();
        }
        try {
            return run(name, args, context);
        } finally {
            if (!context.outOfBand()) {
                concurrentInBand--;
            }
        }
    }

    private CompletionStage<JsonNode> run(String name, ObjectNode args, CommandContext context) {
        switch (name) {
            case "query-status": {
                noArguments(args);
                ObjectNode status = Json.object();
                status.put("running", running);
                status.put("singlestep", false);
                status.put("status", preconfig ? "prelaunch" : running ? "running" : "paused");
                return done(status);
            }
            case "x-exit-preconfig":
                noArguments(args);
                if (!preconfig) {
                    throw QmpException.generic("The command is permitted only before machine initialization");
                }
                preconfig = false;
                running = true;
                context.emit(event("RESUME", null));
                return done(null);
            case "x-query-usb":
            case "x-old":
                noArguments(args);
                return done(null);
            case "stop":
                noArguments(args);
                if (running) {
                    running = false;
                    context.emit(event("STOP", null));
                }
                return done(null);
            case "cont":
                noArguments(args);
                if (!running) {
                    running = true;
                    context.emit(event("RESUME", null));
                }
                return done(null);
            case "quit": {
                noArguments(args);
                ObjectNode data = Json.object();
                data.put("guest", false);
                data.put("reason", "host-qmp-quit");
                context.emit(event("SHUTDOWN", data));
                Runnable q = quit;
                if (q != null) {
                    q.run();
                }
                return done(null);
            }
            case "query-yank": {
                noArguments(args);
                // QEMU's answer with three QMP monitors (the transcripts' a, b and c).
                ArrayNode list = Json.array();
                for (int i = 0; i < 3; i++) {
                    ObjectNode instance = list.addObject();
                    instance.put("type", "chardev");
                    instance.put("id", "compat_monitor" + i);
                }
                return done(list);
            }
            case "x-echo":
                return done(args);
            case "x-sleep": {
                long ms = args.path("ms").asLong(100);
                CompletableFuture<JsonNode> later = new CompletableFuture<>();
                CompletableFuture.delayedExecutor(ms, TimeUnit.MILLISECONDS).execute(() -> later.complete(args));
                return later;
            }
            case "x-block":
                try {
                    Thread.sleep(args.path("ms").asLong(100));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return done(null);
            case "x-emit": {
                JsonNode data = args.get("data");
                context.emit(event(args.path("event").asString("X_EVENT"), data instanceof ObjectNode o ? o : null));
                return done(null);
            }
            case "x-fail":
                throw new IllegalStateException("handler bug");
            case "x-fail-later": {
                CompletableFuture<JsonNode> later = new CompletableFuture<>();
                CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS).execute(
                        () -> later.completeExceptionally(new QmpException(ErrorClass.DEVICE_NOT_FOUND, "Device 'x' not found")));
                return later;
            }
            case "x-no-reply":
                if (args.has("fail")) {
                    throw QmpException.generic("failed without success response");
                }
                return done(null);
            case "x-big": {
                int size = args.path("size").asInt(65536);
                return done(Json.string("x".repeat(size)));
            }
            case "x-count":
                return done(Json.integer(args.path("n").asLong()));
            default:
                throw new QmpException(ErrorClass.COMMAND_NOT_FOUND, "The command " + name + " has not been found");
        }
    }

    private static void noArguments(ObjectNode args) {
        QapiReader in = QapiReader.strict(args);
        in.beginObject(null);
        in.endObject();
    }

    private static CompletionStage<JsonNode> done(@Nullable JsonNode value) {
        return CompletableFuture.completedFuture(value);
    }

    static QmpEvent event(String name, @Nullable ObjectNode data) {
        return new QmpEvent() {
            @Override
            public String eventName() {
                return name;
            }

            @Override
            public ObjectNode toJson() {
                return data != null ? data : Json.object();
            }
        };
    }
}

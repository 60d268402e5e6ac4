package org.qapi4j.colo.demo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import tools.jackson.databind.JsonNode;

/**
 * A COLO pair of VMM processes, set up as COLO.md says: the secondary waits with {@code
 * -incoming tcp:127.0.0.1:PORT} (a free port), both get the capabilities {@code x-colo} and
 * {@code events}, the primary its {@code x-checkpoint-delay} and {@code migrate}; {@link
 * #enterColo} returns when both report status {@code colo}. Both monitors' events go to one
 * listener, with the side they came from.
 */
public final class ColoPair implements AutoCloseable {
    public static final String PRIMARY = "primary";
    public static final String SECONDARY = "secondary";
    private static final long START_MILLIS = 60_000;

    private final VmmProcess primary;
    private final VmmProcess secondary;
    private final QmpClient primaryQmp;
    private final QmpClient secondaryQmp;
    private final int port;
    private volatile BiConsumer<String, JsonNode> events = (side, event) -> { };

    private ColoPair(VmmProcess primary, VmmProcess secondary, int port) throws IOException {
        this.primary = primary;
        this.secondary = secondary;
        this.port = port;
        this.secondaryQmp = QmpClient.connect(secondary.qmpSocket(), START_MILLIS, e -> events.accept(SECONDARY, e));
        this.primaryQmp = QmpClient.connect(primary.qmpSocket(), START_MILLIS, e -> events.accept(PRIMARY, e));
    }

    /**
     * Starts the secondary and the primary side by side ({@code NAME-s}, {@code NAME-p} in {@code
     * dir}), each with {@code vmArgs} (e.g. {@code -m 128M --guest kvstore}).
     */
    public static ColoPair launch(List<String> launcher, Path dir, String name, List<String> vmArgs) throws IOException {
        return launch(launcher, dir, name, vmArgs, List.of());
    }

    /** As {@link #launch(List, Path, String, List)}, the primary with {@code primaryArgs} too (e.g. {@code -S}). */
    public static ColoPair launch(List<String> launcher, Path dir, String name, List<String> vmArgs,
            List<String> primaryArgs) throws IOException {
        int port = freePort();
        List<String> primaryAll = new ArrayList<>(vmArgs);
        primaryAll.addAll(primaryArgs);
        List<String> secondaryArgs = new ArrayList<>(vmArgs);
        secondaryArgs.addAll(List.of("-incoming", "tcp:127.0.0.1:" + port));
        CompletableFuture<VmmProcess> secondary = CompletableFuture.supplyAsync(
                () -> start(launcher, dir, name + "-s", secondaryArgs));
        CompletableFuture<VmmProcess> primary = CompletableFuture.supplyAsync(() -> start(launcher, dir, name + "-p", primaryAll));
        VmmProcess s = null;
        VmmProcess p = null;
        try {
            s = join(secondary);
            p = join(primary);
            return new ColoPair(p, s, port);
        } catch (IOException | RuntimeException e) {
            VmmProcess started = s != null ? s : secondary.getNow(null);
            if (started != null) {
                started.close();
            }
            primary.thenAccept(VmmProcess::close);
            throw e;
        }
    }

    private static VmmProcess start(List<String> launcher, Path dir, String name, List<String> args) {
        try {
            return VmmProcess.start(launcher, dir, name, START_MILLIS, args.toArray(String[]::new));
        } catch (IOException e) {
            throw new CompletionException(e);
        }
    }

    private static VmmProcess join(CompletableFuture<VmmProcess> future) throws IOException {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e;
        }
    }

    /** Where the events of both monitors go from now on (on their reader threads). */
    public void onEvents(BiConsumer<String, JsonNode> listener) {
        this.events = listener;
    }

    /**
     * Sets COLO up and waits until both sides are in migration status {@code colo} and the
     * primary's guest runs.
     */
    public void enterColo(long checkpointDelayMillis, long timeoutMillis) throws IOException {
        String caps = "{\"capabilities\": [{\"capability\": \"x-colo\", \"state\": true},"
                + " {\"capability\": \"events\", \"state\": true}]}";
        secondaryQmp.call("migrate-set-capabilities", caps);
        primaryQmp.call("migrate-set-capabilities", caps);
        primaryQmp.call("migrate-set-parameters", "{\"x-checkpoint-delay\": " + checkpointDelayMillis + "}");
        primaryQmp.call("migrate", "{\"uri\": \"tcp:127.0.0.1:" + port + "\"}");
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        // With an arbiter the primary first takes the lease (connecting to ZooKeeper: some hundreds of
        // milliseconds in a fresh VMM), its guest stopped, and fails COLO if it cannot: the clients' time
        // starts once its guest runs, and the status read after that says it runs in COLO.
        while (true) {
            String p = status(primaryQmp);
            if (p.equals("failed") || p.equals("cancelled") || System.nanoTime() > deadline) {
                throw new IOException("COLO not entered: primary " + p + ", secondary " + status(secondaryQmp)
                        + lastWords(primary));
            }
            if (p.equals("colo") && status(secondaryQmp).equals("colo") && qmpStatus(primaryQmp).equals("running")
                    && status(primaryQmp).equals("colo")) {
                return;
            }
            QmpClient.sleep(2);
        }
    }

    /** The last line {@code vmm} printed (why it failed, often), or nothing. */
    private static String lastWords(VmmProcess vmm) {
        try {
            String[] lines = vmm.output().strip().split("\n");
            return lines[lines.length - 1].isEmpty() ? "" : "; the " + vmm.name() + " said: " + lines[lines.length - 1];
        } catch (IOException e) {
            return "";
        }
    }

    private static String qmpStatus(QmpClient qmp) throws IOException {
        return qmp.call("query-status", null).path("status").asString("none");
    }

    private static String status(QmpClient qmp) throws IOException {
        return qmp.call("query-migrate", null).path("status").asString("none");
    }

    /** The {@code colo} member of {@code side}'s {@code query-migrate} (missing if not in COLO). */
    public static JsonNode coloStats(QmpClient qmp) throws IOException {
        return qmp.call("query-migrate", null).path("colo");
    }

    public VmmProcess primary() {
        return primary;
    }

    public VmmProcess secondary() {
        return secondary;
    }

    public QmpClient primaryQmp() {
        return primaryQmp;
    }

    public QmpClient secondaryQmp() {
        return secondaryQmp;
    }

    @Override
    public void close() {
        primaryQmp.close();
        secondaryQmp.close();
        primary.close();
        secondary.close();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }
}

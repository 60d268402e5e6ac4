package org.qapi4j.vmm.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.qapi4j.vmm.process.Lab;
import org.qapi4j.vmm.process.QmpLines;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the migration tests share: QMP requests as JSON, {@code query-migrate} polled with a
 * deadline, free ports, and the migration events of an event list without their timestamps.
 */
final class Mig {
    static final JsonMapper JSON = JsonMapper.builder().build();
    /** The end states of a migration, as {@code query-migrate}'s {@code status} says them. */
    static final Set<String> ENDED = Set.of("completed", "failed", "cancelled");

    private Mig() {}

    static JsonNode parse(String line) {
        assertThat(line).as("a reply (not the end of the stream)").isNotNull();
        return JSON.readTree(line);
    }

    /** Runs {@code execute} with {@code arguments} (JSON, or null) and returns its {@code return}. */
    static JsonNode ok(QmpLines qmp, String execute, String arguments) throws IOException {
        String request = "{\"execute\": \"" + execute + "\""
                + (arguments == null ? "" : ", \"arguments\": " + arguments) + "}";
        JsonNode reply = parse(qmp.call(request));
        assertThat(reply.has("return")).as("%s answers %s", request, reply).isTrue();
        return reply.get("return");
    }

    static JsonNode ok(QmpLines qmp, String execute) throws IOException {
        return ok(qmp, execute, null);
    }

    /** {@code query-status}'s {@code status}. */
    static String runState(QmpLines qmp) throws IOException {
        return ok(qmp, "query-status").get("status").asString();
    }

    static JsonNode queryMigrate(QmpLines qmp) throws IOException {
        return ok(qmp, "query-migrate");
    }

    /** {@code query-migrate}'s status, or "none" when it has none (no migration yet). */
    static String migrationStatus(QmpLines qmp) throws IOException {
        JsonNode status = queryMigrate(qmp).get("status");
        return status == null ? "none" : status.asString();
    }

    static void capabilities(QmpLines qmp, String... enabled) throws IOException {
        List<String> caps = new ArrayList<>();
        for (String cap : enabled) {
            caps.add("{\"capability\": \"" + cap + "\", \"state\": true}");
        }
        ok(qmp, "migrate-set-capabilities", "{\"capabilities\": [" + String.join(", ", caps) + "]}");
    }

    static void parameters(QmpLines qmp, String json) throws IOException {
        ok(qmp, "migrate-set-parameters", json);
    }

    static void migrate(QmpLines qmp, String uri) throws IOException {
        assertThat(ok(qmp, "migrate", "{\"uri\": \"" + uri + "\"}").size()).isZero();
    }

    /**
     * Polls {@code query-migrate} every 10 ms until its status is one of {@code statuses}, and
     * returns that answer; fails after {@code seconds} with the last answer.
     */
    static JsonNode awaitMigration(QmpLines qmp, Set<String> statuses, double seconds) throws Exception {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        JsonNode last;
        while (true) {
            last = queryMigrate(qmp);
            JsonNode status = last.get("status");
            if (status != null && statuses.contains(status.asString())) {
                return last;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("query-migrate did not reach " + statuses + " in " + seconds + " s: " + last);
            }
            Thread.sleep(10);
        }
    }

    /**
     * Polls the destination's {@code query-migrate} until it lists the address it listens on:
     * QEMU opens its QMP socket before it starts listening for {@code -incoming}, so a source
     * that connects as soon as the monitor answers may find nobody there.
     */
    static void awaitListening(Lab.Node destination, double seconds) throws Exception {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        try (QmpLines dst = destination.qmp()) {
            JsonNode last;
            while (!(last = queryMigrate(dst)).has("socket-address")) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(destination.name() + " does not listen after " + seconds + " s: " + last);
                }
                Thread.sleep(5);
            }
        }
    }

    /** Polls {@code query-status} until it is {@code state}; fails after {@code seconds}. */
    static void awaitRunState(QmpLines qmp, String state, double seconds) throws Exception {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        String last;
        while (!(last = runState(qmp)).equals(state)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("query-status stayed " + last + ", not " + state + ", for " + seconds + " s");
            }
            Thread.sleep(10);
        }
    }

    /** Polls until {@code process} has exited; its status, or fails after {@code seconds}. */
    static int awaitExit(Process process, double seconds) throws InterruptedException {
        if (!process.waitFor((long) (seconds * 1000), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("process " + process.pid() + " still runs after " + seconds + " s");
        }
        return process.exitValue();
    }

    /** A TCP port nobody listens on just now. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }

    /**
     * The events named MIGRATION, STOP and RESUME among {@code events} (QmpLines' lines), each as
     * "NAME" or "NAME status": what both sides' sequences are compared on (MIGRATION_PASS counts
     * depend on how much the guest wrote, so they are left out).
     */
    static List<String> runEvents(List<String> events) {
        List<String> out = new ArrayList<>();
        for (String line : events) {
            JsonNode event = JSON.readTree(line.replace(QmpLines.TIMESTAMP, "\"timestamp\": 0"));
            String name = event.get("event").asString();
            if (name.equals("MIGRATION")) {
                out.add(name + " " + event.get("data").get("status").asString());
            } else if (name.equals("STOP") || name.equals("RESUME")) {
                out.add(name);
            }
        }
        return out;
    }
}

package org.qapi4j.colo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.qapi4j.vmm.process.Lab;
import tools.jackson.databind.JsonNode;

/**
 * Two real VMM processes in COLO, set up as a management tool does: a secondary waiting for an
 * incoming migration, a primary, capabilities {@code x-colo} and {@code events} on both, an
 * optional {@code x-checkpoint-delay}, then {@code migrate} on the primary.
 */
final class ColoPair implements AutoCloseable {
    static final String[] GUEST = {"-m", "64", "--nic", "127.0.0.1:0"};

    final Lab.Node primary;
    final Lab.Node secondary;
    final Qmp p;
    final Qmp s;
    final int port;

    private ColoPair(Lab.Node primary, Lab.Node secondary, Qmp p, Qmp s, int port) {
        this.primary = primary;
        this.secondary = secondary;
        this.p = p;
        this.s = s;
        this.port = port;
    }

    static String[] with(String[] base, String... more) {
        List<String> all = new ArrayList<>(List.of(base));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }

    /** Starts a secondary {@code name} waiting on a free port, with {@code extra} arguments; its caps set. */
    static Lab.Node startSecondary(Lab lab, String name, int port, String... extra) throws Exception {
        return lab.vmm(name, with(with(GUEST, "-incoming", "tcp:127.0.0.1:" + port), extra));
    }

    /**
     * Both processes started and their monitors connected with the COLO capabilities set, but no
     * {@code migrate} yet.
     */
    static ColoPair prepare(Lab lab, Integer checkpointDelayMillis, String[] secondaryExtra, String[] primaryExtra)
            throws Exception {
        int port = freePort();
        Lab.Node secondary = startSecondary(lab, "sec", port, secondaryExtra);
        Lab.Node primary = lab.vmm("pri", with(GUEST, primaryExtra));
        Qmp s = Qmp.of(secondary);
        Qmp p = Qmp.of(primary);
        s.capabilities("x-colo", "events");
        p.capabilities("x-colo", "events");
        if (checkpointDelayMillis != null) {
            p.ok("migrate-set-parameters", "{\"x-checkpoint-delay\": " + checkpointDelayMillis + "}");
        }
        return new ColoPair(primary, secondary, p, s, port);
    }

    /** {@code migrate} on the primary. */
    void migrate() throws IOException {
        assertThat(p.ok("migrate", "{\"uri\": \"tcp:127.0.0.1:" + port + "\"}").size()).isZero();
    }

    /** A pair in COLO: prepared, migrated, both sides' status {@code colo} and the primary running. */
    static ColoPair inColo(Lab lab, Integer checkpointDelayMillis, String... secondaryExtra) throws Exception {
        ColoPair pair = prepare(lab, checkpointDelayMillis, secondaryExtra, new String[0]);
        pair.migrate();
        pair.awaitColo(30);
        return pair;
    }

    /** Waits until both sides say {@code colo} and the primary's guest runs (it got checkpoint-ready). */
    void awaitColo(double seconds) throws Exception {
        awaitStatus(p, "colo", seconds);
        awaitStatus(s, "colo", seconds);
        awaitRunState(p, "running", seconds);
    }

    static JsonNode awaitStatus(Qmp qmp, String status, double seconds) throws Exception {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (true) {
            JsonNode info = qmp.queryMigrate();
            JsonNode st = info.get("status");
            if (st != null && st.asString().equals(status)) {
                return info;
            }
            if (st != null && (st.asString().equals("failed") || st.asString().equals("cancelled"))
                    || System.nanoTime() > deadline) {
                throw new AssertionError("query-migrate did not reach " + status + " in " + seconds + " s: " + info);
            }
            Thread.sleep(10);
        }
    }

    static void awaitRunState(Qmp qmp, String state, double seconds) throws Exception {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        String last;
        while (!(last = qmp.runState()).equals(state)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("query-status stayed " + last + ", not " + state + ", for " + seconds + " s");
            }
            Thread.sleep(10);
        }
    }

    /** query-migrate's colo member's {@code field} (fails when there is no colo member). */
    static long coloStat(Qmp qmp, String field) throws IOException {
        JsonNode info = qmp.queryMigrate();
        assertThat(info.has("colo")).as("query-migrate has a colo member: %s", info).isTrue();
        return info.get("colo").get(field).asLong();
    }

    /** Polls until query-migrate's colo {@code field} is at least {@code atLeast}. */
    static long awaitColoStat(Qmp qmp, String field, long atLeast, double seconds) throws Exception {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long value;
        while ((value = coloStat(qmp, field)) < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("colo " + field + " stayed " + value + " < " + atLeast + " for " + seconds
                        + " s: " + qmp.queryMigrate());
            }
            Thread.sleep(10);
        }
        return value;
    }

    @Override
    public void close() throws IOException {
        p.close();
        s.close();
    }
}

package org.qapi4j.vmm.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qapi4j.vmm.process.KvClient;
import org.qapi4j.vmm.process.Lab;
import org.qapi4j.vmm.process.QmpLines;
import tools.jackson.databind.JsonNode;

/**
 * Migrations that fail, as QEMU 7.2's fail: a destination killed mid-stream, the link cut
 * mid-stream, one bit of the stream flipped, a destination with less RAM, a destination with
 * another guest program. Each time the source's {@code query-migrate} says {@code failed} with an
 * {@code error-desc}, the source runs again and its kvstore still answers with all its data, and
 * the destination does not run: it exits 1 after a line on its error output (or never leaves
 * {@code inmigrate}) and never answers a write.
 *
 * <p>The stream goes through a {@link FaultyLink}; {@code max-bandwidth} of 1 MiB/s makes the
 * migration of the store's 2 MiB (3000 keys in its 4096 slots of 512 bytes) last long enough to
 * fault it mid-stream. The corrupted byte's
 * offset comes from a seed, printed ({@code -Dqapi4j.seed=N} replays it).
 *
 * <p>The faults are made once the destination VMM has printed its start-up line; {@link
 * #destinationRefusingAsSoonAsItsMonitorListens} makes one as soon as its QMP socket listens, as a
 * management tool may (QEMU's -incoming listener and monitor are both up by then).
 */
@Timeout(120)
class MigrationFaultTest {
    private static final Pattern NIC_LINE = Pattern.compile("NIC on ([0-9.]+):(\\d+)");
    private static final String[] SOURCE = {"-m", "64"};
    private static final int KEYS = 3000;
    private static final String PAD = "x".repeat(200);
    private static final long BANDWIDTH = 1L << 20;

    private Lab lab;

    @BeforeEach
    void lab() throws IOException {
        lab = new Lab();
    }

    @org.junit.jupiter.api.AfterEach
    void close() throws IOException {
        lab.close();
    }

    @Test
    void destinationKilledMidStream() throws Exception {
        int port = Mig.freePort();
        Lab.Node source = filledSource();
        Lab.Node destination = lab.vmm("dst", "-m", "64",
                "-incoming", "tcp:127.0.0.1:" + port);
        destination.nic(); // its start-up line: the VMM is fully up (see the class comment)
        try (FaultyLink link = FaultyLink.clean(new InetSocketAddress("127.0.0.1", port)); QmpLines src = source.qmp()) {
            start(src, link.uri());
            link.awaitForwarded(256 << 10, 30);
            destination.process().destroyForcibly(); // SIGKILL
            checkFailedAndRecovered(src, source);
            assertThat(Mig.awaitExit(destination.process(), 10)).as("killed").isEqualTo(137);
        }
    }

    @Test
    void linkCutMidStream() throws Exception {
        int port = Mig.freePort();
        Lab.Node source = filledSource();
        Lab.Node destination = lab.vmm("dst", with(SOURCE, "-incoming", "tcp:127.0.0.1:" + port));
        destination.nic(); // its start-up line: the VMM is fully up (see the class comment)
        try (FaultyLink link = FaultyLink.cutAfter(new InetSocketAddress("127.0.0.1", port), 768 << 10);
                QmpLines src = source.qmp()) {
            start(src, link.uri());
            checkFailedAndRecovered(src, source);
            assertThat(link.isCut()).isTrue();
            checkDestinationRefused(destination);
        }
    }

    @Test
    void oneCorruptedByte() throws Exception {
        long seed = Long.getLong("qapi4j.seed", System.nanoTime());
        Random random = new Random(seed);
        long offset = (128 << 10) + random.nextInt(1 << 20);
        int bit = random.nextInt(8);
        System.out.println("MigrationFaultTest corrupted byte: seed=" + seed + ": bit " + bit + " of byte " + offset
                + " (replay with -Dqapi4j.seed=" + seed + ")");
        int port = Mig.freePort();
        Lab.Node source = filledSource();
        Lab.Node destination = lab.vmm("dst", with(SOURCE, "-incoming", "tcp:127.0.0.1:" + port));
        destination.nic(); // its start-up line: the VMM is fully up (see the class comment)
        try (FaultyLink link = FaultyLink.flipBit(new InetSocketAddress("127.0.0.1", port), offset, bit);
                QmpLines src = source.qmp()) {
            start(src, link.uri());
            checkFailedAndRecovered(src, source);
            assertThat(link.forwarded()).as("the flipped byte went through").isGreaterThan(offset);
            checkDestinationRefused(destination);
        }
    }

    @Test
    void destinationWithLessRam() throws Exception {
        int port = Mig.freePort();
        Lab.Node source = filledSource();
        Lab.Node destination = lab.vmm("dst", "-m", "32",
                "-incoming", "tcp:127.0.0.1:" + port);
        destination.nic(); // its start-up line: the VMM is fully up (see the class comment)
        try (QmpLines src = source.qmp()) {
            start(src, "tcp:127.0.0.1:" + port);
            checkFailedAndRecovered(src, source);
            checkDestinationRefused(destination);
        }
    }

    @Test
    void destinationRunningAnotherGuestProgram() throws Exception {
        int port = Mig.freePort();
        Lab.Node source = filledSource();
        Lab.Node destination = lab.vmm("dst", "-m", "64", "--guest", "dirty", "-incoming", "tcp:127.0.0.1:" + port);
        destination.nic(); // its start-up line: the VMM is fully up (see the class comment)
        try (QmpLines src = source.qmp()) {
            start(src, "tcp:127.0.0.1:" + port);
            checkFailedAndRecovered(src, source);
            checkDestinationRefused(destination);
        }
    }

    /**
     * The same faults on a pair of QEMU 7.2 processes, through the same {@link FaultyLink}: what
     * the VMM's tests expect is QEMU's (the source fails with an error-desc and runs on; the
     * destination exits 1 after a line on stderr). QEMU's RAM is 16 MiB of random bytes, so that the
     * stream is long enough to be cut.
     */
    @Test
    void qemu72LinkCutMidStreamAndDestinationKilled() throws Exception {
        Lab.assumeQemu("QEMU's half of the migration faults not run");
        java.nio.file.Path ramFile = lab.dir().resolve("ram.bin");
        byte[] bytes = new byte[16 << 20];
        new Random(1).nextBytes(bytes);
        java.nio.file.Files.write(ramFile, bytes);
        String[] ram = {"-M", "none", "-accel", "tcg", "-machine", "memory-backend=ram0", "-object"};
        for (boolean kill : new boolean[] {false, true}) {
            int port = Mig.freePort();
            Lab.Node source = lab.qemu("qsrc" + kill, with(ram, "memory-backend-file,id=ram0,size=16M,share=on,mem-path=" + ramFile));
            Lab.Node destination = lab.qemu("qdst" + kill, with(ram, "memory-backend-ram,id=ram0,size=16M",
                    "-incoming", "tcp:127.0.0.1:" + port));
            Mig.awaitListening(destination, 10);
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", port);
            try (FaultyLink link = kill ? FaultyLink.clean(to) : FaultyLink.cutAfter(to, 1 << 20);
                    QmpLines src = source.qmp()) {
                start(src, link.uri());
                if (kill) {
                    link.awaitForwarded(512 << 10, 30);
                    destination.process().destroyForcibly();
                }
                JsonNode info = Mig.awaitMigration(src, Mig.ENDED, 30);
                assertThat(info.get("status").asString()).as("QEMU source's query-migrate: %s", info).isEqualTo("failed");
                assertThat(info.get("error-desc").asString()).isNotBlank();
                Mig.awaitRunState(src, "running", 10);
                assertThat(Mig.runEvents(src.takeEvents())).containsExactly("MIGRATION setup", "MIGRATION active",
                        "MIGRATION failed");
                if (!kill) {
                    assertThat(Mig.awaitExit(destination.process(), 10)).isEqualTo(1);
                    assertThat(destination.output()).contains("load of migration failed");
                }
            }
        }
    }

    @Test
    void destinationRefusingAsSoonAsItsMonitorListens() throws Exception {
        int port = Mig.freePort();
        Lab.Node source = filledSource();
        Lab.Node destination = lab.vmm("dst", "-m", "32", "-incoming", "tcp:127.0.0.1:" + port);
        try (QmpLines src = source.qmp()) {
            start(src, "tcp:127.0.0.1:" + port);
            checkFailedAndRecovered(src, source);
            checkDestinationRefused(destination);
        }
    }

    /** A source whose kvstore holds {@link #KEYS} keys of 200-byte values: about 2 MiB to send. */
    private Lab.Node filledSource() throws Exception {
        Lab.Node source = lab.vmm("src", SOURCE);
        try (KvClient client = new KvClient(source.nic())) {
            for (int batch = 0; batch < KEYS; batch += 100) {
                for (int i = batch; i < batch + 100; i++) {
                    client.send("PUT r" + i + " key" + i + " " + PAD + i);
                }
                for (int i = batch; i < batch + 100; i++) {
                    assertThat(client.answer()).isEqualTo("OK " + (i + 1));
                }
            }
        }
        return source;
    }

    private static void start(QmpLines src, String uri) throws Exception {
        Mig.capabilities(src, "events");
        Mig.parameters(src, "{\"max-bandwidth\": " + BANDWIDTH + "}");
        Mig.migrate(src, uri);
    }

    /** The source says failed, with an error-desc, runs again, and serves all its data and new writes. */
    private static void checkFailedAndRecovered(QmpLines src, Lab.Node source) throws Exception {
        JsonNode info = Mig.awaitMigration(src, Mig.ENDED, 30);
        assertThat(info.get("status").asString()).as("source's query-migrate: %s", info).isEqualTo("failed");
        assertThat(info.has("error-desc") ? info.get("error-desc").asString() : "").as("error-desc: %s", info)
                .isNotBlank();
        Mig.awaitRunState(src, "running", 10);
        // Failed before the switch-over's stop, or after it: then the guest resumes (QEMU's
        // migration_iteration_finish restarts a guest that was running).
        assertThat(Mig.runEvents(src.takeEvents())).as("source's events").isIn(
                java.util.List.of("MIGRATION setup", "MIGRATION active", "MIGRATION failed"),
                java.util.List.of("MIGRATION setup", "MIGRATION active", "STOP", "MIGRATION failed", "RESUME"));
        try (KvClient client = new KvClient(source.nic())) {
            for (int i = 0; i < KEYS; i++) {
                assertThat(client.call("GET key" + i)).isEqualTo("VALUE " + (i + 1) + " " + PAD + i);
            }
            assertThat(client.call("PUT after after yes")).isEqualTo("OK " + (KEYS + 1));
        }
    }

    /**
     * The destination exits 1 after a line on its error output, as QEMU 7.2's does ("load of
     * migration failed"), and answered no write.
     */
    private static void checkDestinationRefused(Lab.Node destination) throws Exception {
        if (!destination.process().waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            String state;
            String migration;
            try (QmpLines dst = destination.qmp()) {
                state = Mig.runState(dst);
                migration = Mig.queryMigrate(dst).toString();
            }
            throw new AssertionError("the destination still runs 10 s after the source failed (QEMU 7.2's exits 1): "
                    + "run state " + state + ", query-migrate " + migration + ", output:\n" + destination.output());
        }
        assertThat(destination.process().exitValue()).as("destination's exit status; it printed:\n%s",
                destination.output()).isEqualTo(1);
        assertThat(destination.output().lines().filter(l -> l.startsWith("vmm: ")).toList())
                .as("destination's error line").isNotEmpty();
        Matcher nic = NIC_LINE.matcher(destination.output());
        if (nic.find()) {
            try (KvClient client = new KvClient(new InetSocketAddress(nic.group(1), Integer.parseInt(nic.group(2))))) {
                client.timeout(500);
                client.send("PUT never never never");
                assertThat(client.answer()).as("the destination answered a write").isNull();
            } catch (IOException e) {
                // refused, reset or silent: it served nothing
            }
        }
    }

    private static String[] with(String[] base, String... more) {
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }
}

package org.qapi4j.vmm.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.qapi4j.vmm.process.Lab;
import org.qapi4j.vmm.process.QmpLines;

/**
 * The end states of a migration, each on a pair of real QEMU 7.2 processes and on a pair of
 * {@code bin/vmm} processes: the run state of both sides ({@code query-status}) and the MIGRATION,
 * STOP and RESUME events each side sent, in order, with the capability {@code events} on. Also
 * the destination's {@code query-migrate} before any source came (the address it listens on).
 *
 * <p>The expectations are QEMU's, recorded in {@code end-states/CASE.txt} beside this class's
 * resources; {@code -Dqapi4j.regenerate=true} rewrites them from QEMU (read the diff). Where QEMU
 * is not installed its half skips, saying so, and the VMM's half still checks against the record.
 */
@Timeout(90)
class MigrationEndStatesTest {
    private static final Path GOLDEN = Path.of("src/test/resources/org/qapi4j/vmm/migration/end-states");
    private static final boolean REGENERATE = Boolean.getBoolean("qapi4j.regenerate");

    /** The three cases: whether the source runs (no -S), whether the destination has -S. */
    enum Case {
        RUNNING_TO_RUNNING(false, false),
        RUNNING_TO_DESTINATION_WITH_S(false, true),
        NEVER_RAN_TO_DESTINATION(true, false);

        final boolean sourceS;
        final boolean destinationS;

        Case(boolean sourceS, boolean destinationS) {
            this.sourceS = sourceS;
            this.destinationS = destinationS;
        }

        String file() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ".txt";
        }
    }

    @ParameterizedTest
    @EnumSource(Case.class)
    void qemu72(Case c) throws Exception {
        Lab.assumeQemu("QEMU's half of the migration end states not run (its VMM half checks the recorded expectations)");
        String observed;
        try (Lab lab = new Lab()) {
            List<String> ram = List.of("-M", "none", "-accel", "tcg", "-object", "memory-backend-ram,id=ram0,size=64M",
                    "-machine", "memory-backend=ram0");
            observed = run(c, lab, (name, extra) -> {
                List<String> args = new ArrayList<>(ram);
                args.addAll(extra);
                Lab.Node node = lab.qemu(name, args.toArray(String[]::new));
                if (extra.contains("-incoming")) {
                    Mig.awaitListening(node, 10);
                }
                return node;
            });
        }
        if (REGENERATE) {
            Files.createDirectories(GOLDEN);
            Files.writeString(GOLDEN.resolve(c.file()), observed);
        }
        assertMatches(observed, golden(c), "QEMU 7.2 as recorded in " + GOLDEN.resolve(c.file()));
    }

    @ParameterizedTest
    @EnumSource(Case.class)
    void vmm(Case c) throws Exception {
        String observed;
        try (Lab lab = new Lab()) {
            observed = run(c, lab, (name, extra) -> {
                List<String> args = new ArrayList<>(List.of("-m", "64"));
                args.addAll(extra);
                return lab.vmm(name, args.toArray(String[]::new));
            });
        }
        assertMatches(observed, golden(c), "bin/vmm against QEMU 7.2's record " + GOLDEN.resolve(c.file()));
    }

    /**
     * A destination's {@code query-migrate} while it waits: its port replaced by PORT. QEMU lists
     * the address it listens on ({@code socket-address}); our schema leaves QEMU's socket address
     * types out, so the VMM answers {@code {}}, the difference the README states.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"qemu72", "vmm"})
    void destinationQueryMigrateWhileItWaits(String side) throws Exception {
        if (side.equals("qemu72")) {
            Lab.assumeQemu("QEMU's half of the waiting destination's query-migrate not run");
        }
        try (Lab lab = new Lab()) {
            int port = Mig.freePort();
            String incoming = "tcp:127.0.0.1:" + port;
            Lab.Node destination = side.equals("vmm") ? lab.vmm("dst", "-m", "64", "-incoming", incoming)
                    : lab.qemu("dst", "-M", "none", "-accel", "tcg", "-object", "memory-backend-ram,id=ram0,size=64M",
                            "-machine", "memory-backend=ram0", "-incoming", incoming);
            if (side.equals("qemu72")) {
                Mig.awaitListening(destination, 10);
            } else {
                destination.nic();
            }
            String observed;
            try (QmpLines dst = destination.qmp()) {
                observed = dst.call("{\"execute\": \"query-migrate\"}").replace("\"" + port + "\"", "\"PORT\"") + "\n";
            }
            Path file = GOLDEN.resolve("incoming-query-migrate.txt");
            if (REGENERATE && side.equals("qemu72")) {
                Files.writeString(file, observed);
            }
            if (side.equals("vmm")) {
                assertThat(Files.readString(file)).as("QEMU 7.2's record %s", file).contains("\"socket-address\"");
                assertThat(observed).as("the VMM's answer, QEMU's without socket-address").isEqualTo("{\"return\": {}}\n");
                return;
            }
            assertThat(observed).as("%s against QEMU 7.2's record %s", side, file).isEqualTo(Files.readString(file));
        }
    }

    interface Starter {
        Lab.Node start(String name, List<String> extraArgs) throws Exception;
    }

    /** Migrates {@code c}'s pair, and describes both sides' end states and events. */
    static String run(Case c, Lab lab, Starter starter) throws Exception {
        int port = Mig.freePort();
        Lab.Node source = starter.start("src", c.sourceS ? List.of("-S") : List.of());
        List<String> destinationArgs = new ArrayList<>();
        if (c.destinationS) {
            destinationArgs.add("-S");
        }
        destinationArgs.addAll(List.of("-incoming", "tcp:127.0.0.1:" + port));
        Lab.Node destination = starter.start("dst", destinationArgs);
        try (QmpLines src = source.qmp(); QmpLines dst = destination.qmp()) {
            Mig.capabilities(src, "events");
            Mig.capabilities(dst, "events");
            assertThat(Mig.runState(dst)).isEqualTo("inmigrate");
            Mig.migrate(src, "tcp:127.0.0.1:" + port);
            assertThat(Mig.awaitMigration(src, Mig.ENDED, 30).get("status").asString())
                    .as("source's query-migrate").isEqualTo("completed");
            assertThat(Mig.awaitMigration(dst, Mig.ENDED, 30).get("status").asString())
                    .as("destination's query-migrate").isEqualTo("completed");
            // Completed is set before the source leaves finish-migrate: wait for it to settle.
            long deadline = System.nanoTime() + 10_000_000_000L;
            String sourceState;
            while (Set.of("finish-migrate", "running").contains(sourceState = Mig.runState(src))
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            String destinationState = Mig.runState(dst);
            return "source: " + sourceState + "\n"
                    + "source events: " + String.join(", ", Mig.runEvents(src.takeEvents())) + "\n"
                    + "destination: " + destinationState + "\n"
                    + "destination events: " + String.join(", ", Mig.runEvents(dst.takeEvents())) + "\n"
                    + SHAPES
                    + "source query-migrate members: " + members(Mig.queryMigrate(src)) + "\n"
                    + "destination query-migrate: " + Mig.queryMigrate(dst) + "\n";
        }
    }

    /** Where the run states and events end in a record, and the shapes of the answers begin. */
    private static final String SHAPES = "-- shapes\n";

    /** The member names of {@code node}, in order, nested ones in braces: its shape without values. */
    private static String members(tools.jackson.databind.JsonNode node) {
        List<String> names = new ArrayList<>();
        for (java.util.Map.Entry<String, tools.jackson.databind.JsonNode> member : node.properties()) {
            names.add(member.getValue().isObject() ? member.getKey() + " {" + members(member.getValue()) + "}" : member.getKey());
        }
        return String.join(", ", names);
    }

    /** First the run states and events (what the case is about), then the whole record. */
    private static void assertMatches(String observed, String expected, String what) {
        assertThat(observed.split(SHAPES, 2)[0]).as("run states and events of " + what).isEqualTo(expected.split(SHAPES, 2)[0]);
        assertThat(observed).as("shapes of the answers of " + what).isEqualTo(expected);
    }

    private static String golden(Case c) throws Exception {
        Path file = GOLDEN.resolve(c.file());
        assertThat(file).as("recorded expectations (make them with -Dqapi4j.regenerate=true where QEMU 7.2 is)").exists();
        return Files.readString(file);
    }
}

package org.qapi4j.qmp.client;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qapi4j.qmp.testing.GeneratedQemu72Java;
import org.qapi4j.qmp.testing.TestReports;

/**
 * The client against real QEMU 7.2 processes ({@code qemu-system-x86_64} from Debian 12),
 * through the typed client generated from QEMU 7.2's schema: negotiation, commands, typed
 * events, the 1,051 entries of {@code query-qmp-schema}, errors, and a live migration between
 * two QEMUs driven by migration events. The scenarios are in the test resources
 * ({@code org/qapi4j/qmp/client/qemu72/}). Skipped, saying why, when QEMU or QEMU's schema is
 * missing.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RealQemuClientTest {

    @Test
    void commandsEventsSchemaAndErrors() throws Exception {
        run("BasicsScenario");
    }

    @Test
    void liveMigrationBetweenTwoQemusDrivenByEvents() throws Exception {
        run("MigrationScenario");
    }

    private static void run(String scenario) throws Exception {
        Path qemu = QemuLab.binary();
        Assumptions.assumeTrue(qemu != null, () -> skip(QemuLab.BINARY + " is not on the PATH (install Debian 12's qemu-system-x86)"));
        GeneratedQemu72Java.assumePresent();
        QemuScenario s = GeneratedQemu72Client.scenario(scenario);
        try (QemuLab lab = new QemuLab(qemu)) {
            try {
                s.run(lab);
            } finally {
                Path report = TestReports.write("real-qemu-" + scenario, lab.reported());
                System.out.println("[real QEMU] " + scenario + ": " + lab.reported().size() + " results in " + report);
            }
        }
    }

    private static String skip(String why) {
        String message = "SKIPPED: " + why + "; the real-QEMU client tests did not run";
        System.out.println(message);
        return message;
    }
}

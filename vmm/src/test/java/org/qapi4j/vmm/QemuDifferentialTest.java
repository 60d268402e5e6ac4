package org.qapi4j.vmm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qapi4j.vmm.process.Lab;
import org.qapi4j.vmm.process.QmpLines;

/**
 * The same requests, in the same states, to {@code bin/vmm}'s main class and to a real QEMU 7.2
 * ({@code -M none}): byte-identical answers and events, timestamps aside. Each scenario starts
 * both with the same options, then sends its requests one by one; for each request the events
 * that came before its answer and the answer itself must be equal.
 *
 * <p>Covered: every command the VMM's schema shares with QEMU that a QEMU without a machine can
 * answer alike, valid, with bad arguments and in the states {@code prelaunch} ({@code -S}),
 * {@code running}, {@code paused} and {@code inmigrate} ({@code -incoming defer}), with and
 * without {@code -name} and {@code -uuid}. {@code query-version} differs on purpose (the
 * version and package string say which server it is): checked on its own below. What was
 * covered is printed at the end (commands and states).
 */
@Timeout(120)
class QemuDifferentialTest {
    private static final Set<String> COVERED_COMMANDS = new LinkedHashSet<>();
    private static final Set<String> COVERED_STATES = new LinkedHashSet<>();
    private static final Pattern EXECUTE = Pattern.compile("\"execute\": \"([^\"]+)\"");
    private static final Pattern STATUS = Pattern.compile("\"status\": \"([a-z-]+)\"");

    @Test
    void prelaunchPausedRunningAndBack() throws Exception {
        compare(List.of("-S"), List.of(
                "{\"execute\": \"query-status\"}",
                "{\"execute\": \"stop\"}",
                "{\"execute\": \"query-status\"}",
                "{\"execute\": \"system_reset\"}",
                "{\"execute\": \"cont\"}",
                "{\"execute\": \"query-status\"}",
                "{\"execute\": \"cont\"}",
                "{\"execute\": \"stop\"}",
                "{\"execute\": \"query-status\"}",
                "{\"execute\": \"stop\"}",
                "{\"execute\": \"system_reset\"}",
                "{\"execute\": \"query-status\"}",
                "{\"execute\": \"cont\"}",
                "{\"execute\": \"system_reset\"}",
                "{\"execute\": \"query-status\"}",
                "{\"execute\": \"stop\"}",
                "{\"execute\": \"system_reset\"}",
                // Last: our guest answers the power button (it shuts down) when it runs again.
                "{\"execute\": \"system_powerdown\"}",
                "{\"execute\": \"query-status\"}"));
    }

    @Test
    void runningFromTheStart() throws Exception {
        compare(List.of(), List.of(
                "{\"execute\": \"query-status\"}",
                "{\"execute\": \"cont\"}",
                "{\"execute\": \"stop\"}",
                "{\"execute\": \"query-status\"}",
                "{\"execute\": \"cont\"}",
                "{\"execute\": \"query-status\"}"));
    }

    @Test
    void awaitingAnIncomingMigration() throws Exception {
        compare(List.of("-incoming", "defer"), List.of(
                "{\"execute\": \"query-status\"}",
                "{\"execute\": \"stop\"}",
                "{\"execute\": \"query-status\"}",
                "{\"execute\": \"cont\"}",
                "{\"execute\": \"system_reset\"}",
                "{\"execute\": \"system_powerdown\"}",
                "{\"execute\": \"query-status\"}"));
    }

    @Test
    void badArgumentsAndUnknownCommands() throws Exception {
        compare(List.of("-S"), List.of(
                "{\"execute\": \"query-status\", \"arguments\": {\"verbose\": true}}",
                "{\"execute\": \"stop\", \"arguments\": {\"now\": 1}}",
                "{\"execute\": \"cont\", \"arguments\": {}}",
                "{\"execute\": \"system_reset\", \"arguments\": [1]}",
                "{\"execute\": \"system_powerdown\", \"arguments\": {\"x\": null}}",
                "{\"execute\": \"query-name\", \"arguments\": {\"name\": \"x\"}}",
                "{\"execute\": \"query-uuid\", \"id\": 7, \"arguments\": {\"a\": 1}}",
                "{\"execute\": \"pmemsave\"}",
                "{\"execute\": \"pmemsave\", \"arguments\": {\"val\": 0, \"size\": 16}}",
                "{\"execute\": \"pmemsave\", \"arguments\": {\"val\": \"0\", \"size\": 16, \"filename\": \"/nonexistent/x\"}}",
                "{\"execute\": \"pmemsave\", \"arguments\": {\"val\": 1.5, \"size\": 16, \"filename\": \"/nonexistent/x\"}}",
                "{\"execute\": \"pmemsave\", \"arguments\": {\"val\": 18446744073709551615, \"size\": 16, \"filename\": \"/nonexistent/x\"}}",
                "{\"execute\": \"pmemsave\", \"arguments\": {\"val\": 0, \"size\": 16, \"filename\": \"/nonexistent/x\", \"cpu-index\": 0}}",
                "{\"execute\": \"pmemsave\", \"arguments\": {\"val\": 0, \"size\": 16, \"filename\": \"/nonexistent/dir/f\"}}",
                "{\"execute\": \"pmemsave\", \"arguments\": {\"val\": 0, \"size\": 16, \"filename\": \"\"}}",
                "{\"execute\": \"quit\", \"arguments\": {\"now\": true}}",
                "{\"execute\": \"no-such-command\"}",
                "{\"execute\": \"query-status\", \"arguments\": {}, \"unexpected\": 1}",
                "{\"execute\": \"query-status\", \"id\": {\"any\": [\"json\"]}}"));
    }

    @Test
    void nameAndUuid() throws Exception {
        compare(List.of("-S"), List.of("{\"execute\": \"query-name\"}", "{\"execute\": \"query-uuid\"}"));
        compare(List.of("-S", "-name", "guest=web,,1", "-uuid", "6C7A0F2E-5B1D-4A3C-9E8F-0123456789AB"),
                List.of("{\"execute\": \"query-name\"}", "{\"execute\": \"query-uuid\"}"));
    }

    @Test
    void pmemsaveWritesAFileOnBothSides() throws Exception {
        Assumptions.assumeTrue(Lab.hasQemu(), "QEMU 7.2 (/usr/bin/qemu-system-x86_64) is not installed");
        try (Lab lab = new Lab()) {
            Path ours = lab.dir().resolve("ours.bin");
            Path theirs = lab.dir().resolve("theirs.bin");
            try (QmpLines vmm = lab.vmm("vmm", "-S").qmp(); QmpLines qemu = lab.qemu("qemu", "-M", "none", "-S").qmp()) {
                String request = "{\"execute\": \"pmemsave\", \"arguments\": {\"val\": 0, \"size\": 4096, \"filename\": \"%s\"}}";
                assertThat(vmm.call(request.formatted(ours))).isEqualTo(qemu.call(request.formatted(theirs)))
                        .isEqualTo("{\"return\": {}}");
            }
            assertThat(Files.size(ours)).isEqualTo(Files.size(theirs)).isEqualTo(4096);
            COVERED_COMMANDS.add("pmemsave");
        }
    }

    @Test
    void quitSendsShutdownThenItsAnswerThenCloses() throws Exception {
        Assumptions.assumeTrue(Lab.hasQemu(), "QEMU 7.2 (/usr/bin/qemu-system-x86_64) is not installed");
        try (Lab lab = new Lab()) {
            Lab.Node vmmNode = lab.vmm("vmm", "-S");
            Lab.Node qemuNode = lab.qemu("qemu", "-M", "none", "-S");
            List<String> transcripts = new ArrayList<>();
            for (Lab.Node node : List.of(vmmNode, qemuNode)) {
                try (QmpLines qmp = node.qmp()) {
                    String reply = qmp.call("{\"execute\": \"quit\"}");
                    transcripts.add(qmp.takeEvents() + " " + reply + " then " + qmp.nextReply());
                }
                assertThat(node.awaitExit(30)).as("exit status of " + node.name()).isZero();
            }
            assertThat(transcripts.get(0)).isEqualTo(transcripts.get(1));
            COVERED_COMMANDS.add("quit");
        }
    }

    @AfterAll
    static void report() {
        System.out.println("QemuDifferentialTest covered commands " + COVERED_COMMANDS + " in states " + COVERED_STATES);
    }

    /** Starts both with {@code options}, sends {@code requests} to each, and compares what comes back. */
    private static void compare(List<String> options, List<String> requests) throws Exception {
        Assumptions.assumeTrue(Lab.hasQemu(), "QEMU 7.2 (/usr/bin/qemu-system-x86_64) is not installed");
        try (Lab lab = new Lab()) {
            List<String> qemuOptions = new ArrayList<>(List.of("-M", "none"));
            qemuOptions.addAll(options);
            try (QmpLines vmm = lab.vmm("vmm", options.toArray(String[]::new)).qmp();
                    QmpLines qemu = lab.qemu("qemu", qemuOptions.toArray(String[]::new)).qmp()) {
                for (String request : requests) {
                    String theirs = exchange(qemu, request);
                    String ours = exchange(vmm, request);
                    assertThat(ours).as("answer to %s", request).isEqualTo(theirs);
                    record(request, theirs);
                }
            }
        }
    }

    private static String exchange(QmpLines qmp, String request) throws IOException {
        String reply = qmp.call(request);
        return qmp.takeEvents() + " " + reply;
    }

    private static void record(String request, String transcript) {
        Matcher command = EXECUTE.matcher(request);
        if (command.find()) {
            COVERED_COMMANDS.add(command.group(1));
        }
        Matcher status = STATUS.matcher(transcript);
        while (status.find()) {
            COVERED_STATES.add(status.group(1));
        }
    }
}

package org.qapi4j.maven.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The projects in {@code examples/}, each copied out of the tree and built by its own POM as a
 * user builds it after {@code ./mvnw install} (see {@code examples/README.md} for why they are
 * built this way and not as reactor modules): {@code mvn verify} runs the example's own tests,
 * the server example's jar serves QMP, and the QEMU client example drives a real QEMU 7.2.
 */
class ExamplesIT {
    /** Surefire's summary line of a run whose tests all passed, none skipped. */
    private static final Pattern ALL_PASSED =
            Pattern.compile("Tests run: (\\d+), Failures: 0, Errors: 0, Skipped: 0\\s*$", Pattern.MULTILINE);

    private static Path examples() {
        return ScratchProject.projectRoot().resolve("examples");
    }

    @Test
    void serverExampleBuildsPassesItsTestsAndServesQmp() throws Exception {
        ScratchProject p = ScratchProject.create("example-qmp-server").copyProject(examples().resolve("qmp-server"));
        ScratchProject.Result build = p.mvn("verify");
        assertThat(build.exitCode()).as(build.output()).isZero();
        assertThat(testsRun(build.output())).as(build.output()).isGreaterThanOrEqualTo(4);

        // As examples/README.md runs it: java -jar, a Unix socket, any QMP client.
        Path socket = Files.createTempDirectory("lamp").resolve("lamp.sock");
        Process server = new ProcessBuilder(javaBinary(), "-jar", "target/lamp-server-1.0-SNAPSHOT.jar", socket.toString())
                .directory(p.dir().toFile()).redirectErrorStream(true)
                .redirectOutput(p.path("server.log").toFile()).start();
        try {
            List<String> answers = converse(socket, server, p.path("server.log"), "{\"execute\": \"qmp_capabilities\"}",
                    "{\"execute\": \"query-lamp\"}", "{\"execute\": \"power-off\"}");
            assertThat(answers.get(0)).startsWith("{\"QMP\": {\"version\": ");
            assertThat(answers.subList(1, 4)).containsExactly("{\"return\": {}}",
                    "{\"return\": {\"on\": false, \"brightness\": 100}}",
                    "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command power-off has not been found\"}}");
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
            Files.deleteIfExists(socket);
            Files.deleteIfExists(socket.getParent());
        }
    }

    @Test
    void qemuClientExampleDrivesQemu72() throws Exception {
        Path schema = sharedDir().resolve("qemu/qapi-7.2/qapi-schema.json");
        if (!Files.isRegularFile(schema)) {
            String message = "SKIPPED: QEMU 7.2's schema not found at " + schema
                    + "; the QEMU client example (examples/qemu-client) was not built";
            System.out.println(message);
            Assumptions.abort(message);
        }
        ScratchProject p = ScratchProject.create("example-qemu-client").copyProject(examples().resolve("qemu-client"));
        ScratchProject.Result build = p.mvn("verify", "-Dqemu.schema=" + schema);
        assertThat(build.exitCode()).as(build.output()).isZero();
        if (onPath("qemu-system-x86_64")) {
            assertThat(testsRun(build.output())).as(build.output()).isEqualTo(1);
        } else {
            assertThat(build.output()).contains("SKIPPED: qemu-system-x86_64 is not on the PATH");
            System.out.println("SKIPPED: qemu-system-x86_64 is not on the PATH; the QEMU client example was built,"
                    + " its test did not run");
        }
    }

    @Test
    void examplesBuildAgainstThisVersion() throws Exception {
        for (String example : List.of("qmp-server", "qemu-client")) {
            String pom = Files.readString(examples().resolve(example).resolve("pom.xml"));
            assertThat(pom).as(example + "/pom.xml").contains("<qapi4j.version>" + ScratchProject.version()
                    + "</qapi4j.version>").doesNotContain("<parent>");
        }
    }

    /** The number of tests of surefire's summary, which must say that all passed. */
    private static int testsRun(String output) {
        Matcher summary = ALL_PASSED.matcher(output);
        int tests = -1;
        while (summary.find()) {
            tests = Integer.parseInt(summary.group(1));
        }
        return tests;
    }

    /**
     * Connects once the server says it listens (it prints that when its start has returned),
     * reads the greeting, sends each request, reads each answer.
     */
    private static List<String> converse(Path socket, Process server, Path log, String... requests) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(log) || !Files.readString(log).contains("QMP server listening on")) {
            assertThat(server.isAlive()).as("server running").isTrue();
            assertThat(System.nanoTime()).as("server listening within 60 s").isLessThan(deadline);
            Thread.sleep(50);
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel),
                    StandardCharsets.UTF_8));
            OutputStream out = Channels.newOutputStream(channel);
            List<String> answers = new java.util.ArrayList<>();
            answers.add(in.readLine());
            for (String request : requests) {
                out.write((request + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                answers.add(in.readLine());
            }
            return answers;
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Path sharedDir() {
        String configured = System.getProperty("qapi4j.shared.dir");
        return (configured != null ? Path.of(configured) : ScratchProject.projectRoot().resolve("../shared"))
                .toAbsolutePath().normalize();
    }

    private static boolean onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return false;
    }
}

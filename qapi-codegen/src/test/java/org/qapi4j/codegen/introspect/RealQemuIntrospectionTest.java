package org.qapi4j.codegen.introspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.qapi4j.codegen.FrontEnd;
import org.qapi4j.codegen.ast.DocStyle;
import org.qapi4j.codegen.model.Conditions;
import org.qapi4j.codegen.model.Schema;
import org.qapi4j.codegen.testing.SharedData;

/**
 * The proof that counts: a real QEMU 7.2 ({@code qemu-system-x86_64} from Debian 12) answers
 * {@code query-qmp-schema} exactly as we build it from QEMU 7.2's schema with the symbols of
 * {@code qemu-7.2-x86_64.defines}: every entry, in order, masked names included.
 *
 * <p>QEMU runs with no machine and no devices, its QMP monitor on a unix socket in a private
 * temporary folder (nothing on the network), and is killed afterwards. The test is skipped when
 * {@code qemu-system-x86_64} is not on the {@code PATH}, is not version 7.2, or QEMU's schema
 * data ({@code shared/qemu}) is absent.
 */
class RealQemuIntrospectionTest {
    private static final String BINARY = "qemu-system-x86_64";

    @Test
    void qemu72AnswersWhatWeBuild() throws Exception {
        Path qemu = onPath(BINARY);
        Assumptions.assumeTrue(qemu != null, () -> skip(BINARY + " is not on the PATH (install "
                + "Debian 12's qemu-system-x86 to run this comparison)"));
        Path schemaDir = SharedData.requireQemuDir().resolve("qapi-7.2");
        Schema schema = FrontEnd.load(schemaDir, "qapi-schema.json", DocStyle.RELAXED);
        Conditions defines = Conditions.defined(
                Fixtures.defines(Fixtures.resourceDir().resolve("qemu-7.2-x86_64.defines")));

        Path dir = Files.createTempDirectory("qmp");
        Process process = null;
        try {
            // A short path: unix socket names are limited to about 100 bytes.
            Path socket = dir.resolve("q.sock");
            process = new ProcessBuilder(qemu.toString(), "-M", "none", "-nodefaults",
                    "-display", "none", "-qmp", "unix:" + socket + ",server=on,wait=off")
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("qemu.log").toFile())
                    .start();
            List<?> theirs = querySchema(process, socket, dir.resolve("qemu.log"));

            List<Object> ours = Introspection.build(schema, false, defines);
            assertThat(theirs).hasSize(1051);
            String difference = Fixtures.firstDifference(ours, theirs);
            if (difference != null) {
                fail("our answer differs from QEMU 7.2's: " + difference);
            }
        } finally {
            if (process != null) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            deleteTree(dir);
        }
    }

    /** Connects, negotiates capabilities and returns QEMU's answer to query-qmp-schema. */
    private static List<?> querySchema(Process process, Path socket, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(socket)) {
            if (!process.isAlive()) {
                throw new AssertionError("QEMU exited with " + process.exitValue() + ":\n"
                        + Fixtures.read(log));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("QEMU did not create its QMP socket in 30 s");
            }
            Thread.sleep(50);
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            BufferedReader in = new BufferedReader(
                    new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
            OutputStream out = Channels.newOutputStream(channel);

            Map<?, ?> greeting = (Map<?, ?>) JsonReader.parse(in.readLine());
            Map<?, ?> version = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) greeting.get("QMP"))
                    .get("version")).get("qemu");
            String found = version.get("major") + "." + version.get("minor");
            Assumptions.assumeTrue(found.equals("7.2"), () -> skip("the QEMU on the PATH is "
                    + found + ", this test compares with QEMU 7.2's schema"));

            execute(in, out, "qmp_capabilities");
            return (List<?>) execute(in, out, "query-qmp-schema");
        }
    }

    /** Sends a command without arguments; returns its {@code return} value, skipping events. */
    private static Object execute(BufferedReader in, OutputStream out, String command)
            throws IOException {
        out.write(("{\"execute\":\"" + command + "\"}\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        while (true) {
            String line = in.readLine();
            if (line == null) {
                throw new AssertionError("QEMU closed the connection during " + command);
            }
            Map<?, ?> reply = (Map<?, ?>) JsonReader.parse(line);
            if (reply.containsKey("return")) {
                return reply.get("return");
            }
            if (reply.containsKey("error")) {
                throw new AssertionError(command + " failed: " + reply.get("error"));
            }
        }
    }

    private static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static String skip(String why) {
        String message = "SKIPPED: " + why + "; the real-QEMU introspection comparison did not run";
        System.out.println(message);
        return message;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}

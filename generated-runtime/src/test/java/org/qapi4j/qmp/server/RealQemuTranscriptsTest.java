package org.qapi4j.qmp.server;

import java.io.File;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The transcripts tagged {@code @qemu} replayed against a real QEMU 7.2
 * ({@code qemu-system-x86_64 -M none -nodefaults}, QMP on a Unix socket in a private temporary
 * folder, one fresh QEMU per transcript, killed afterwards): proof that their expected text is
 * QEMU's, so that {@link TranscriptTest} holds our server to QEMU's behaviour. Skipped when
 * QEMU is not on the PATH.
 */
class RealQemuTranscriptsTest {
    private static final String BINARY = "qemu-system-x86_64";

    @TestFactory
    Stream<DynamicTest> qemuAnswersAsTheTranscriptsSay() {
        Path qemu = onPath(BINARY);
        Assumptions.assumeTrue(qemu != null, () -> TranscriptTest.skip(BINARY + " is not on the PATH; "
                + "the transcripts were not checked against QEMU"));
        return Transcript.names().stream()
                .map(Transcript::load)
                .filter(t -> t.tags.contains("qemu"))
                .map(t -> DynamicTest.dynamicTest(t.name, () -> replay(qemu, t)));
    }

    private static void replay(Path qemu, Transcript transcript) throws Exception {
        Path dir = Files.createTempDirectory("qmpq");
        // QEMU serves one client per socket: a monitor per connection name, as many as used.
        Path socket = dir.resolve("a.sock");
        Process process = new ProcessBuilder(qemu.toString(), "-M", "none", "-nodefaults", "-display", "none",
                "-qmp", "unix:" + socket + ",server=on,wait=off",
                "-qmp", "unix:" + dir.resolve("b.sock") + ",server=on,wait=off",
                "-qmp", "unix:" + dir.resolve("c.sock") + ",server=on,wait=off")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("qemu.log").toFile())
                .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.exists(socket) || !Files.exists(dir.resolve("c.sock"))) {
                if (!process.isAlive()) {
                    throw new AssertionError("QEMU exited: " + Files.readString(dir.resolve("qemu.log")));
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("QEMU did not create its socket in 30 s");
                }
                Thread.sleep(20);
            }
            transcript.run(new Transcript.Target() {
                @Override
                public SocketAddress address(String connection) {
                    return UnixDomainSocketAddress.of(dir.resolve(connection + ".sock"));
                }

                @Override
                public void emit(String event, ObjectNode data) {
                    throw new UnsupportedOperationException("QEMU cannot be told to emit " + event);
                }
            });
        } finally {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}

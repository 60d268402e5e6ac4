package org.qapi4j.codegen.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * QEMU's reference data beside the project ({@code ../shared/qemu}): its schemas and its schema
 * conformance corpus. It is test input only and read-only in CI; tests that need it copy what
 * they write next to. Where it is absent (a user's fresh clone), those tests are skipped with
 * a message that says so.
 */
public final class SharedData {
    private SharedData() {}

    /** The {@code shared/qemu} folder, or null when it is not there. */
    public static Path qemuDir() {
        String configured = System.getProperty("qapi4j.shared.dir");
        Path shared = configured != null ? Path.of(configured) : Path.of("..", "..", "shared");
        Path qemu = shared.resolve("qemu").toAbsolutePath().normalize();
        return Files.isDirectory(qemu) ? qemu : null;
    }

    /**
     * The {@code shared/qemu} folder; skips the calling test when it is absent (counted as
     * skipped, see {@link CountedSkips}), saying so once.
     */
    public static Path requireQemuDir() {
        Path qemu = qemuDir();
        if (qemu == null) {
            String message = "QEMU reference data not found (expected ../shared/qemu beside the project, or "
                    + "-Dqapi4j.shared.dir); the QEMU conformance tests are skipped";
            if (!TOLD.getAndSet(true)) {
                System.out.println("SKIPPED: " + message);
            }
            Assumptions.abort(message);
        }
        return qemu;
    }

    private static final AtomicBoolean TOLD = new AtomicBoolean();

    /** Copies a folder tree, so that a test can run in it as QEMU's harness does. */
    public static void copyTree(Path from, Path to) {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package org.qapi4j.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.qapi4j.codegen.ast.DocStyle;

/** The schemas the round trips run on, compiled once per JVM. */
final class Schemas {
    private Schemas() {}

    /** Our own schema, {@code src/test/resources/schemas/roundtrip.json}. */
    static GeneratedCode own() {
        try {
            Path file = Path.of(Schemas.class.getResource("/schemas/roundtrip.json").toURI());
            return GeneratedCode.of(file.getParent(), "roundtrip.json", DocStyle.STRICT, "org.qapi4j.roundtrip.own");
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** QEMU's {@code qapi-schema-test.json}, copied with the files it includes; skips without {@code shared/}. */
    static GeneratedCode qemuTest() {
        Path source = shared().resolve("qemu/qapi-schema-tests");
        assumePresent(source.resolve("qapi-schema-test.json"));
        return GeneratedCode.of(copy(source), "qapi-schema-test.json", DocStyle.STRICT, "org.qapi4j.roundtrip.qemutest");
    }

    /** QEMU's master schema; skips without {@code shared/}. */
    static GeneratedCode qemuMaster() {
        Path dir = shared().resolve("qemu/qapi-master");
        assumePresent(dir.resolve("qapi-schema.json"));
        return GeneratedCode.of(dir, "qapi-schema.json", DocStyle.STRICT, "org.qapi4j.roundtrip.qemu");
    }

    /** QEMU 7.2's schema (relaxed doc style: it predates QEMU's stricter rules); skips without {@code shared/}. */
    static GeneratedCode qemu72() {
        Path dir = shared().resolve("qemu/qapi-7.2");
        assumePresent(dir.resolve("qapi-schema.json"));
        return GeneratedCode.of(dir, "qapi-schema.json", DocStyle.RELAXED, "org.qapi4j.roundtrip.qemu72");
    }

    /** Where QEMU's reference data lies: {@code qapi4j.shared.dir}, else {@code ../shared} beside the project. */
    static Path shared() {
        String property = System.getProperty("qapi4j.shared.dir");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        // Surefire runs in tests/; the project root is its parent.
        return Path.of("").toAbsolutePath().getParent().resolveSibling("shared");
    }

    /**
     * Skips the calling test when {@code file} is absent (counted as skipped, see
     * {@link CountedSkips}), saying so once.
     */
    static void assumePresent(Path file) {
        if (!Files.isRegularFile(file)) {
            String message = file + " not found (QEMU's reference data, ../shared beside the project or "
                    + "-Dqapi4j.shared.dir); the tests on QEMU's schemas are skipped";
            if (!TOLD.getAndSet(true)) {
                System.out.println("SKIPPED: " + message);
            }
            Assumptions.abort(message);
        }
    }

    private static final AtomicBoolean TOLD = new AtomicBoolean();

    /** A copy of {@code dir} in a temporary directory: tests must not write next to shared data. */
    private static Path copy(Path dir) {
        try {
            Path target = Files.createTempDirectory("qapi4j-schema-");
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Path to = target.resolve(dir.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(to);
                    } else if (file.toString().endsWith(".json")) {
                        Files.copy(file, to, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

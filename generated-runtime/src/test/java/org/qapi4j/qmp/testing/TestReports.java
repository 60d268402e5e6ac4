package org.qapi4j.qmp.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a test's detailed results go: {@code target/test-reports/NAME.txt} of the module, not
 * the build's output, which gets one line saying where they are (a build's output is for
 * summaries and problems; see the README's Tests).
 */
public final class TestReports {
    private static final Path DIR = Path.of("target", "test-reports");

    private TestReports() {}

    /** Writes {@code lines} to the report {@code name}, replacing it, and returns its path. */
    public static Path write(String name, List<String> lines) {
        try {
            Files.createDirectories(DIR);
            Path file = DIR.resolve(name + ".txt");
            Files.write(file, lines, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

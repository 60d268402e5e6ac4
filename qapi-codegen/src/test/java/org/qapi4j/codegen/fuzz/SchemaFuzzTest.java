package org.qapi4j.codegen.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.qapi4j.codegen.FrontEnd;
import org.qapi4j.codegen.ast.DocStyle;
import org.qapi4j.codegen.diag.SchemaException;


/**
 * Coverage-guided fuzzing of the front end: whatever the input, the only thing that may come
 * out of parsing and checking is a {@link SchemaException}. A NullPointerException, a
 * StackOverflowError, an IllegalStateException from ANTLR, or a hang (Jazzer's per-input
 * timeout) is a finding.
 *
 * <p>In a normal build this runs the seed inputs under
 * {@code src/test/resources/org/qapi4j/codegen/fuzz/SchemaFuzzTestInputs/} as regression
 * tests. {@code JAZZER_FUZZ=1 ./mvnw -pl qapi-codegen test -Dtest=SchemaFuzzTest} fuzzes for
 * real (see the README); inputs it finds that crash are written beside the seeds.
 */
class SchemaFuzzTest {
    /** Includes resolve against an empty folder, so fuzzed includes fail cleanly. */
    private static final Path EMPTY_DIR = emptyDir();

    @FuzzTest(maxDuration = "10m")
    void parseAndCheck(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        for (DocStyle style : DocStyle.values()) {
            try {
                FrontEnd.loadText(EMPTY_DIR, "fuzz.json", text, style);
            } catch (SchemaException expected) {
                // A clear error is the right answer to a bad schema.
                if (expected.diagnostic().message().isEmpty()) {
                    throw new AssertionError("schema error without a message");
                }
            }
        }
    }

    private static Path emptyDir() {
        try {
            return Files.createTempDirectory("qapi-fuzz");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

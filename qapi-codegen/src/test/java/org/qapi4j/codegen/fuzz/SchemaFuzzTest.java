package org.qapi4j.codegen.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtendWith;
import org.qapi4j.codegen.FrontEnd;
import org.qapi4j.codegen.ast.DocStyle;
import org.qapi4j.codegen.diag.SchemaException;
import org.qapi4j.codegen.testing.QuietSeedReplay;


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
@ExtendWith(QuietSeedReplay.class)
public class SchemaFuzzTest {
    /** Includes resolve against an empty folder, so fuzzed includes fail cleanly. */
    private static final Path EMPTY_DIR = emptyDir();

    @FuzzTest(maxDuration = "10m")
    // libFuzzer's dictionary syntax: escapes such as \x0A stand for bytes.
    @DictionaryEntries({
        "'enum'", "'struct'", "'union'", "'alternate'", "'command'", "'event'", "'include'", "'pragma'",
        "'data'", "'base'", "'discriminator'", "'prefix'", "'if'", "'all'", "'any'", "'not'", "'features'",
        "'boxed'", "'returns'", "'gen'", "'success-response'", "'allow-oob'", "'allow-preconfig'",
        "'coroutine'", "'type'", "'name'", "'doc-required'", "'command-name-exceptions'",
        "'command-returns-exceptions'", "'documentation-exceptions'", "'member-name-exceptions'",
        "'deprecated'", "'unstable'", "'int'", "'str'", "'null'", "'bool'", "'number'",
        "'uint8'", "'size'", "'QType'", "'q_empty'", "['int']", "'*opt'", "true", "false",
        "\\x0A##\\x0A", "# @", "#\\x0A", "Features:", "Returns:", "Errors:", "Since:", "TODO:", "Note:",
        "Example:", "::", ".. qmp-example::", "\\x09", "\\\\"
    })
    void parseAndCheck(byte[] input) {
        fuzzerTestOneInput(input);
    }

    /**
     * The same target for Jazzer's standalone driver (used to minimise the found corpus into
     * the seed folder with {@code -merge=1}; see the README).
     */
    public static void fuzzerTestOneInput(byte[] input) {
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

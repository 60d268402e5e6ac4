package org.qapi4j.codegen.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.qapi4j.codegen.ast.DocStyle;

/** The dump of each positive case of QEMU's conformance corpus equals QEMU's {@code .out}. */
class CorpusDumpTest {

    @ParameterizedTest
    @ValueSource(strings = {"alternate-array", "comments", "doc-good", "empty",
        "include-repetition", "include-simple", "indented-expr", "qapi-schema-test"})
    void dumpMatchesQemu(String testCase) throws IOException {
        Path dir = SchemaFixtures.corpusDir();
        assumeTrue(dir != null, "QEMU corpus not found (qapi4j.shared.dir/qemu/qapi-schema-tests): skipped");
        String expected = Files.readString(dir.resolve(testCase + ".out"), StandardCharsets.UTF_8);
        Schema schema = SchemaFixtures.buildFile(dir, testCase + ".json", DocStyle.STRICT);
        assertThat(SchemaDumper.dump(schema)).isEqualTo(expected);
    }
}

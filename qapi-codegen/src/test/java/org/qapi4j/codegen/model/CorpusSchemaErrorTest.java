package org.qapi4j.codegen.model;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.qapi4j.codegen.ast.DocStyle;
import org.qapi4j.codegen.diag.SchemaException;

/**
 * The negative corpus cases QEMU rejects in {@code schema.py} (or in the documentation checks
 * the model triggers) give QEMU's {@code .err} text exactly.
 */
class CorpusSchemaErrorTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "alternate-any", "alternate-conflict-bool-string", "alternate-conflict-dict",
        "alternate-conflict-enum-bool", "alternate-conflict-enum-int", "alternate-conflict-lists",
        "alternate-conflict-num-string", "alternate-conflict-string", "alternate-nested",
        "alternate-unknown", "args-alternate", "args-any", "args-array-unknown",
        "args-boxed-string", "args-if-implicit", "args-if-unboxed", "args-int",
        "args-member-unknown", "args-union", "args-unknown", "bad-base", "base-cycle-direct",
        "base-cycle-indirect", "command-int", "doc-bad-alternate-member",
        "doc-bad-boxed-command-arg", "doc-bad-command-arg", "doc-bad-enum-member",
        "doc-bad-event-arg", "doc-bad-feature", "doc-bad-union-member", "doc-undoc-feature",
        "enum-clash-member", "features-deprecated-type", "features-duplicate-name",
        "features-too-many", "redefined-command", "redefined-event", "redefined-predefined",
        "redefined-type", "returns-alternate", "returns-bad-type", "returns-unknown",
        "struct-base-clash", "struct-base-clash-deep", "struct-member-name-clash",
        "union-bad-base", "union-base-any", "union-base-empty", "union-base-union",
        "union-clash-member", "union-discriminator-bad-name", "union-empty", "union-int-branch",
        "union-invalid-base", "union-invalid-branch-key", "union-invalid-discriminator",
        "union-invalid-if-discriminator", "union-invalid-union-subfield",
        "union-invalid-union-subtype", "union-optional-discriminator",
        "union-string-discriminator", "union-unknown"})
    void errorMatchesQemu(String testCase) throws IOException {
        Path dir = SchemaFixtures.corpusDir();
        assumeTrue(dir != null, "QEMU corpus not found (qapi4j.shared.dir/qemu/qapi-schema-tests): skipped");
        String expected = Files.readString(dir.resolve(testCase + ".err"), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> SchemaFixtures.buildFile(dir, testCase + ".json", DocStyle.STRICT))
                .isInstanceOfSatisfying(SchemaException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.diagnostic().render() + "\n")
                                .isEqualTo(expected));
    }
}

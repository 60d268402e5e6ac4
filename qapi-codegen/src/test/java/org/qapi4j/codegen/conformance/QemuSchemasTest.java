package org.qapi4j.codegen.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qapi4j.codegen.testing.CliRun;
import org.qapi4j.codegen.testing.SharedData;

/**
 * QEMU's real schemas, whole: the current one checks clean under QEMU's current rules; the 7.2
 * one needs the relaxed documentation style, and without it fails exactly as QEMU's current
 * checker fails on it.
 */
class QemuSchemasTest {
    /** Where generated code goes: never beside the (read-only, shared) schemas. */
    @TempDir
    Path out;

    @Test
    void masterSchemaChecksClean() {
        Path dir = SharedData.requireQemuDir().resolve("qapi-master");
        CliRun run = CliRun.of(dir, "-o", out.toString(), "qapi-schema.json");
        assertThat(run.err()).isEmpty();
        assertThat(run.status()).isZero();
    }

    @Test
    void masterSchemaModelHasEveryDefinition() {
        Path dir = SharedData.requireQemuDir().resolve("qapi-master");
        CliRun run = CliRun.of(dir, "--dump", "qapi-schema.json");
        assertThat(run.status()).isZero();
        // The figures QEMU's own test harness prints for this schema (its whole dump, 25,760
        // lines, was compared byte for byte with ours when this test was written). Structs,
        // unions and enums share the dump with implicit types, so count the other kinds.
        assertThat(run.out().lines().filter(line -> line.startsWith("command "))).hasSize(253);
        assertThat(run.out().lines().filter(line -> line.startsWith("event "))).hasSize(58);
        assertThat(run.out().lines().filter(line -> line.startsWith("alternate "))).hasSize(7);
    }

    @Test
    void schema72ChecksCleanWithRelaxedDocStyle() {
        Path dir = SharedData.requireQemuDir().resolve("qapi-7.2");
        CliRun run = CliRun.of(dir, "-o", out.toString(), "--doc-style=relaxed", "qapi-schema.json");
        assertThat(run.err()).isEmpty();
        assertThat(run.status()).isZero();
    }

    @Test
    void schema72FailsStrictDocStyleWithQemusMessage() {
        Path dir = SharedData.requireQemuDir().resolve("qapi-7.2");
        CliRun run = CliRun.of(dir, "-o", out.toString(), "qapi-schema.json");
        assertThat(run.err()).isEqualTo("qapi-schema.json:8:1: documentation line longer than 70 characters\n");
        assertThat(run.status()).isEqualTo(1);
    }
}

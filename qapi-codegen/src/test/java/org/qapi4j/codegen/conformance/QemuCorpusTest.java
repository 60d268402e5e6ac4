package org.qapi4j.codegen.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.qapi4j.codegen.testing.CliRun;
import org.qapi4j.codegen.testing.SharedData;

/**
 * QEMU's schema conformance corpus, case by case, through {@code qapi-gen}'s own entry point.
 *
 * <p>As QEMU's harness does, each case runs in (a copy of) the corpus folder with its relative
 * file name: a negative case must print exactly its {@code .err} on standard error and fail, a
 * positive one must print nothing on standard error (and its one summary line on standard
 * output) and succeed, and {@code --dump} of a positive one must print exactly its {@code .out}.
 */
class QemuCorpusTest {
    @TempDir
    static Path workDir;

    static Path corpus;
    static List<String> cases;

    @BeforeAll
    static void copyCorpus() throws IOException {
        Path source = SharedData.requireQemuDir().resolve("qapi-schema-tests");
        corpus = workDir.resolve("qapi-schema-tests");
        SharedData.copyTree(source, corpus);
        cases = Files.readAllLines(corpus.resolve("TESTS")).stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty())
                .toList();
    }

    @Test
    void corpusHasAllCases() {
        assertThat(cases).hasSize(208);
    }

    @TestFactory
    Stream<DynamicTest> everyCaseReportsWhatQemuReports() {
        Path outputDir = workDir.resolve("out");
        return cases.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            String expectedErr = Files.readString(corpus.resolve(baseName(name) + ".err"));
            CliRun run = CliRun.of(corpus, "-o", outputDir.toString(), name);
            assertThat(run.err()).isEqualTo(expectedErr);
            if (expectedErr.isEmpty()) {
                assertThat(run.status()).isZero();
                assertThat(run.out()).as("qapi-gen's one summary line")
                        .startsWith("qapi-gen: " + name + ": ").hasLineCount(1);
            } else {
                assertThat(run.status()).isNotZero();
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyPositiveCaseDumpsQemusModel() {
        return cases.stream()
                .filter(name -> {
                    try {
                        return Files.size(corpus.resolve(baseName(name) + ".err")) == 0;
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                })
                .map(name -> DynamicTest.dynamicTest(name, () -> {
                    CliRun run = CliRun.of(corpus, "--dump", name);
                    assertThat(run.err()).isEmpty();
                    assertThat(run.out()).isEqualTo(Files.readString(corpus.resolve(baseName(name) + ".out")));
                    assertThat(run.status()).isZero();
                }));
    }

    private static String baseName(String caseName) {
        return caseName.substring(0, caseName.length() - ".json".length());
    }
}

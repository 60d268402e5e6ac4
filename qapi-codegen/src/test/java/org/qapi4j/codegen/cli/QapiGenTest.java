package org.qapi4j.codegen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qapi4j.codegen.output.OutputWriter;
import org.qapi4j.codegen.testing.CliRun;

/** The command line around the front end: options, where output goes, exit statuses. */
class QapiGenTest {
    @TempDir
    Path dir;

    @BeforeEach
    void schema() throws IOException {
        Files.writeString(dir.resolve("main.json"), "{ 'include': 'sub.json' }\n"
                + "{ 'command': 'c', 'data': { 'a': 'Elem' }, 'if': 'CONFIG_C' }\n");
        Files.writeString(dir.resolve("sub.json"), "{ 'struct': 'Elem', 'data': { 'x': 'int' } }\n");
    }

    @Test
    void generatesBelowOutputDirWithAManifest() {
        CliRun run = CliRun.of(dir, "-o", "out", "main.json");
        assertThat(run.err()).isEmpty();
        int files = OutputWriter.readManifest(dir.resolve("out")).size();
        assertThat(run.out()).isEqualTo("qapi-gen: main.json: " + files + " files generated (" + files
                + " written, 0 unchanged, 0 deleted) in out\n");
        assertThat(run.status()).isZero();
        assertThat(OutputWriter.readManifest(dir.resolve("out"))).contains("org/qapi4j/generated/Elem.java");
        assertThat(dir.resolve("out/org/qapi4j/generated/Elem.java")).isRegularFile();
    }

    @Test
    void secondRunRewritesNothing() throws IOException {
        CliRun.of(dir, "-o", "out", "main.json");
        Path elem = dir.resolve("out/org/qapi4j/generated/Elem.java");
        FileTime old = FileTime.from(Instant.parse("2001-02-03T04:05:06Z"));
        Files.setLastModifiedTime(elem, old);
        CliRun again = CliRun.of(dir, "-o", "out", "main.json");
        assertThat(again.status()).isZero();
        int files = OutputWriter.readManifest(dir.resolve("out")).size();
        assertThat(again.out()).isEqualTo("qapi-gen: main.json: " + files + " files generated (0 written, " + files
                + " unchanged, 0 deleted) in out\n");
        assertThat(Files.getLastModifiedTime(elem)).isEqualTo(old);
    }

    @Test
    void summarySaysWhatWasDeleted() {
        CliRun.of(dir, "-o", "out", "main.json");
        Set<String> before = OutputWriter.readManifest(dir.resolve("out"));
        CliRun fewer = CliRun.of(dir, "-o", "out", "-D", "OTHER", "main.json");
        assertThat(fewer.status()).isZero();
        Set<String> after = OutputWriter.readManifest(dir.resolve("out"));
        Set<String> deleted = new TreeSet<>(before);
        deleted.removeAll(after);
        assertThat(deleted).contains("org/qapi4j/generated/CArguments.java");
        assertThat(fewer.out()).matches("qapi-gen: main.json: " + after.size() + " files generated \\(\\d+ written, "
                + "\\d+ unchanged, " + deleted.size() + " deleted\\) in out\n");
    }

    @Test
    void outputDirDefaultsToTheWorkingDirectory() {
        CliRun run = CliRun.of(dir, "main.json");
        assertThat(run.status()).isZero();
        assertThat(run.out()).endsWith(" in .\n");
        assertThat(dir.resolve(OutputWriter.MANIFEST_NAME)).exists();
    }

    @Test
    void acceptsPackageDefinesAndUnmask() {
        CliRun run = CliRun.of(dir, "-o", "out", "--package", "com.example.qmp", "-D", "CONFIG_C", "-DCONFIG_D",
                "--define", "CONFIG_E", "--define=CONFIG_F", "-u", "main.json");
        assertThat(run.err()).isEmpty();
        assertThat(run.status()).isZero();
        assertThat(dir.resolve("out/com/example/qmp/Elem.java")).isRegularFile();
        assertThat(dir.resolve("out/org")).doesNotExist();
    }

    @Test
    void definesDecideWhatIsGenerated() throws IOException {
        Files.writeString(dir.resolve("sub.json"), "{ 'struct': 'Elem', 'data': { 'x': 'int' } }\n"
                + "{ 'struct': 'Only', 'data': { 'y': 'int' }, 'if': 'CONFIG_ONLY' }\n");
        assertThat(CliRun.of(dir, "-o", "all", "main.json").status()).isZero();
        assertThat(dir.resolve("all/org/qapi4j/generated/Only.java")).isRegularFile();
        assertThat(CliRun.of(dir, "-o", "none", "-D", "OTHER", "main.json").status()).isZero();
        assertThat(dir.resolve("none/org/qapi4j/generated/Elem.java")).isRegularFile();
        assertThat(dir.resolve("none/org/qapi4j/generated/Only.java")).doesNotExist();
        assertThat(CliRun.of(dir, "-o", "some", "-DCONFIG_ONLY", "main.json").status()).isZero();
        assertThat(dir.resolve("some/org/qapi4j/generated/Only.java")).isRegularFile();
    }

    @Test
    void dumpGeneratesNothing() {
        CliRun run = CliRun.of(dir, "-o", "out", "--dump", "main.json");
        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("module sub.json").doesNotContain("qapi-gen:");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void schemaErrorIsQemusMessageExitOneAndWritesNothing() throws IOException {
        Files.writeString(dir.resolve("sub.json"), "{ 'struct': 'Elem', 'data': { 'x': 'nope' } }\n");
        CliRun run = CliRun.of(dir, "-o", "out", "main.json");
        assertThat(run.err()).isEqualTo("In file included from main.json:1:\n"
                + "sub.json: In struct 'Elem':\nsub.json:1: member 'x' uses unknown type 'nope'\n");
        assertThat(run.status()).isEqualTo(1);
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void badPackageOrSymbolIsABadInvocation() {
        CliRun run = CliRun.of(dir, "--package", "com.class.x", "main.json");
        assertThat(run.err()).isEqualTo("qapi-gen: invalid package name 'com.class.x' (see qapi-gen --help)\n");
        assertThat(run.status()).isEqualTo(2);

        run = CliRun.of(dir, "-D", "A B", "main.json");
        assertThat(run.err()).isEqualTo("qapi-gen: invalid condition symbol 'A B' (see qapi-gen --help)\n");
        assertThat(run.status()).isEqualTo(2);

        run = CliRun.of(dir, "--define");
        assertThat(run.err()).hasLineCount(1).startsWith("qapi-gen: ");
        assertThat(run.status()).isEqualTo(2);
    }

    @Test
    void unwritableOutputIsExitOne() throws IOException {
        Files.writeString(dir.resolve("file"), "in the way");
        CliRun run = CliRun.of(dir, "-o", "file/out", "main.json");
        assertThat(run.err()).startsWith("qapi-gen: can't write output to '");
        assertThat(run.status()).isEqualTo(1);
    }
}

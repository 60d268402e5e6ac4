package org.qapi4j.codegen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qapi4j.codegen.GenerationDefines;
import org.qapi4j.codegen.testing.CliRun;

/**
 * {@code --defines-file} and {@code --defines-preset}: symbols from a file or a shipped preset,
 * together with {@code -D}, and the one-line errors when either cannot be used.
 */
class DefinesOptionsTest {
    @TempDir
    Path dir;

    @BeforeEach
    void schema() throws IOException {
        Files.writeString(dir.resolve("main.json"), """
                { 'struct': 'Always', 'data': { 'x': 'int' } }
                { 'struct': 'Linux', 'data': { 'y': 'int' }, 'if': 'CONFIG_LINUX' }
                { 'struct': 'Vnc', 'data': { 'z': 'int' }, 'if': 'CONFIG_VNC' }
                { 'struct': 'Arm', 'data': { 'z': 'int' }, 'if': 'TARGET_ARM' }
                { 'struct': 'Own', 'data': { 'z': 'int' }, 'if': 'CONFIG_OWN' }
                """);
    }

    private boolean generated(String out, String type) {
        return Files.isRegularFile(dir.resolve(out + "/org/qapi4j/generated/" + type + ".java"));
    }

    @Test
    void definesFileDefinesItsSymbolsAndSkipsComments() throws IOException {
        Files.writeString(dir.resolve("my.defines"), "# a comment\n\nCONFIG_LINUX\n  CONFIG_OWN  \n# TARGET_ARM\n");
        CliRun run = CliRun.of(dir, "-o", "out", "--defines-file", "my.defines", "main.json");
        assertThat(run.err()).isEmpty();
        assertThat(run.status()).isZero();
        assertThat(generated("out", "Always")).isTrue();
        assertThat(generated("out", "Linux")).isTrue();
        assertThat(generated("out", "Own")).isTrue();
        assertThat(generated("out", "Vnc")).isFalse();
        assertThat(generated("out", "Arm")).isFalse();
    }

    @Test
    void anEmptyDefinesFileDefinesNothing() throws IOException {
        Files.writeString(dir.resolve("none.defines"), "# nothing\n");
        assertThat(CliRun.of(dir, "-o", "out", "--defines-file", "none.defines", "main.json").status()).isZero();
        assertThat(generated("out", "Always")).isTrue();
        assertThat(generated("out", "Linux")).isFalse();
    }

    @Test
    void presetAndDefinesAddUp() {
        CliRun run = CliRun.of(dir, "-o", "out", "--defines-preset", "qemu-7.2-x86_64", "-D", "CONFIG_OWN", "main.json");
        assertThat(run.err()).isEmpty();
        assertThat(run.status()).isZero();
        assertThat(generated("out", "Linux")).isTrue();
        assertThat(generated("out", "Vnc")).isTrue();
        assertThat(generated("out", "Own")).isTrue();
        assertThat(generated("out", "Arm")).as("TARGET_ARM is not in the x86_64 preset").isFalse();
    }

    @Test
    void unknownPresetIsABadInvocation() {
        CliRun run = CliRun.of(dir, "-o", "out", "--defines-preset", "qemu-9", "main.json");
        assertThat(run.err()).isEqualTo("qapi-gen: unknown defines preset 'qemu-9' (known: qemu-7.2-x86_64)\n");
        assertThat(run.status()).isEqualTo(2);
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void unreadableOrBadDefinesFileIsABadInvocation() throws IOException {
        CliRun missing = CliRun.of(dir, "-o", "out", "--defines-file", "no.defines", "main.json");
        assertThat(missing.err()).isEqualTo("qapi-gen: can't read defines file 'no.defines': No such file or directory\n");
        assertThat(missing.status()).isEqualTo(2);

        Files.writeString(dir.resolve("bad.defines"), "CONFIG_A\nCONFIG_B CONFIG_C\n");
        CliRun bad = CliRun.of(dir, "-o", "out", "--defines-file", "bad.defines", "main.json");
        assertThat(bad.err()).isEqualTo("qapi-gen: bad.defines:2: invalid condition symbol 'CONFIG_B CONFIG_C'\n");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(dir.resolve("out")).doesNotExist();
    }

    /**
     * The shipped preset is the symbol set that {@code RealQemuIntrospectionTest} proves
     * against a running QEMU 7.2 (its test resource): the two must not drift apart.
     */
    @Test
    void qemu72PresetIsTheSetProvenAgainstQemu() throws Exception {
        Path proven = testResource("org/qapi4j/codegen/introspect/qemu-7.2-x86_64.defines");
        assertThat(GenerationDefines.preset("qemu-7.2-x86_64"))
                .hasSize(26)
                .containsExactlyElementsOf(GenerationDefines.file(proven, proven.toString()));
    }

    @Test
    void everyListedPresetIsShipped() throws Exception {
        for (String preset : GenerationDefines.PRESETS) {
            assertThat(GenerationDefines.preset(preset)).as(preset).isNotEmpty();
        }
    }

    private static Path testResource(String name) throws URISyntaxException {
        return Path.of(DefinesOptionsTest.class.getClassLoader().getResource(name).toURI());
    }
}

package org.qapi4j.codegen.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qapi4j.codegen.FrontEnd;
import org.qapi4j.codegen.ast.DocStyle;
import org.qapi4j.codegen.model.Schema;

class InputStampTest {
    private static final Map<String, String> OPTIONS = Map.of("package", "org.x", "docStyle", "strict");

    @TempDir
    Path dir;

    private Path stampFile;

    @BeforeEach
    void schema() throws IOException {
        Files.createDirectories(dir.resolve("schema/sub"));
        Files.writeString(dir.resolve("schema/main.json"), "{ 'include': 'sub/types.json' }\n"
                + "{ 'command': 'c', 'data': { 'a': 'Elem' } }\n");
        Files.writeString(dir.resolve("schema/sub/types.json"), "{ 'struct': 'Elem', 'data': { 'x': 'int' } }\n");
        stampFile = dir.resolve("build/stamp");
    }

    private InputStamp stampNow(Map<String, String> options) throws IOException {
        Schema schema = FrontEnd.load(dir, "schema/main.json", DocStyle.STRICT);
        return InputStamp.of(options, InputStamp.sourceFiles(schema, dir));
    }

    @Test
    void sourceFilesAreEveryUserModule() {
        Schema schema = FrontEnd.load(dir, "schema/main.json", DocStyle.STRICT);
        assertThat(InputStamp.sourceFiles(schema, dir)).containsExactly(
                dir.resolve("schema/main.json").toAbsolutePath(), dir.resolve("schema/sub/types.json").toAbsolutePath());
    }

    @Test
    void currentUntilAnIncludedFileChanges() throws IOException {
        stampNow(OPTIONS).write(stampFile);
        assertThat(InputStamp.isCurrent(stampFile, OPTIONS)).isTrue();

        Files.writeString(dir.resolve("schema/sub/types.json"), "{ 'struct': 'Elem', 'data': { 'y': 'int' } }\n");
        assertThat(InputStamp.isCurrent(stampFile, OPTIONS)).isFalse();

        InputStamp after = stampNow(OPTIONS);
        assertThat(after).isNotEqualTo(InputStamp.read(stampFile).orElseThrow());
        after.write(stampFile);
        assertThat(InputStamp.isCurrent(stampFile, OPTIONS)).isTrue();
    }

    @Test
    void staleWhenOptionsDifferOrAFileIsGoneOrNoStamp() throws IOException {
        assertThat(InputStamp.isCurrent(stampFile, OPTIONS)).isFalse();
        stampNow(OPTIONS).write(stampFile);
        assertThat(InputStamp.isCurrent(stampFile, Map.of("package", "org.y", "docStyle", "strict"))).isFalse();
        assertThat(InputStamp.isCurrent(stampFile, Map.of("package", "org.x"))).isFalse();
        Files.delete(dir.resolve("schema/sub/types.json"));
        assertThat(InputStamp.isCurrent(stampFile, OPTIONS)).isFalse();
    }

    @Test
    void touchingWithoutChangingContentKeepsItCurrent() throws IOException {
        stampNow(OPTIONS).write(stampFile);
        Path types = dir.resolve("schema/sub/types.json");
        Files.writeString(types, Files.readString(types));
        assertThat(InputStamp.isCurrent(stampFile, OPTIONS)).isTrue();
    }

    @Test
    void roundTripsOddCharacters() throws IOException {
        Map<String, String> odd = Map.of("a=b", "line1\nline2\\", "defines", "");
        InputStamp stamp = InputStamp.of(odd, List.of(dir.resolve("schema/main.json")));
        stamp.write(stampFile);
        assertThat(InputStamp.read(stampFile)).contains(stamp);
        assertThat(InputStamp.isCurrent(stampFile, odd)).isTrue();
    }

    @Test
    void somethingElseInTheStampFileIsNoStamp() throws IOException {
        Files.createDirectories(stampFile.getParent());
        Files.writeString(stampFile, "garbage\n");
        assertThat(InputStamp.read(stampFile)).isEmpty();
        assertThat(InputStamp.isCurrent(stampFile, OPTIONS)).isFalse();
    }

    @Test
    void generatorIdentityIsStable() {
        assertThat(InputStamp.generatorIdentity()).isEqualTo(InputStamp.generatorIdentity()).isNotBlank();
    }
}

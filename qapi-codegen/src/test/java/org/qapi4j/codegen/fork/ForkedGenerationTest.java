package org.qapi4j.codegen.fork;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real child JVM, on this test's own classpath, answers what an in-process run would. */
class ForkedGenerationTest {
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    private static final List<Path> CLASSPATH = Stream.of(System.getProperty("java.class.path")
            .split(File.pathSeparator)).map(Path::of).toList();

    @TempDir
    Path dir;

    @Test
    void generatesAndReportsTheSummaryAndTheSchemaFiles() throws Exception {
        Files.writeString(dir.resolve("main.json"), "{ 'include': 'sub dir/status.json' }\n");
        Files.createDirectories(dir.resolve("sub dir"));
        Files.writeString(dir.resolve("sub dir/status.json"), """
                { 'enum': 'Color', 'data': [ 'red', 'green' ] }
                { 'command': 'paint', 'data': { 'color': 'Color' } }
                """);
        List<String> other = new ArrayList<>();

        ForkedGeneration.Outcome outcome = ForkedGeneration.run(JAVA, CLASSPATH, request("main.json"), other::add);

        assertThat(outcome.summary()).matches("\\d+ files generated \\(\\d+ written, 0 unchanged, 0 deleted\\)");
        assertThat(outcome.sourceFiles()).containsExactly(dir.resolve("main.json"), dir.resolve("sub dir/status.json"));
        assertThat(dir.resolve("out/org/example/Color.java")).exists();
        assertThat(other).isEmpty();
    }

    @Test
    void anInvalidSchemaComesBackAsQemusMessageAndItsLocation() throws Exception {
        Files.writeString(dir.resolve("main.json"), "{ 'enum': 'Color',\n  'data': [ 'red', 'red' ] }\n");

        assertThatThrownBy(() -> ForkedGeneration.run(JAVA, CLASSPATH, request("main.json"), line -> { }))
                .isInstanceOfSatisfying(ForkedGeneration.InvalidSchema.class, e -> {
                    assertThat(e.renderedLines()).containsExactly("main.json: In enum 'Color':",
                            "main.json:1: value 'red' collides with value 'red'");
                    assertThat(e.location()).isEqualTo(
                            new ForkedGeneration.Location("main.json", 1, 0, "value 'red' collides with value 'red'"));
                });
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void aChildThatCannotRunIsAnIoErrorThatSaysWhy() {
        assertThatThrownBy(() -> ForkedGeneration.run(JAVA, List.of(dir), request("main.json"), line -> { }))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("exited with status 1");
    }

    @Test
    void fieldsSurviveTabsNewlinesAndBackslashes() {
        String field = "a\tb\\nc\nd\re\\";
        Record record = Record.parse(Record.line(Record.RENDERED, field, ""));
        assertThat(record).isEqualTo(new Record(Record.RENDERED, List.of(field, "")));
        assertThat(Record.parse("Picked up JAVA_TOOL_OPTIONS: -Xmx1g")).isNull();
        assertThat(Record.line(Record.SUMMARY, "x\ny").getBytes(StandardCharsets.UTF_8)).doesNotContain('\n');
    }

    private ForkedGeneration.Request request(String schema) {
        return new ForkedGeneration.Request(dir, schema, "relaxed", "org.example", false, List.of(), false,
                dir.resolve("out"), dir.resolve("out"));
    }
}

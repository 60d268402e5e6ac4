package org.qapi4j.codegen.emit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qapi4j.codegen.FrontEnd;
import org.qapi4j.codegen.ast.DocStyle;
import org.qapi4j.codegen.model.Conditions;
import org.qapi4j.codegen.model.Schema;
import org.qapi4j.codegen.testing.SharedData;

/**
 * The Java generated for QEMU's big positive test case, {@code qapi-schema-test.json}, is
 * checked in (under {@code src/test/resources/org/qapi4j/codegen/emit/golden/}); any change to
 * the output shows up as a failure here and as a diff in review.
 *
 * <p>After an intended change to the emitters, regenerate and read the diff:
 * {@code ./mvnw -pl qapi-codegen test -Dtest=GoldenFilesTest -Dqapi4j.regenerate=true}.
 */
class GoldenFilesTest {
    private static final Path GOLDEN = Path.of("src", "test", "resources", "org", "qapi4j", "codegen", "emit", "golden");
    private static final String PACKAGE = "org.qapi4j.golden";

    @TempDir
    Path workDir;

    private Map<String, String> generate() {
        Path corpus = workDir.resolve("corpus");
        if (!Files.isDirectory(corpus)) {
            SharedData.copyTree(SharedData.requireQemuDir().resolve("qapi-schema-tests"), corpus);
        }
        Schema schema = FrontEnd.load(corpus, "qapi-schema-test.json", DocStyle.STRICT);
        return JavaGenerator.generate(schema, new GeneratorOptions(PACKAGE, Conditions.all(), false)).stream()
                .collect(Collectors.toMap(GeneratedFile::relativePath, GeneratedFile::content, (a, b) -> a, TreeMap::new));
    }

    private static Map<String, String> golden() throws IOException {
        Map<String, String> files = new TreeMap<>();
        if (!Files.isDirectory(GOLDEN)) {
            return files;
        }
        try (Stream<Path> paths = Files.walk(GOLDEN)) {
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                files.put(GOLDEN.relativize(path).toString().replace('\\', '/'), Files.readString(path));
            }
        }
        return files;
    }

    @Test
    void generatedJavaMatchesTheCheckedInGoldenFiles() throws IOException {
        Map<String, String> generated = generate();
        if (Boolean.getBoolean("qapi4j.regenerate")) {
            regenerate(generated);
        }
        Map<String, String> golden = golden();
        assertThat(generated.keySet()).as("generated files").containsExactlyElementsOf(golden.keySet());
        for (Map.Entry<String, String> file : generated.entrySet()) {
            assertThat(file.getValue()).as(file.getKey()).isEqualTo(golden.get(file.getKey()));
        }
    }

    @Test
    void generationIsDeterministic() {
        assertThat(generate()).isEqualTo(generate());
    }

    private static void regenerate(Map<String, String> generated) throws IOException {
        if (Files.isDirectory(GOLDEN)) {
            try (Stream<Path> paths = Files.walk(GOLDEN)) {
                List<Path> old = paths.sorted((a, b) -> b.compareTo(a)).toList();
                for (Path path : old) {
                    Files.delete(path);
                }
            }
        }
        for (Map.Entry<String, String> file : generated.entrySet()) {
            Path target = GOLDEN.resolve(file.getKey());
            Files.createDirectories(target.getParent());
            Files.writeString(target, file.getValue());
        }
        System.out.println("Regenerated " + generated.size() + " golden files under " + GOLDEN.toAbsolutePath());
    }
}

package org.qapi4j.codegen.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qapi4j.codegen.emit.GeneratedFile;
import org.qapi4j.codegen.emit.GeneratedFile.Kind;

class OutputWriterTest {
    /** An mtime far enough in the past that any rewrite would show, whatever the file system's resolution. */
    private static final FileTime OLD = FileTime.from(Instant.parse("2001-02-03T04:05:06Z"));

    @TempDir
    Path dir;

    private static GeneratedFile source(String path, String content) {
        return new GeneratedFile(Kind.SOURCE, path, content);
    }

    private static GeneratedFile resource(String path, String content) {
        return new GeneratedFile(Kind.RESOURCE, path, content);
    }

    @Test
    void firstRunWritesEverythingAndAManifestPerRoot() throws IOException {
        Path src = dir.resolve("src");
        Path res = dir.resolve("res");
        WriteResult result = new OutputWriter(src, res).write(List.of(
                source("org/x/A.java", "class A {}\n"), source("org/x/B.java", "class B {}\n"),
                resource("org/x/schema.json", "{}\n")));

        assertThat(result).isEqualTo(new WriteResult(3, 0, 0));
        assertThat(Files.readString(src.resolve("org/x/A.java"))).isEqualTo("class A {}\n");
        assertThat(Files.readString(res.resolve("org/x/schema.json"))).isEqualTo("{}\n");
        assertThat(OutputWriter.readManifest(src)).containsExactly("org/x/A.java", "org/x/B.java");
        assertThat(OutputWriter.readManifest(res)).containsExactly("org/x/schema.json");
        assertThat(new OutputWriter(src, res).outputsPresent()).isTrue();
    }

    @Test
    void unchangedContentKeepsItsTimestampChangedContentIsRewritten() throws IOException {
        OutputWriter writer = OutputWriter.singleRoot(dir);
        writer.write(List.of(source("A.java", "class A {}\n"), source("p/B.java", "class B {}\n")));
        Files.setLastModifiedTime(dir.resolve("A.java"), OLD);
        Files.setLastModifiedTime(dir.resolve("p/B.java"), OLD);
        Files.setLastModifiedTime(dir.resolve(OutputWriter.MANIFEST_NAME), OLD);

        WriteResult result = writer.write(List.of(source("A.java", "class A {}\n"), source("p/B.java", "class B { int x; }\n")));

        assertThat(result).isEqualTo(new WriteResult(1, 1, 0));
        assertThat(Files.getLastModifiedTime(dir.resolve("A.java"))).isEqualTo(OLD);
        assertThat(Files.getLastModifiedTime(dir.resolve("p/B.java"))).isNotEqualTo(OLD);
        assertThat(Files.readString(dir.resolve("p/B.java"))).isEqualTo("class B { int x; }\n");
        // The manifest lists the same files: not rewritten either.
        assertThat(Files.getLastModifiedTime(dir.resolve(OutputWriter.MANIFEST_NAME))).isEqualTo(OLD);
        assertThat(listTree(dir)).containsExactlyInAnyOrder(".qapi4j-generated", "A.java", "p/B.java");
    }

    @Test
    void deletesWhatItGeneratedBeforeButNeverOtherFiles() throws IOException {
        OutputWriter writer = OutputWriter.singleRoot(dir);
        writer.write(List.of(source("a/A.java", "A"), source("b/deep/B.java", "B"), resource("r.json", "R")));
        Files.writeString(dir.resolve("a/Mine.java"), "not generated");
        Files.writeString(dir.resolve("Other.txt"), "not generated");

        WriteResult result = writer.write(List.of(source("a/A.java", "A")));

        assertThat(result).isEqualTo(new WriteResult(0, 1, 2));
        assertThat(listTree(dir)).containsExactlyInAnyOrder(
                ".qapi4j-generated", "a/A.java", "a/Mine.java", "Other.txt");
        // Directories the deletions emptied are gone too.
        assertThat(dir.resolve("b")).doesNotExist();
        assertThat(OutputWriter.readManifest(dir)).containsExactly("a/A.java");
    }

    @Test
    void withoutAManifestNothingIsDeleted() throws IOException {
        Files.writeString(dir.resolve("Old.java"), "from somewhere else");
        WriteResult result = OutputWriter.singleRoot(dir).write(List.of(source("New.java", "N")));
        assertThat(result).isEqualTo(new WriteResult(1, 0, 0));
        assertThat(dir.resolve("Old.java")).exists();
    }

    @Test
    void aManifestEntryOutsideTheRootIsIgnored() throws IOException {
        Path root = Files.createDirectories(dir.resolve("out"));
        Files.writeString(dir.resolve("precious.txt"), "keep");
        Files.writeString(root.resolve(OutputWriter.MANIFEST_NAME), "../precious.txt\n/etc/passwd\nGone.java\n");
        Files.writeString(root.resolve("Gone.java"), "G");

        WriteResult result = OutputWriter.singleRoot(root).write(List.of());

        assertThat(result).isEqualTo(new WriteResult(0, 0, 1));
        assertThat(dir.resolve("precious.txt")).exists();
        assertThat(root.resolve("Gone.java")).doesNotExist();
    }

    @Test
    void aFileMovingBetweenRootsIsWrittenInOneAndDeletedInTheOther() throws IOException {
        OutputWriter writer = new OutputWriter(dir.resolve("src"), dir.resolve("res"));
        writer.write(List.of(source("x/F", "F")));
        WriteResult result = writer.write(List.of(resource("x/F", "F")));
        assertThat(result).isEqualTo(new WriteResult(1, 0, 1));
        assertThat(dir.resolve("src/x/F")).doesNotExist();
        assertThat(dir.resolve("res/x/F")).exists();
    }

    @Test
    void outputsPresentNoticesAMissingFileOrManifest() throws IOException {
        OutputWriter writer = new OutputWriter(dir.resolve("src"), dir.resolve("res"));
        assertThat(writer.outputsPresent()).isFalse();
        writer.write(List.of(source("A.java", "A")));
        // Even a root without files gets a manifest, so that "nothing generated there" is known.
        assertThat(writer.outputsPresent()).isTrue();
        Files.delete(dir.resolve("src/A.java"));
        assertThat(writer.outputsPresent()).isFalse();
    }

    @Test
    void refusesPathsThatLeaveTheRootAndDuplicates() {
        OutputWriter writer = OutputWriter.singleRoot(dir);
        for (String bad : List.of("", "/abs/A.java", "../A.java", "a/../../A.java", "a//A.java", "a\\A.java",
                "./A.java", OutputWriter.MANIFEST_NAME)) {
            assertThatThrownBy(() -> writer.write(List.of(source(bad, "x"))))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> writer.write(List.of(source("A.java", "1"), resource("A.java", "2"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("generated twice");
        assertThat(listTree(dir)).isEmpty();
    }

    @Test
    void writesUtf8() throws IOException {
        OutputWriter.singleRoot(dir).write(List.of(source("U.java", "// é ✓\n")));
        assertThat(Files.readAllBytes(dir.resolve("U.java"))).isEqualTo("// é ✓\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void writtenFilesAreNotPrivateAndNoTempFileRemains() throws IOException {
        Path other = Files.writeString(dir.resolve("other.txt"), "written the ordinary way");
        OutputWriter.singleRoot(dir).write(List.of(source("p/A.java", "A")));
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(Files.getPosixFilePermissions(dir.resolve("p/A.java")))
                    .isEqualTo(Files.getPosixFilePermissions(other));
        }
        assertThat(listTree(dir)).containsExactlyInAnyOrder(".qapi4j-generated", "other.txt", "p/A.java");
    }

    static List<String> listTree(Path root) {
        try (var paths = Files.walk(root)) {
            return paths.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/')).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

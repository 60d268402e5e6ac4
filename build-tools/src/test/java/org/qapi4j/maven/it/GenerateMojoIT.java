package org.qapi4j.maven.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.qapi4j.codegen.output.OutputWriter;

/**
 * The plugin in a real Maven build of a scratch project (see {@link ScratchProject} for how it
 * gets there): generation, the skip when nothing changed, regeneration when an included module
 * changes, and a schema error failing the build with QEMU's message.
 */
class GenerateMojoIT {
    private static final FileTime OLD = FileTime.from(Instant.parse("2001-02-03T04:05:06Z"));
    private static final String SOURCES = "target/generated-sources/qapi";
    private static final String RESOURCES = "target/generated-resources/qapi";
    private static final String SKIPPED = "QAPI schema src/main/qapi/main.json and configuration unchanged since"
            + " the last run: skipping generation";
    private static final String GENERATED = "QAPI schema src/main/qapi/main.json: ";

    private static ScratchProject project(String name) throws IOException {
        return ScratchProject.create(name)
                .writeFile("src/main/qapi/main.json", """
                        # The root module.
                        { 'include': 'types/sub.json' }
                        { 'command': 'get-elem', 'data': { 'which': 'int' }, 'returns': 'Elem' }
                        { 'event': 'ELEM_CHANGED', 'data': { 'elem': 'Elem' } }
                        """)
                .writeFile("src/main/qapi/types/sub.json", """
                        # An included module.
                        { 'enum': 'Colour', 'data': [ 'red', 'green' ] }
                        { 'struct': 'Elem', 'data': { 'x': 'int', '*colour': 'Colour' } }
                        """)
                .writePom("<schema>src/main/qapi/main.json</schema>\n<packageName>org.example.qmp</packageName>",
                        "-Xlint:all", "-Werror");
    }

    @Test
    void generatesSkipsWhenUnchangedRegeneratesWhenAnIncludeChanges() throws Exception {
        ScratchProject p = project("incremental");

        // (a) generate-sources through compile: the generated code compiles.
        ScratchProject.Result first = p.mvn("compile");
        assertThat(first.exitCode()).as(first.output()).isZero();
        assertThat(first.output()).contains(GENERATED).doesNotContain(SKIPPED);
        assertThat(OutputWriter.readManifest(p.path(SOURCES))).as("sources manifest").isNotNull();
        assertThat(OutputWriter.readManifest(p.path(RESOURCES))).as("resources manifest").isNotEmpty();
        assertThat(OutputWriter.readManifest(p.path(SOURCES)))
                .contains("org/example/qmp/Colour.java", "org/example/qmp/Elem.java");
        for (String source : OutputWriter.readManifest(p.path(SOURCES))) {
            if (source.endsWith(".java")) {
                String classFile = "target/classes/" + source.substring(0, source.length() - 5) + ".class";
                assertThat(p.path(classFile)).as("compiled " + source).isRegularFile();
            }
        }
        for (String resource : OutputWriter.readManifest(p.path(RESOURCES))) {
            assertThat(p.path("target/classes/" + resource)).as("copied " + resource).isRegularFile();
        }
        assertThat(p.path("target/classes/" + OutputWriter.MANIFEST_NAME)).doesNotExist();
        assertThat(p.files("target/qapi4j-stamps")).containsExactly("default.stamp");
        String stampAfterFirst = Files.readString(p.path("target/qapi4j-stamps/default.stamp"));
        assertThat(stampAfterFirst).contains("src/main/qapi/main.json", "src/main/qapi/types/sub.json",
                "option package=org.example.qmp");

        // (b) nothing changed: skipped, not one file written (mtimes set far back stay there).
        Map<String, FileTime> before = backdateOutputs(p);
        ScratchProject.Result second = p.mvn("generate-sources");
        assertThat(second.exitCode()).as(second.output()).isZero();
        assertThat(second.output()).contains(SKIPPED).doesNotContain(GENERATED);
        assertThat(mtimes(p)).isEqualTo(before);

        // Rewriting a schema file with the same content is no change either: content is hashed.
        Path sub = p.path("src/main/qapi/types/sub.json");
        Files.writeString(sub, Files.readString(sub));
        Files.setLastModifiedTime(sub, FileTime.from(Instant.now()));
        ScratchProject.Result touched = p.mvn("generate-sources");
        assertThat(touched.output()).contains(SKIPPED);

        // (c) the included module's content changes: regenerated, new stamp.
        Map<String, String> contentBefore = contents(p);
        Files.writeString(sub, Files.readString(sub).replace("'green'", "'green', 'blue'"));
        ScratchProject.Result third = p.mvn("compile");
        assertThat(third.exitCode()).as(third.output()).isZero();
        assertThat(third.output()).contains(GENERATED).doesNotContain(SKIPPED);
        assertThat(Files.readString(p.path("target/qapi4j-stamps/default.stamp"))).isNotEqualTo(stampAfterFirst);
        // Output whose content stayed the same was not rewritten: it keeps the old mtime.
        Map<String, FileTime> after = mtimes(p);
        Map<String, String> contentAfter = contents(p);
        int kept = 0;
        for (Map.Entry<String, String> file : contentBefore.entrySet()) {
            if (file.getValue().equals(contentAfter.get(file.getKey()))) {
                assertThat(after.get(file.getKey())).as("mtime of unchanged " + file.getKey()).isEqualTo(OLD);
                kept++;
            }
        }
        assertThat(kept).as("unchanged outputs (the manifests at least)").isGreaterThanOrEqualTo(2);
        assertThat(after.get(SOURCES + "/org/example/qmp/Colour.java")).as("changed enum rewritten").isNotEqualTo(OLD);
        assertThat(after.get(SOURCES + "/org/example/qmp/Elem.java")).as("unchanged struct kept").isEqualTo(OLD);

        // A changed option regenerates too; skip=true does nothing at all.
        ScratchProject.Result skipped = p.mvn("generate-sources", "-Dqapi.skip=true");
        assertThat(skipped.output()).contains("QAPI generation skipped (skip=true)");
        ScratchProject.Result relaxed = p.mvn("generate-sources", "-Dqapi.docStyle=relaxed");
        assertThat(relaxed.output()).contains(GENERATED);
    }

    @Test
    void schemaErrorFailsTheBuildWithQemusMessageAndLocation() throws Exception {
        ScratchProject p = project("bad-schema");
        p.writeFile("src/main/qapi/types/sub.json", """
                # An included module.
                { 'enum': 'Colour', 'data': [ 'red', 'green' ] }
                { 'struct': 'Elem', 'data': { 'x': 'int', '*colour': 'Color' } }
                """);

        ScratchProject.Result run = p.mvn("generate-sources");

        assertThat(run.exitCode()).as(run.output()).isNotZero();
        String qemu = "In file included from src/main/qapi/main.json:2:\n"
                + "src/main/qapi/types/sub.json: In struct 'Elem':\n"
                + "src/main/qapi/types/sub.json:3: member 'colour' uses unknown type 'Color'";
        // Logged line by line at ERROR, FILE:LINE as QEMU prints it ...
        for (String line : qemu.split("\n")) {
            assertThat(run.output()).contains("[ERROR] " + line + "\n");
        }
        // ... and once with the absolute path in javac's form, which IDEs link.
        assertThat(run.output()).contains("[ERROR] " + p.path("src/main/qapi/types/sub.json")
                + ":[3,1] member 'colour' uses unknown type 'Color'");
        // The build failure's message is QEMU's message.
        assertThat(run.output()).contains("qapi-maven-plugin:" + System.getProperty("qapi4j.it.version")
                + ":generate (default) on project scratch: " + qemu.lines().findFirst().orElseThrow());
        assertThat(p.files("target/qapi4j-stamps")).isEmpty();

        // Fixed: generates (a failed run left no stamp that would make this one skip).
        p.writeFile("src/main/qapi/types/sub.json", """
                { 'enum': 'Colour', 'data': [ 'red', 'green' ] }
                { 'struct': 'Elem', 'data': { 'x': 'int', '*colour': 'Colour' } }
                """);
        ScratchProject.Result fixed = p.mvn("generate-sources");
        assertThat(fixed.exitCode()).as(fixed.output()).isZero();
        assertThat(fixed.output()).contains(GENERATED);
    }

    /** Sets every output file's and the stamp's mtime far back; returns them. */
    private static Map<String, FileTime> backdateOutputs(ScratchProject p) throws IOException {
        for (String file : outputFiles(p)) {
            Files.setLastModifiedTime(p.path(file), OLD);
        }
        return mtimes(p);
    }

    private static Map<String, FileTime> mtimes(ScratchProject p) throws IOException {
        Map<String, FileTime> times = new LinkedHashMap<>();
        for (String file : outputFiles(p)) {
            times.put(file, Files.getLastModifiedTime(p.path(file)));
        }
        return times;
    }

    private static Map<String, String> contents(ScratchProject p) throws IOException {
        Map<String, String> contents = new LinkedHashMap<>();
        for (String file : outputFiles(p)) {
            contents.put(file, Files.readString(p.path(file)));
        }
        return contents;
    }

    private static List<String> outputFiles(ScratchProject p) throws IOException {
        List<String> files = new ArrayList<>();
        for (String dir : List.of(SOURCES, RESOURCES, "target/qapi4j-stamps")) {
            for (String file : p.files(dir)) {
                files.add(dir + "/" + file);
            }
        }
        return files;
    }
}

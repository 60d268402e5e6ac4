package org.qapi4j.maven.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.qapi4j.maven.it.ReadmeQuotes.Block;
import org.qapi4j.maven.it.ReadmeQuotes.Kind;

/**
 * README's "Extending a schema", step by step, on a copy of {@code examples/qmp-server}, with
 * the README's own blocks: without what steps 1 and 3 add, the example builds; with step 1's
 * schema addition, the build fails with step 2's compiler message (the handler class no longer
 * implements its module's interface); with step 3's imports and method, {@code mvn verify}
 * passes, which runs the example's tests, step 4's included.
 */
class SchemaExtensionWorkflowIT {
    private static final String SECTION = "Extending a schema";
    private static final String EXAMPLE = "examples/qmp-server/";

    @Test
    void readmeStepsOnACopyOfTheServerExample() throws Exception {
        Path root = ScratchProject.projectRoot();
        List<Block> blocks = ReadmeQuotes.blocksIn(root.resolve("README.md"), SECTION);
        List<Block> added = blocks.stream().filter(b -> b.kind() == Kind.ADDED_TO).toList();
        List<Block> messages = blocks.stream().filter(b -> b.kind() == Kind.OUTPUT).toList();
        assertThat(added).as("blocks that steps add").isNotEmpty()
                .allSatisfy(b -> assertThat(b.target()).startsWith(EXAMPLE));
        assertThat(messages).as("step 2's message").hasSize(1);

        ScratchProject p = ScratchProject.create("extension").copyProject(root.resolve(EXAMPLE));
        // The example as it was before: every added block taken out of its file.
        Map<String, String> finished = new LinkedHashMap<>();
        for (Block block : added) {
            String file = block.target().substring(EXAMPLE.length());
            finished.putIfAbsent(file, Files.readString(p.path(file)));
            p.writeFile(file, ReadmeQuotes.remove(Files.readString(p.path(file)), block.lines()));
        }
        ScratchProject.Result before = p.mvn("compile");
        assertThat(before.exitCode()).as(before.output()).isZero();

        // Step 1 adds to the schema; step 2: the build names the handler that must change.
        restore(p, finished, added, 1);
        ScratchProject.Result step2 = p.mvn("compile");
        assertThat(step2.exitCode()).as(step2.output()).isNotZero();
        for (String line : messages.get(0).lines()) {
            assertThat(step2.output()).as("README step 2's message").contains(line);
        }

        // Step 3 implements it; the build passes and the example's tests (step 4's) run.
        restore(p, finished, added, 3);
        for (Map.Entry<String, String> file : finished.entrySet()) {
            assertThat(Files.readString(p.path(file.getKey()))).as("the whole example again: " + file.getKey())
                    .isEqualTo(file.getValue());
        }
        ScratchProject.Result step4 = p.mvn("verify");
        assertThat(step4.exitCode()).as(step4.output()).isZero();
        assertThat(step4.output()).contains("Tests run: ").contains("LampServerTest")
                .doesNotContain("Tests run: 0,");
    }

    /** Puts back the files that step {@code step}'s blocks were taken out of. */
    private static void restore(ScratchProject p, Map<String, String> finished, List<Block> added, int step)
            throws Exception {
        List<String> files = added.stream().filter(b -> b.step() == step)
                .map(b -> b.target().substring(EXAMPLE.length())).distinct().toList();
        assertThat(files).as("files step " + step + " adds to").isNotEmpty();
        for (String file : files) {
            p.writeFile(file, finished.get(file));
        }
    }
}

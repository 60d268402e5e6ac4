package org.qapi4j.maven.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.qapi4j.maven.it.ReadmeQuotes.Block;
import org.qapi4j.maven.it.ReadmeQuotes.Kind;

/**
 * README.md's sections on the plugin and on extending a schema show code by quoting the
 * examples (markers as {@code examples/README.md} defines them): every quoted block is found,
 * as it is shown, in the file it names, and those sections show no code of their own.
 * The examples themselves are built and run by {@code ExamplesIT}, and "Extending a schema"
 * step by step by {@code SchemaExtensionWorkflowIT}.
 */
class ReadmeQuotesTest {
    private static final List<String> QUOTING_SECTIONS = List.of("Maven plugin", "Extending a schema");

    private static Path root() {
        String configured = System.getProperty("qapi4j.projectRoot", "");
        Path root = configured.isEmpty() || configured.startsWith("${")
                ? Path.of("").toAbsolutePath().getParent()
                : Path.of(configured);
        return root.toAbsolutePath().normalize();
    }

    @Test
    void everyQuoteIsInTheFileItNames() throws IOException {
        Path root = root();
        List<String> problems = new ArrayList<>();
        int quotes = 0;
        for (Block block : ReadmeQuotes.blocks(root.resolve("README.md"))) {
            if (block.kind() == null || block.kind() == Kind.OUTPUT) {
                continue;
            }
            quotes++;
            Path file = root.resolve(block.target());
            if (!Files.isRegularFile(file)) {
                problems.add("README.md:" + block.line() + ": quotes " + block.target() + ", which does not exist");
            } else if (ReadmeQuotes.find(Files.readAllLines(file), block.lines()) == null) {
                problems.add("README.md:" + block.line() + ": not found as shown in " + block.target() + ":\n"
                        + block.text());
            } else if (block.kind() == Kind.ADDED_TO && block.lines().stream().anyMatch(ReadmeQuotes::isElision)) {
                problems.add("README.md:" + block.line() + ": what a step adds is shown whole, without '...'");
            }
        }
        assertThat(problems).as("README quotes").isEmpty();
        assertThat(quotes).as("quoted blocks in README.md").isGreaterThanOrEqualTo(6);
    }

    @Test
    void theQuotingSectionsShowOnlyQuotesAndCommands() throws IOException {
        Path readme = root().resolve("README.md");
        for (String section : QUOTING_SECTIONS) {
            List<Block> blocks = ReadmeQuotes.blocksIn(readme, section);
            assertThat(blocks).as("code blocks in '" + section + "'").isNotEmpty();
            for (Block block : blocks) {
                assertThat(block.kind() != null || block.language().equals("sh"))
                        .as("README.md:" + block.line() + " in '" + section + "' is neither a quote nor shell commands:\n"
                                + block.text())
                        .isTrue();
            }
        }
        assertThat(ReadmeQuotes.blocksIn(readme, "Extending a schema"))
                .as("Extending a schema: what steps 1 and 3 add, and step 2's compiler message")
                .anyMatch(b -> b.step() == 1 && b.kind() == Kind.ADDED_TO)
                .anyMatch(b -> b.step() == 2 && b.kind() == Kind.OUTPUT)
                .anyMatch(b -> b.step() == 3 && b.kind() == Kind.ADDED_TO);
    }

    @Test
    void findAllowsOneIndentationPerStretchAndElisions() {
        List<String> file = List.of("class A {", "    int a;", "", "    void f() {", "        g();", "    }", "}");
        assertThat(ReadmeQuotes.find(file, List.of("void f() {", "    g();", "}"))).isNotNull();
        assertThat(ReadmeQuotes.find(file, List.of("class A {", "...", "    void f() {"))).isNotNull();
        assertThat(ReadmeQuotes.find(file, List.of("int a;", "void f() {"))).as("not consecutive").isNull();
        assertThat(ReadmeQuotes.find(file, List.of("void f() {", "g();"))).as("indentation changed").isNull();
        assertThat(ReadmeQuotes.find(file, List.of("void f() {", "...", "class A {"))).as("order").isNull();
        assertThat(ReadmeQuotes.remove(String.join("\n", file), List.of("int a;", "")))
                .isEqualTo("class A {\n    void f() {\n        g();\n    }\n}\n");
    }
}

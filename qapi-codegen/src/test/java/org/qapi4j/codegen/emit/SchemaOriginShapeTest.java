package org.qapi4j.codegen.emit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.qapi4j.codegen.FrontEnd;
import org.qapi4j.codegen.ast.DocStyle;
import org.qapi4j.codegen.model.Conditions;
import org.qapi4j.codegen.model.Definition;
import org.qapi4j.codegen.model.Entity;
import org.qapi4j.codegen.model.Schema;
import org.qapi4j.codegen.testing.SharedData;

/** What generated code records of the schema it comes from ({@code SchemaIntrospection.origin()}). */
class SchemaOriginShapeTest {
    private static final String SCHEMA = """
            ##
            # @Old:
            #
            # Since: 2.12
            ##
            { 'struct': 'Old', 'data': { 'a': 'int' } }

            ##
            # @new-command:
            #
            # Since: 10.1.1 (it was x-new-command before)
            ##
            { 'command': 'new-command', 'returns': 'Old' }
            """;

    private static String introspection(GeneratorOptions options) {
        return JavaGenerator.generate(FrontEnd.loadText(Path.of("."), "test.json", SCHEMA, DocStyle.RELAXED), options)
                .stream().filter(file -> file.relativePath().endsWith("/SchemaIntrospection.java"))
                .findFirst().orElseThrow().content();
    }

    @Test
    void theNewestSinceAndTheDeclaredVersionAreRecorded() {
        GeneratorOptions options = new GeneratorOptions("org.example", Conditions.all(), false);
        assertThat(introspection(options)).contains("new SchemaOrigin(\"test.json\",")
                .contains("new QemuVersion(10, 1, 1), null)");
        assertThat(introspection(options.withQemuVersion("10.2")))
                .contains("new QemuVersion(10, 1, 1), new QemuVersion(10, 2, 0))");
        assertThatThrownBy(() -> options.withQemuVersion("ten"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MAJOR.MINOR");
    }

    @Test
    void qemusSchemasSayWhichReleaseTheyAreAtLeast() {
        Path qemu = SharedData.requireQemuDir();
        assertThat(newestSince(FrontEnd.load(qemu.resolve("qapi-7.2"), "qapi-schema.json", DocStyle.RELAXED)))
                .containsExactly(7, 2, 0);
        assertThat(newestSince(FrontEnd.load(qemu.resolve("qapi-master"), "qapi-schema.json", DocStyle.STRICT)))
                .containsExactly(10, 2, 0);
    }

    private static int[] newestSince(Schema schema) {
        List<Definition> definitions = new ArrayList<>();
        for (Entity entity : schema.entities()) {
            if (entity instanceof Definition definition) {
                definitions.add(definition);
            }
        }
        return SchemaOriginShape.newestSince(definitions);
    }
}

package org.qapi4j.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.qapi4j.codegen.FrontEnd;
import org.qapi4j.codegen.ast.DocStyle;
import org.qapi4j.codegen.model.Conditions;
import org.qapi4j.codegen.emit.GeneratorOptions;
import org.qapi4j.codegen.model.Schema;

/**
 * Valid schemas whose nested records would take the name of the type they are nested in: Java
 * forbids that (JLS 8.1: a class may not have the simple name of a class enclosing it), so the
 * generator must pick another name. Each case is its own small schema, so that one failure does
 * not hide the others or the round trips of the big schemas.
 */
class NestedNameClashTest {
    private static GeneratedCode compile(String name, String text) {
        Schema schema = FrontEnd.loadText(Path.of("."), name + ".json", text, DocStyle.STRICT);
        return GeneratedCode.compile(schema, new GeneratorOptions("org.qapi4j.roundtrip.clash." + name, Conditions.all(), false));
    }

    @Test
    void unionBranchNamedLikeTheUnion() {
        GeneratedCode code = compile("union",
                "{ 'enum': 'ShapeKind', 'data': [ 'shape', 'other' ] }\n"
                + "{ 'union': 'Shape', 'base': { 'kind': 'ShapeKind' }, 'discriminator': 'kind', 'data': {} }\n");
        assertThat(code.load(code.names().type("Shape")).getPermittedSubclasses()).hasSize(3);
    }

    @Test
    void alternativeNamedLikeTheAlternate() {
        GeneratedCode code = compile("alternate",
                "{ 'struct': 'Box', 'data': { 'a': 'int' } }\n"
                + "{ 'alternate': 'Alt', 'data': { 'alt': 'int', 'box': 'Box' } }\n");
        assertThat(code.load(code.names().type("Alt")).getPermittedSubclasses()).hasSize(3);
    }

    @Test
    void eventNamedLikeTheEventInterface() {
        GeneratedCode code = compile("event", "{ 'event': 'EVENT', 'data': { 'a': 'int' } }\n");
        assertThat(code.load(code.names().event("EVENT"))).isNotNull();
    }
}

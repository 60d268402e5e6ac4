package org.qapi4j.codegen.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qapi4j.codegen.ast.DocStyle;

class ModuleAndVisitorTest {

    @Test
    void pathArithmeticAsPython() {
        assertThat(ModuleNames.dirname("a/b.json")).isEqualTo("a");
        assertThat(ModuleNames.dirname("b.json")).isEmpty();
        assertThat(ModuleNames.dirname("/b.json")).isEqualTo("/");
        assertThat(ModuleNames.dirname("a//b.json")).isEqualTo("a");
        assertThat(ModuleNames.relpath("a/sub/../c.json", "a")).isEqualTo("c.json");
        assertThat(ModuleNames.relpath("x/c.json", "a")).isEqualTo("../x/c.json");
        assertThat(ModuleNames.relpath("a", "a")).isEqualTo(".");
    }

    @Test
    void modulesAreNamedRelativeToTheRootSchema(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("top/sub"));
        Files.writeString(dir.resolve("top/main.json"), "{ 'include': 'sub/types.json' }\n"
                + "{ 'command': 'c', 'data': { 'a': ['Elem'] } }\n");
        Files.writeString(dir.resolve("top/sub/types.json"), "{ 'struct': 'Elem', 'data': {} }\n");
        Schema schema = SchemaFixtures.buildFile(dir, "top/main.json", DocStyle.STRICT);

        List<String> modules = new ArrayList<>();
        for (Module m : schema.modules()) {
            modules.add(m.name());
        }
        assertThat(modules).containsExactly("./builtin", "main.json", "sub/types.json");
        // An array type lives with its element type; the implicit argument type with its user.
        assertThat(schema.lookupType("ElemList").module().name()).isEqualTo("sub/types.json");
        assertThat(schema.lookupType("q_obj_c-arg").module().name()).isEqualTo("main.json");
        assertThat(SchemaDumper.dump(schema)).contains("module main.json\ninclude sub/types.json\n"
                + "object q_obj_c-arg\n    member a: ElemList optional=False\ncommand c q_obj_c-arg -> None\n");
    }

    @Test
    void visitorSeesFlatMembersAndImplicitBranches() {
        Schema schema = SchemaFixtures.build("{ 'enum': 'Kind', 'data': ['a', { 'name': 'b', 'if': 'B' }] }\n"
                + "{ 'struct': 'Base', 'data': { 'k': 'Kind', 'x': 'int' } }\n"
                + "{ 'struct': 'Arm', 'data': { 'y': 'str' } }\n"
                + "{ 'union': 'Union', 'base': 'Base', 'discriminator': 'k', 'data': { 'a': 'Arm' } }");
        List<String> seen = new ArrayList<>();
        schema.visit(new SchemaVisitor() {
            @Override
            public void visitObjectTypeFlat(ObjectType type) {
                if (type.name().equals("Union")) {
                    type.members().forEach(m -> seen.add(m.name()));
                    type.branches().variants().forEach(v -> seen.add(v.name() + ":" + v.type().name()
                            + (v.ifCond().isPresent() ? "?" + v.ifCond().cgen() : "")));
                }
            }

            @Override
            public boolean visitNeeded(Entity entity) {
                return !(entity instanceof BuiltinType);
            }
        });
        assertThat(seen).containsExactly("k", "x", "a:Arm", "b:q_empty?defined(B)");
        ObjectType union = (ObjectType) schema.lookupEntity("Union");
        assertThat(union.meta()).isEqualTo("union");
        assertThat(union.localMembers()).isEmpty();
        assertThat(union.branches().tagMember().name()).isEqualTo("k");
        assertThat(schema.features()).extracting(Feature::name).containsExactly("deprecated", "unstable");
    }
}

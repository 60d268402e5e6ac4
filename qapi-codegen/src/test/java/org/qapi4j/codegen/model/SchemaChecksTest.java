package org.qapi4j.codegen.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.qapi4j.codegen.ast.DocStyle;
import org.qapi4j.codegen.diag.SchemaException;

/** Each {@code raise QAPISemError} of QEMU's schema.py: message and location. */
class SchemaChecksTest {

    private static void assertError(String schema, String expected) {
        assertThatThrownBy(() -> SchemaFixtures.build(schema))
                .isInstanceOfSatisfying(SchemaException.class,
                        e -> assertThat(e.diagnostic().render()).isEqualTo(expected));
    }

    @Test
    void featureDeprecatedOnType() {
        assertError("{ 'enum': 'E', 'data': ['a'], 'features': ['unstable'] }",
                "test.json: In enum 'E':\ntest.json:1: feature 'unstable' is not supported for types");
    }

    @Test
    void duplicateFeature() {
        assertError("{ 'command': 'c', 'features': ['f', 'f'] }",
                "test.json: In command 'c':\ntest.json:1: feature 'f' collides with feature 'f'");
    }

    @Test
    void duplicateMemberFeature() {
        assertError("{ 'struct': 'S', 'data': { 'm': { 'type': 'int', 'features': ['x', 'x'] } } }",
                "test.json: In struct 'S':\ntest.json:1: feature 'x' of type 'm' collides with feature 'x' of type 'm'");
    }

    @Test
    void objectContainsItself() {
        assertError("{ 'struct': 'A', 'base': 'B', 'data': {} }\n{ 'struct': 'B', 'base': 'A', 'data': {} }",
                "test.json: In struct 'A':\ntest.json:1: object A contains itself");
    }

    @Test
    void baseMustBeStruct() {
        assertError("{ 'enum': 'E', 'data': ['a'] }\n{ 'struct': 'S', 'base': 'E', 'data': {} }",
                "test.json: In struct 'S':\ntest.json:2: 'base' requires a struct type, enum type 'E' isn't");
    }

    @Test
    void baseUnknown() {
        assertError("{ 'struct': 'S', 'base': 'Nope', 'data': {} }",
                "test.json: In struct 'S':\ntest.json:1: 'base' uses unknown type 'Nope'");
    }

    @Test
    void memberUnknownType() {
        assertError("{ 'struct': 'S', 'data': { 'm': 'Nope' } }",
                "test.json: In struct 'S':\ntest.json:1: member 'm' uses unknown type 'Nope'");
    }

    @Test
    void arrayElementUnknownType() {
        assertError("{ 'struct': 'S', 'data': { 'm': ['Nope'] } }",
                "test.json: In struct 'S':\ntest.json:1: struct uses unknown type 'Nope'");
    }

    @Test
    void memberClash() {
        assertError("{ 'struct': 'S', 'data': { 'a-b': 'int', 'a_b': 'str' } }",
                "test.json: In struct 'S':\ntest.json:1: member 'a_b' collides with member 'a-b'");
    }

    @Test
    void baseMemberClash() {
        assertError("{ 'struct': 'B', 'data': { 'x': 'int' } }\n{ 'struct': 'S', 'base': 'B', 'data': { 'x': 'int' } }",
                "test.json: In struct 'S':\ntest.json:2: member 'x' collides with member 'x' of type 'B'");
    }

    @Test
    void enumValueClash() {
        assertError("{ 'enum': 'E', 'data': ['a-b', 'a_b'] }",
                "test.json: In enum 'E':\ntest.json:1: value 'a_b' collides with value 'a-b'");
    }

    @Test
    void alternateCannotUse() {
        assertError("{ 'alternate': 'A', 'data': { 'x': 'any' } }",
                "test.json: In alternate 'A':\ntest.json:1: branch 'x' cannot use built-in type 'any'");
    }

    @Test
    void alternateIndistinguishable() {
        assertError("{ 'alternate': 'A', 'data': { 'x': 'str', 'y': 'int' } }",
                "test.json: In alternate 'A':\ntest.json:1: branch 'y' can't be distinguished from 'x'");
        assertError("{ 'enum': 'E', 'data': ['on'] }\n{ 'alternate': 'A', 'data': { 'x': 'bool', 'y': 'E' } }",
                "test.json: In alternate 'A':\ntest.json:2: branch 'y' can't be distinguished from 'x'");
        assertError("{ 'enum': 'E', 'data': ['1'] }\n{ 'alternate': 'A', 'data': { 'x': 'number', 'y': 'E' } }",
                "test.json: In alternate 'A':\ntest.json:2: branch 'y' can't be distinguished from 'x'");
    }

    @Test
    void alternateBranchClash() {
        assertError("{ 'alternate': 'A', 'data': { 'a-b': 'str', 'a_b': 'int' } }",
                "test.json: In alternate 'A':\ntest.json:1: branch 'a_b' collides with branch 'a-b'");
    }

    @Test
    void alternateUnknownType() {
        assertError("{ 'alternate': 'A', 'data': { 'x': 'Nope' } }",
                "test.json: In alternate 'A':\ntest.json:1: branch 'x' uses unknown type 'Nope'");
    }

    private static final String BASE = "{ 'enum': 'E', 'data': ['a', 'b'] }\n";

    @Test
    void discriminatorNotMember() {
        assertError(BASE + "{ 'union': 'U', 'base': { 'k': 'E' }, 'discriminator': 'kind', 'data': {} }",
                "test.json: In union 'U':\ntest.json:2: discriminator 'kind' is not a member of 'base'");
    }

    @Test
    void discriminatorNotEnum() {
        assertError("{ 'struct': 'B', 'data': { 'k': 'str' } }\n"
                + "{ 'union': 'U', 'base': 'B', 'discriminator': 'k', 'data': {} }",
                "test.json: In union 'U':\ntest.json:2: discriminator member 'k' of base type 'B' must be of enum type");
    }

    @Test
    void discriminatorOptional() {
        assertError(BASE + "{ 'union': 'U', 'base': { '*k': 'E' }, 'discriminator': 'k', 'data': {} }",
                "test.json: In union 'U':\ntest.json:2: discriminator member 'k' of 'base' must not be optional");
    }

    @Test
    void discriminatorConditional() {
        assertError(BASE + "{ 'union': 'U', 'base': { 'k': { 'type': 'E', 'if': 'C' } }, 'discriminator': 'k', 'data': {} }",
                "test.json: In union 'U':\ntest.json:2: discriminator member 'k' of 'base' must not be conditional");
    }

    @Test
    void unionWithoutBranches() {
        assertError("{ 'enum': 'E', 'data': [] }\n"
                + "{ 'union': 'U', 'base': { 'k': 'E' }, 'discriminator': 'k', 'data': {} }",
                "test.json: In union 'U':\ntest.json:2: union has no branches");
    }

    @Test
    void branchNotEnumValue() {
        assertError(BASE + "{ 'struct': 'S', 'data': {} }\n"
                + "{ 'union': 'U', 'base': { 'k': 'E' }, 'discriminator': 'k', 'data': { 'c': 'S' } }",
                "test.json: In union 'U':\ntest.json:3: branch 'c' is not a value of enum type 'E'");
    }

    @Test
    void branchNotObject() {
        assertError(BASE + "{ 'union': 'U', 'base': { 'k': 'E' }, 'discriminator': 'k', 'data': { 'a': 'int' } }",
                "test.json: In union 'U':\ntest.json:2: branch 'a' cannot use built-in type 'int'");
    }

    @Test
    void branchMemberClashesWithBase() {
        assertError(BASE + "{ 'struct': 'S', 'data': { 'k': 'str' } }\n"
                + "{ 'union': 'U', 'base': { 'k': 'E' }, 'discriminator': 'k', 'data': { 'a': 'S' } }",
                "test.json: In union 'U':\ntest.json:3: member 'k' of type 'S' collides with base member 'k'");
    }

    @Test
    void commandArguments() {
        assertError("{ 'command': 'c', 'data': 'Nope' }",
                "test.json: In command 'c':\ntest.json:1: command's 'data' uses unknown type 'Nope'");
        assertError("{ 'command': 'c', 'data': 'int' }",
                "test.json: In command 'c':\ntest.json:1: command's 'data' cannot take built-in type 'int'");
        assertError(BASE + "{ 'union': 'U', 'base': { 'k': 'E' }, 'discriminator': 'k', 'data': {} }\n"
                + "{ 'command': 'c', 'data': 'U' }",
                "test.json: In command 'c':\ntest.json:3: command's 'data' can take union type 'U' only with 'boxed': true");
        assertError("{ 'command': 'c', 'data': { 'm': { 'type': 'int', 'if': 'C' } } }",
                "test.json: In command 'c':\ntest.json:1: conditional command arguments require 'boxed': true");
        assertError("{ 'command': 'c', 'data': { 'm': 'Nope' } }",
                "test.json: In command 'c':\ntest.json:1: parameter 'm' uses unknown type 'Nope'");
    }

    @Test
    void commandReturns() {
        assertError("{ 'command': 'c', 'returns': 'Nope' }",
                "test.json: In command 'c':\ntest.json:1: command's 'returns' uses unknown type 'Nope'");
        assertError("{ 'command': 'c', 'returns': ['str'] }",
                "test.json: In command 'c':\ntest.json:1: command's 'returns' cannot take array type ['str']");
    }

    @Test
    void commandReturnsExceptionPragma() {
        Schema schema = SchemaFixtures.build(
                "{ 'pragma': { 'command-returns-exceptions': ['c'] } }\n{ 'command': 'c', 'returns': 'int' }");
        assertThat(((Command) schema.lookupEntity("c")).retType().name()).isEqualTo("int");
    }

    @Test
    void eventArguments() {
        assertError("{ 'event': 'E', 'data': 'Nope' }",
                "test.json: In event 'E':\ntest.json:1: event's 'data' uses unknown type 'Nope'");
        assertError("{ 'event': 'E', 'data': 'str' }",
                "test.json: In event 'E':\ntest.json:1: event's 'data' cannot take built-in type 'str'");
        assertError("{ 'enum': 'K', 'data': ['a'] }\n"
                + "{ 'union': 'U', 'base': { 'k': 'K' }, 'discriminator': 'k', 'data': {} }\n"
                + "{ 'event': 'E', 'data': 'U' }",
                "test.json: In event 'E':\ntest.json:3: event's 'data' can take union type 'U' only with 'boxed': true");
        assertError("{ 'event': 'E', 'data': { 'm': { 'type': 'int', 'if': 'C' } } }",
                "test.json: In event 'E':\ntest.json:1: conditional event arguments require 'boxed': true");
    }

    @Test
    void boxedAllowsUnionsAndConditionalMembers() {
        Schema schema = SchemaFixtures.build("{ 'struct': 'S', 'data': { 'm': { 'type': 'int', 'if': 'C' } } }\n"
                + "{ 'event': 'E', 'data': 'S', 'boxed': true }");
        assertThat(((Event) schema.lookupEntity("E")).argType().name()).isEqualTo("S");
    }

    @Test
    void alreadyDefined() {
        assertError("{ 'struct': 'S', 'data': {} }\n{ 'enum': 'S', 'data': ['a'] }",
                "test.json: In enum 'S':\ntest.json:2: 'S' is already defined\n"
                        + "test.json: In struct 'S':\ntest.json:1: previous definition");
        assertError("{ 'struct': 'int', 'data': {} }",
                "test.json: In struct 'int':\ntest.json:1: built-in type 'int' is already defined");
        assertError("{ 'struct': 'strList', 'data': {} }",
                "test.json: In struct 'strList':\ntest.json:1: array type ['str'] is already defined");
    }

    @Test
    void implicitArgumentTypeOfDuplicateCommand() {
        assertError("{ 'command': 'c', 'data': { 'a': 'int' } }\n{ 'command': 'c', 'data': { 'b': 'int' } }",
                "test.json: In command 'c':\ntest.json:2: 'c' is already defined\n"
                        + "test.json: In command 'c':\ntest.json:1: previous definition");
    }

    @Test
    void tooManyFeatures() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 63; i++) {
            names.add("'f" + i + "'");
        }
        assertError("{ 'command': 'c', 'features': [" + String.join(", ", names) + "] }",
                "test.json: In command 'c':\ntest.json:1: Maximum of 64 schema features is permitted");
        names.remove(0);
        SchemaFixtures.build("{ 'command': 'c', 'features': [" + String.join(", ", names) + "] }");
    }

    @Test
    void undocumentedMember() {
        String schema = "##\n# @S:\n##\n{ 'struct': 'S', 'data': { 'm': 'int' } }";
        assertError(schema, "test.json: In struct 'S':\ntest.json:4: member 'm' lacks documentation");
        Schema relaxed = SchemaFixtures.build(schema, DocStyle.RELAXED);
        assertThat(relaxed.docs().get(0).args()).containsOnlyKeys("m");
    }

    @Test
    void undocumentedFeatureAndBogusDoc() {
        String schema = "##\n# @c:\n#\n# @x: bogus\n#\n# Features:\n#\n# @g: bogus\n##\n"
                + "{ 'command': 'c', 'features': ['f'] }";
        assertError(schema, "test.json: In command 'c':\ntest.json:10: feature 'f' lacks documentation");
        SchemaFixtures.build(schema, DocStyle.RELAXED);
    }
}

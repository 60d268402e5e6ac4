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
        assertError("{ 'enum': 'Enum', 'data': ['a'], 'features': ['unstable'] }",
                "test.json: In enum 'Enum':\ntest.json:1: feature 'unstable' is not supported for types");
    }

    @Test
    void duplicateFeature() {
        assertError("{ 'command': 'c', 'features': ['f', 'f'] }",
                "test.json: In command 'c':\ntest.json:1: feature 'f' collides with feature 'f'");
    }

    @Test
    void duplicateMemberFeature() {
        assertError("{ 'struct': 'Obj', 'data': { 'm': { 'type': 'int', 'features': ['x', 'x'] } } }",
                "test.json: In struct 'Obj':\ntest.json:1: feature 'x' of type 'm' collides with feature 'x' of type 'm'");
    }

    @Test
    void objectContainsItself() {
        assertError("{ 'struct': 'Foo', 'base': 'Bar', 'data': {} }\n{ 'struct': 'Bar', 'base': 'Foo', 'data': {} }",
                "test.json: In struct 'Foo':\ntest.json:1: object Foo contains itself");
    }

    @Test
    void baseMustBeStruct() {
        assertError("{ 'enum': 'Enum', 'data': ['a'] }\n{ 'struct': 'Obj', 'base': 'Enum', 'data': {} }",
                "test.json: In struct 'Obj':\ntest.json:2: 'base' requires a struct type, enum type 'Enum' isn't");
    }

    @Test
    void baseUnknown() {
        assertError("{ 'struct': 'Obj', 'base': 'Nope', 'data': {} }",
                "test.json: In struct 'Obj':\ntest.json:1: 'base' uses unknown type 'Nope'");
    }

    @Test
    void memberUnknownType() {
        assertError("{ 'struct': 'Obj', 'data': { 'm': 'Nope' } }",
                "test.json: In struct 'Obj':\ntest.json:1: member 'm' uses unknown type 'Nope'");
    }

    @Test
    void arrayElementUnknownType() {
        assertError("{ 'struct': 'Obj', 'data': { 'm': ['Nope'] } }",
                "test.json: In struct 'Obj':\ntest.json:1: struct uses unknown type 'Nope'");
    }

    @Test
    void memberClash() {
        // expr.py rejects '_' in member names unless the type is in pragma member-name-exceptions.
        assertError("{ 'pragma': { 'member-name-exceptions': ['Obj'] } }\n"
                + "{ 'struct': 'Obj', 'data': { 'a-b': 'int', 'a_b': 'str' } }",
                "test.json: In struct 'Obj':\ntest.json:2: member 'a_b' collides with member 'a-b'");
    }

    @Test
    void baseMemberClash() {
        assertError("{ 'struct': 'Base', 'data': { 'x': 'int' } }\n{ 'struct': 'Obj', 'base': 'Base', 'data': { 'x': 'int' } }",
                "test.json: In struct 'Obj':\ntest.json:2: member 'x' collides with member 'x' of type 'Base'");
    }

    @Test
    void enumValueClash() {
        // expr.py rejects '_' in enum values unless the enum is in pragma member-name-exceptions.
        assertError("{ 'pragma': { 'member-name-exceptions': ['Enum'] } }\n"
                + "{ 'enum': 'Enum', 'data': ['a-b', 'a_b'] }",
                "test.json: In enum 'Enum':\ntest.json:2: value 'a_b' collides with value 'a-b'");
    }

    @Test
    void alternateCannotUse() {
        assertError("{ 'alternate': 'Alt', 'data': { 'x': 'any' } }",
                "test.json: In alternate 'Alt':\ntest.json:1: branch 'x' cannot use built-in type 'any'");
    }

    @Test
    void alternateIndistinguishable() {
        assertError("{ 'alternate': 'Alt', 'data': { 'x': 'str', 'y': 'int' } }",
                "test.json: In alternate 'Alt':\ntest.json:1: branch 'y' can't be distinguished from 'x'");
        assertError("{ 'enum': 'Enum', 'data': ['on'] }\n{ 'alternate': 'Alt', 'data': { 'x': 'bool', 'y': 'Enum' } }",
                "test.json: In alternate 'Alt':\ntest.json:2: branch 'y' can't be distinguished from 'x'");
        assertError("{ 'enum': 'Enum', 'data': ['1'] }\n{ 'alternate': 'Alt', 'data': { 'x': 'number', 'y': 'Enum' } }",
                "test.json: In alternate 'Alt':\ntest.json:2: branch 'y' can't be distinguished from 'x'");
    }

    @Test
    void alternateBranchClash() {
        // expr.py rejects '_' in branch names (no pragma exception for alternates), but '.' and '-'
        // in a downstream prefix are allowed and both map to '_' in C.
        assertError("{ 'alternate': 'Alt', 'data': { '__org-qemu_x': 'str', '__org.qemu_x': 'int' } }",
                "test.json: In alternate 'Alt':\ntest.json:1: branch '__org.qemu_x' collides with branch '__org-qemu_x'");
    }

    @Test
    void alternateUnknownType() {
        assertError("{ 'alternate': 'Alt', 'data': { 'x': 'Nope' } }",
                "test.json: In alternate 'Alt':\ntest.json:1: branch 'x' uses unknown type 'Nope'");
    }

    private static final String BASE = "{ 'enum': 'Enum', 'data': ['a', 'b'] }\n";

    @Test
    void discriminatorNotMember() {
        assertError(BASE + "{ 'union': 'Union', 'base': { 'k': 'Enum' }, 'discriminator': 'kind', 'data': {} }",
                "test.json: In union 'Union':\ntest.json:2: discriminator 'kind' is not a member of 'base'");
    }

    @Test
    void discriminatorNotEnum() {
        assertError("{ 'struct': 'Base', 'data': { 'k': 'str' } }\n"
                + "{ 'union': 'Union', 'base': 'Base', 'discriminator': 'k', 'data': {} }",
                "test.json: In union 'Union':\ntest.json:2: discriminator member 'k' of base type 'Base' must be of enum type");
    }

    @Test
    void discriminatorOptional() {
        assertError(BASE + "{ 'union': 'Union', 'base': { '*k': 'Enum' }, 'discriminator': 'k', 'data': {} }",
                "test.json: In union 'Union':\ntest.json:2: discriminator member 'k' of 'base' must not be optional");
    }

    @Test
    void discriminatorConditional() {
        assertError(BASE + "{ 'union': 'Union', 'base': { 'k': { 'type': 'Enum', 'if': 'C' } }, 'discriminator': 'k', 'data': {} }",
                "test.json: In union 'Union':\ntest.json:2: discriminator member 'k' of 'base' must not be conditional");
    }

    @Test
    void unionWithoutBranches() {
        assertError("{ 'enum': 'Enum', 'data': [] }\n"
                + "{ 'union': 'Union', 'base': { 'k': 'Enum' }, 'discriminator': 'k', 'data': {} }",
                "test.json: In union 'Union':\ntest.json:2: union has no branches");
    }

    @Test
    void branchNotEnumValue() {
        assertError(BASE + "{ 'struct': 'Obj', 'data': {} }\n"
                + "{ 'union': 'Union', 'base': { 'k': 'Enum' }, 'discriminator': 'k', 'data': { 'c': 'Obj' } }",
                "test.json: In union 'Union':\ntest.json:3: branch 'c' is not a value of enum type 'Enum'");
    }

    @Test
    void branchNotObject() {
        assertError(BASE + "{ 'union': 'Union', 'base': { 'k': 'Enum' }, 'discriminator': 'k', 'data': { 'a': 'int' } }",
                "test.json: In union 'Union':\ntest.json:2: branch 'a' cannot use built-in type 'int'");
    }

    @Test
    void branchMemberClashesWithBase() {
        assertError(BASE + "{ 'struct': 'Obj', 'data': { 'k': 'str' } }\n"
                + "{ 'union': 'Union', 'base': { 'k': 'Enum' }, 'discriminator': 'k', 'data': { 'a': 'Obj' } }",
                "test.json: In union 'Union':\ntest.json:3: member 'k' of type 'Obj' collides with base member 'k'");
    }

    @Test
    void commandArguments() {
        assertError("{ 'command': 'c', 'data': 'Nope' }",
                "test.json: In command 'c':\ntest.json:1: command's 'data' uses unknown type 'Nope'");
        assertError("{ 'command': 'c', 'data': 'int' }",
                "test.json: In command 'c':\ntest.json:1: command's 'data' cannot take built-in type 'int'");
        assertError(BASE + "{ 'union': 'Union', 'base': { 'k': 'Enum' }, 'discriminator': 'k', 'data': {} }\n"
                + "{ 'command': 'c', 'data': 'Union' }",
                "test.json: In command 'c':\ntest.json:3: command's 'data' can take union type 'Union' only with 'boxed': true");
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
        assertError("{ 'enum': 'Kind', 'data': ['a'] }\n"
                + "{ 'union': 'Union', 'base': { 'k': 'Kind' }, 'discriminator': 'k', 'data': {} }\n"
                + "{ 'event': 'E', 'data': 'Union' }",
                "test.json: In event 'E':\ntest.json:3: event's 'data' can take union type 'Union' only with 'boxed': true");
        assertError("{ 'event': 'E', 'data': { 'm': { 'type': 'int', 'if': 'C' } } }",
                "test.json: In event 'E':\ntest.json:1: conditional event arguments require 'boxed': true");
    }

    @Test
    void boxedAllowsUnionsAndConditionalMembers() {
        Schema schema = SchemaFixtures.build("{ 'struct': 'Obj', 'data': { 'm': { 'type': 'int', 'if': 'C' } } }\n"
                + "{ 'event': 'E', 'data': 'Obj', 'boxed': true }");
        assertThat(((Event) schema.lookupEntity("E")).argType().name()).isEqualTo("Obj");
    }

    @Test
    void alreadyDefined() {
        assertError("{ 'struct': 'Obj', 'data': {} }\n{ 'enum': 'Obj', 'data': ['a'] }",
                "test.json: In enum 'Obj':\ntest.json:2: 'Obj' is already defined\n"
                        + "test.json: In struct 'Obj':\ntest.json:1: previous definition");
        // The only predefined type expr.py lets a definition redefine is the CamelCase enum QType.
        assertError("{ 'struct': 'QType', 'data': {} }",
                "test.json: In struct 'QType':\ntest.json:1: enum type 'QType' is already defined");
        // Unreachable through expr.py: the built-in scalars' names and the names of arrays of
        // them are not CamelCase, and any other array type's name ends in 'List'; expr.py rejects
        // such definitions before schema.py could report "... is already defined".
        assertError("{ 'struct': 'int', 'data': {} }",
                "test.json: In struct 'int':\ntest.json:1: name of struct must use CamelCase");
        assertError("{ 'struct': 'strList', 'data': {} }",
                "test.json: In struct 'strList':\ntest.json:1: name of struct must use CamelCase");
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
        String schema = "##\n# @Obj:\n##\n{ 'struct': 'Obj', 'data': { 'm': 'int' } }";
        assertError(schema, "test.json: In struct 'Obj':\ntest.json:4: member 'm' lacks documentation");
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

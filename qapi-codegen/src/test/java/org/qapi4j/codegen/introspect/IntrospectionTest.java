package org.qapi4j.codegen.introspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qapi4j.codegen.FrontEnd;
import org.qapi4j.codegen.ast.DocStyle;
import org.qapi4j.codegen.model.Conditions;
import org.qapi4j.codegen.model.Schema;

/** The rules of introspection, one at a time, on small schemas. */
class IntrospectionTest {

    /** Each entry as compact JSON, one string per entry. */
    private static List<String> entries(Schema schema, boolean unmask, Conditions conditions) {
        List<String> lines = new ArrayList<>();
        for (Object entry : Introspection.build(schema, unmask, conditions)) {
            lines.add(IntrospectionJson.write(List.of(entry)).replaceAll("^\\[|\\]$", ""));
        }
        return lines;
    }

    private static List<String> masked(String text) {
        return entries(Fixtures.schema(text), false, Conditions.all());
    }

    private static List<String> unmasked(String text) {
        return entries(Fixtures.schema(text), true, Conditions.all());
    }

    @Test
    void onlyWhatCommandsAndEventsReachAppearsCommandsAndEventsFirst() {
        List<String> out = unmasked("{ 'struct': 'Unused', 'data': { 'a': 'str' } }\n"
                + "{ 'enum': 'AlsoUnused', 'data': [ 'x' ] }\n"
                + "{ 'struct': 'Used', 'data': { 'b': 'bool' } }\n"
                + "{ 'event': 'EV', 'data': 'Used' }\n"
                + "{ 'command': 'cmd' }");
        assertThat(out).containsExactly(
                "{\"arg-type\":\"Used\",\"name\":\"EV\",\"meta-type\":\"event\"}",
                "{\"arg-type\":\"q_empty\",\"ret-type\":\"q_empty\",\"name\":\"cmd\",\"meta-type\":\"command\"}",
                "{\"members\":[{\"name\":\"b\",\"type\":\"bool\"}],\"name\":\"Used\",\"meta-type\":\"object\"}",
                "{\"members\":[],\"name\":\"q_empty\",\"meta-type\":\"object\"}",
                "{\"json-type\":\"boolean\",\"name\":\"bool\",\"meta-type\":\"builtin\"}");
    }

    @Test
    void typeNamesAreNumberedInTheOrderFirstReached() {
        List<String> out = masked("{ 'struct': 'Beta', 'data': { 'a': 'Alpha' } }\n"
                + "{ 'struct': 'Alpha', 'data': { 'n': 'str' } }\n"
                + "{ 'command': 'one', 'data': { 'b': 'Beta' }, 'returns': 'Alpha' }\n"
                + "{ 'command': 'two', 'returns': 'Beta' }");
        assertThat(out).containsExactly(
                // q_obj_one-arg is 0, Alpha (the return type) 1, q_empty 2; Beta is reached from 0 later.
                "{\"arg-type\":\"0\",\"ret-type\":\"1\",\"name\":\"one\",\"meta-type\":\"command\"}",
                "{\"arg-type\":\"2\",\"ret-type\":\"3\",\"name\":\"two\",\"meta-type\":\"command\"}",
                "{\"members\":[{\"name\":\"b\",\"type\":\"3\"}],\"name\":\"0\",\"meta-type\":\"object\"}",
                "{\"members\":[{\"name\":\"n\",\"type\":\"str\"}],\"name\":\"1\",\"meta-type\":\"object\"}",
                "{\"members\":[],\"name\":\"2\",\"meta-type\":\"object\"}",
                "{\"members\":[{\"name\":\"a\",\"type\":\"1\"}],\"name\":\"3\",\"meta-type\":\"object\"}",
                "{\"json-type\":\"string\",\"name\":\"str\",\"meta-type\":\"builtin\"}");
    }

    @Test
    void unmaskShowsTheRealNamesIncludingImplicitTypes() {
        List<String> out = unmasked("{ 'struct': 'Alpha', 'data': { 'n': 'str' } }\n"
                + "{ 'command': 'one', 'data': { 'a': 'Alpha' } }");
        assertThat(out).containsExactly(
                "{\"arg-type\":\"q_obj_one-arg\",\"ret-type\":\"q_empty\",\"name\":\"one\",\"meta-type\":\"command\"}",
                "{\"members\":[{\"name\":\"a\",\"type\":\"Alpha\"}],\"name\":\"q_obj_one-arg\",\"meta-type\":\"object\"}",
                "{\"members\":[],\"name\":\"q_empty\",\"meta-type\":\"object\"}",
                "{\"members\":[{\"name\":\"n\",\"type\":\"str\"}],\"name\":\"Alpha\",\"meta-type\":\"object\"}",
                "{\"json-type\":\"string\",\"name\":\"str\",\"meta-type\":\"builtin\"}");
    }

    @Test
    void everyIntegerTypeIsIntAndArraysAreNamedAfterTheirMaskedElement() {
        List<String> out = masked("{ 'struct': 'Pt', 'data': { 'x': 'int8' } }\n"
                + "{ 'command': 'c', 'data': { 'a': 'uint64', 'b': 'size', 'l': ['uint8'], "
                + "'ps': ['Pt'], 's': ['str'] }, 'returns': ['Pt'] }");
        assertThat(out).containsExactly(
                "{\"arg-type\":\"0\",\"ret-type\":\"[1]\",\"name\":\"c\",\"meta-type\":\"command\"}",
                "{\"members\":[{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":\"int\"},"
                        + "{\"name\":\"l\",\"type\":\"[int]\"},{\"name\":\"ps\",\"type\":\"[1]\"},"
                        + "{\"name\":\"s\",\"type\":\"[str]\"}],\"name\":\"0\",\"meta-type\":\"object\"}",
                "{\"element-type\":\"1\",\"name\":\"[1]\",\"meta-type\":\"array\"}",
                "{\"members\":[{\"name\":\"x\",\"type\":\"int\"}],\"name\":\"1\",\"meta-type\":\"object\"}",
                "{\"json-type\":\"int\",\"name\":\"int\",\"meta-type\":\"builtin\"}",
                "{\"element-type\":\"int\",\"name\":\"[int]\",\"meta-type\":\"array\"}",
                "{\"element-type\":\"str\",\"name\":\"[str]\",\"meta-type\":\"array\"}",
                "{\"json-type\":\"string\",\"name\":\"str\",\"meta-type\":\"builtin\"}");
    }

    @Test
    void optionalMembersDefaultToNullAndAllowOobOnlyWhenTrue() {
        List<Object> out = Introspection.build(Fixtures.schema(
                "{ 'command': 'oob', 'data': { '*o': 'str', 'm': 'str' }, 'allow-oob': true }\n"
                        + "{ 'command': 'plain' }"),
                false, Conditions.all());
        assertThat(out.get(0)).isEqualTo(Map.of("arg-type", "0", "ret-type", "1",
                "allow-oob", true, "name", "oob", "meta-type", "command"));
        assertThat(out.get(1)).isEqualTo(
                Map.of("arg-type", "1", "ret-type", "1", "name", "plain", "meta-type", "command"));
        Map<?, ?> optional = (Map<?, ?>) ((List<?>) ((Map<?, ?>) out.get(2)).get("members")).get(0);
        assertThat(optional.containsKey("default")).isTrue();
        assertThat(optional.get("default")).isNull();
        assertThat(IntrospectionJson.write(List.of(optional)))
                .isEqualTo("[{\"name\":\"o\",\"type\":\"str\",\"default\":null}]");
    }

    @Test
    void unionsAreFlatWithTagAndEveryBranchImplicitOnesToo() {
        List<String> out = unmasked("{ 'enum': 'Kind', 'data': [ 'a', 'b' ] }\n"
                + "{ 'struct': 'Arm', 'data': { 'y': 'str' } }\n"
                + "{ 'union': 'Un', 'base': { 'k': 'Kind', '*n': 'number' }, 'discriminator': 'k',\n"
                + "  'data': { 'a': 'Arm' } }\n"
                + "{ 'event': 'EV', 'data': 'Un', 'boxed': true }");
        assertThat(out.get(1)).isEqualTo("{\"members\":[{\"name\":\"k\",\"type\":\"Kind\"},"
                + "{\"name\":\"n\",\"type\":\"number\",\"default\":null}],\"tag\":\"k\","
                + "\"variants\":[{\"case\":\"a\",\"type\":\"Arm\"},{\"case\":\"b\",\"type\":\"q_empty\"}],"
                + "\"name\":\"Un\",\"meta-type\":\"object\"}");
        // The implicit base q_obj_Un-base is flattened away: nobody reaches it.
        assertThat(String.join("\n", out)).doesNotContain("q_obj_Un-base")
                .contains("{\"members\":[{\"name\":\"a\"},{\"name\":\"b\"}],\"values\":[\"a\",\"b\"],"
                        + "\"name\":\"Kind\",\"meta-type\":\"enum\"}");
    }

    @Test
    void alternatesListTheirAlternativesTypes() {
        List<String> out = unmasked("{ 'struct': 'Sx', 'data': { 'x': 'str' } }\n"
                + "{ 'alternate': 'Alt', 'data': { 'i': 'int32', 's': 'Sx', 'n': 'null' } }\n"
                + "{ 'command': 'c', 'data': { 'v': 'Alt' } }");
        assertThat(out).contains("{\"members\":[{\"type\":\"int\"},{\"type\":\"Sx\"},{\"type\":\"null\"}],"
                + "\"name\":\"Alt\",\"meta-type\":\"alternate\"}",
                "{\"json-type\":\"null\",\"name\":\"null\",\"meta-type\":\"builtin\"}");
    }

    @Test
    void featuresOfDefinitionsMembersAndEnumValues() {
        List<String> out = unmasked("{ 'enum': 'Enm', 'data': [ 'a', { 'name': 'b', 'features': [ 'deprecated' ] } ],\n"
                + "  'features': [ 'ef' ] }\n"
                + "{ 'command': 'c', 'data': { 'e': { 'type': 'Enm', 'features': [ 'unstable' ] } },\n"
                + "  'features': [ 'deprecated', 'cf' ] }");
        assertThat(out).containsExactly(
                "{\"arg-type\":\"q_obj_c-arg\",\"ret-type\":\"q_empty\",\"name\":\"c\",\"meta-type\":\"command\","
                        + "\"features\":[\"deprecated\",\"cf\"]}",
                "{\"members\":[{\"name\":\"e\",\"type\":\"Enm\",\"features\":[\"unstable\"]}],"
                        + "\"name\":\"q_obj_c-arg\",\"meta-type\":\"object\"}",
                "{\"members\":[],\"name\":\"q_empty\",\"meta-type\":\"object\"}",
                "{\"members\":[{\"name\":\"a\"},{\"name\":\"b\",\"features\":[\"deprecated\"]}],"
                        + "\"values\":[\"a\",\"b\"],\"name\":\"Enm\",\"meta-type\":\"enum\",\"features\":[\"ef\"]}");
    }

    private static final String CONDITIONAL =
            "{ 'enum': 'Enm', 'data': [ 'a', { 'name': 'b', 'if': 'B' },\n"
            + "  { 'name': 'c', 'features': [ { 'name': 'unstable', 'if': 'F' } ] } ] }\n"
            + "{ 'struct': 'OnlyViaX', 'data': { 'v': 'str' } }\n"
            + "{ 'struct': 'Sx', 'data': { 'e': 'Enm', '*x': { 'type': 'OnlyViaX', 'if': 'X' } } }\n"
            + "{ 'struct': 'CondType', 'data': { 'w': 'bool' }, 'if': 'T' }\n"
            + "{ 'command': 'gone', 'data': { 't': 'CondType' }, 'if': { 'all': [ 'T', { 'not': 'N' } ] } }\n"
            + "{ 'command': 'c', 'data': 'Sx', 'boxed': true,\n"
            + "  'features': [ { 'name': 'deprecated', 'if': { 'any': [ 'B', 'F' ] } } ] }";

    @Test
    void conditionsDropWhatTheyExcludeButNumbersKeepTheirGaps() {
        List<String> out = entries(Fixtures.schema(CONDITIONAL), false, Conditions.defined(Set.of()));
        assertThat(out).containsExactly(
                // "gone" is excluded, and with it its implicit argument type 0 (which inherits
                // its condition) and CondType 3, but both still took their numbers: q_empty is 1.
                "{\"arg-type\":\"2\",\"ret-type\":\"1\",\"name\":\"c\",\"meta-type\":\"command\",\"features\":[]}",
                "{\"members\":[],\"name\":\"1\",\"meta-type\":\"object\"}",
                "{\"members\":[{\"name\":\"e\",\"type\":\"4\"}],\"name\":\"2\",\"meta-type\":\"object\"}",
                "{\"members\":[{\"name\":\"a\"},{\"name\":\"c\",\"features\":[]}],\"values\":[\"a\",\"c\"],"
                        + "\"name\":\"4\",\"meta-type\":\"enum\"}",
                // Reached only through the excluded member x, but unconditional itself: kept.
                "{\"members\":[{\"name\":\"v\",\"type\":\"str\"}],\"name\":\"5\",\"meta-type\":\"object\"}",
                // Reached only through the excluded CondType: kept too.
                "{\"json-type\":\"boolean\",\"name\":\"bool\",\"meta-type\":\"builtin\"}",
                "{\"json-type\":\"string\",\"name\":\"str\",\"meta-type\":\"builtin\"}");
    }

    @Test
    void definedSymbolsKeepWhatTheyEnable() {
        List<String> out = entries(Fixtures.schema(CONDITIONAL), true, Conditions.defined(Set.of("B", "T", "X")));
        assertThat(out).startsWith(
                "{\"arg-type\":\"q_obj_gone-arg\",\"ret-type\":\"q_empty\",\"name\":\"gone\",\"meta-type\":\"command\"}",
                "{\"arg-type\":\"Sx\",\"ret-type\":\"q_empty\",\"name\":\"c\",\"meta-type\":\"command\","
                        + "\"features\":[\"deprecated\"]}");
        assertThat(out).contains(
                "{\"members\":[{\"name\":\"e\",\"type\":\"Enm\"},{\"name\":\"x\",\"type\":\"OnlyViaX\",\"default\":null}],"
                        + "\"name\":\"Sx\",\"meta-type\":\"object\"}",
                "{\"members\":[{\"name\":\"w\",\"type\":\"bool\"}],\"name\":\"CondType\",\"meta-type\":\"object\"}",
                "{\"members\":[{\"name\":\"a\"},{\"name\":\"b\"},{\"name\":\"c\",\"features\":[]}],"
                        + "\"values\":[\"a\",\"b\",\"c\"],\"name\":\"Enm\",\"meta-type\":\"enum\"}");
        // N defined excludes "gone" again.
        assertThat(entries(Fixtures.schema(CONDITIONAL), true, Conditions.defined(Set.of("T", "N"))))
                .noneMatch(e -> e.contains("\"name\":\"gone\""));
    }

    @Test
    void allConditionsKeepEverything() {
        Schema schema = Fixtures.schema(CONDITIONAL);
        List<String> all = entries(schema, false, Conditions.all());
        assertThat(all).hasSize(10);
        assertThat(all).contains(
                "{\"members\":[{\"name\":\"a\"},{\"name\":\"b\"},{\"name\":\"c\",\"features\":[\"unstable\"]}],"
                        + "\"values\":[\"a\",\"b\",\"c\"],\"name\":\"4\",\"meta-type\":\"enum\"}");
        assertThat(entries(schema, false, Conditions.defined(Set.of("B", "F", "T", "X")))).isEqualTo(all);
    }

    @Test
    void includedModulesComeAfterTheRootModule(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("main.json"), "{ 'include': 'sub.json' }\n"
                + "{ 'command': 'main-cmd' }\n");
        Files.writeString(dir.resolve("sub.json"), "{ 'command': 'sub-cmd' }\n{ 'event': 'SUB_EV' }\n");
        Schema schema = FrontEnd.load(dir, "main.json", DocStyle.STRICT);
        List<Object> out = Introspection.build(schema, false, Conditions.all());
        assertThat(out).extracting(e -> (Object) ((Map<?, ?>) e).get("name"))
                .containsExactly((Object) "main-cmd", "sub-cmd", "SUB_EV", "0");
    }

    @Test
    void anEmptySchemaHasAnEmptyAnswer() {
        assertThat(Introspection.build(Fixtures.schema("{ 'struct': 'Sx', 'data': {} }"), false,
                Conditions.all())).isEmpty();
    }
}

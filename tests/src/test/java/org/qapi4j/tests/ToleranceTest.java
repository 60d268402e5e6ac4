package org.qapi4j.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.qmp.codec.QapiReader;
import org.qapi4j.qmp.json.Json;
import org.qapi4j.qmp.types.QapiEnum;
import org.qapi4j.qmp.types.QapiObject;
import org.qapi4j.qmp.types.QapiValue;
import org.qapi4j.qmp.types.QmpEvent;
import tools.jackson.databind.JsonNode;

/**
 * What a client keeps of what a newer or older server sends, and what a server rejects, on our
 * own schema's generated code: unknown members, enum values, union branches, alternate kinds and
 * events, and the absence of mandatory members, survive a tolerant decode and re-encode
 * unchanged; a strict decode rejects each with QEMU's message.
 */
class ToleranceTest {
    private static GeneratedCode code;
    private static Catalog catalog;

    @BeforeAll
    static void compile() {
        code = Schemas.own();
        catalog = new Catalog(code);
    }

    private static Object decode(String type, String json, boolean strict) {
        Class<?> javaClass = catalog.typeClass(type);
        return decode(javaClass, json, strict);
    }

    private static Object decode(Class<?> javaClass, String json, boolean strict) {
        try {
            Method decode = javaClass.getMethod("decode", QapiReader.class, String.class);
            JsonNode tree = Json.parse(json);
            return Catalog.invoke(decode, null, strict ? QapiReader.strict(tree) : QapiReader.tolerant(tree), null);
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }

    private static Object get(Object record, String accessor) {
        try {
            return Catalog.invoke(record.getClass().getMethod(accessor), record);
        } catch (NoSuchMethodException e) {
            throw new AssertionError(record.getClass().getName() + "." + accessor + "() missing", e);
        }
    }

    private static String text(Object value) {
        return Json.write(value instanceof QapiValue ? ((QapiValue) value).toJson() : ((QmpEvent) value).toJson());
    }

    @Test
    void extraMemberIsKeptAndReEncoded() {
        String json = "{\"id\":\"a\",\"tag\":\"red\",\"x-extra\":{\"deep\":[1,2.5,null]},\"zz\":true}";
        Object value = decode("RtBase", json, false);
        assertThat(((QapiObject) value).unknownMembers()).isEqualTo(Json.parse("{\"x-extra\":{\"deep\":[1,2.5,null]},\"zz\":true}"));
        assertThat(text(value)).isEqualTo(json);
        assertThat(decode("RtBase", text(value), false)).isEqualTo(value);
    }

    @Test
    void strictRejectsAnUnknownMember() {
        assertThatThrownBy(() -> decode("RtBase", "{\"id\":\"a\",\"x\":1}", true))
                .isInstanceOf(QmpException.class)
                .hasMessageEndingWith("Parameter 'x' is unexpected");
        assertThatThrownBy(() -> decode("RtDerived", "{\"id\":\"a\",\"extra\":1,\"kids\":[{\"id\":\"b\",\"extra\":2,\"kids\":[],\"x\":0}]}", true))
                .isInstanceOf(QmpException.class)
                .hasMessageEndingWith("Parameter 'kids[0].x' is unexpected");
    }

    @Test
    void unknownEnumValueBecomesUnknownAndRoundTrips() {
        Object value = decode("RtColor", "\"purple\"", false);
        assertThat(value.getClass().getSimpleName()).isEqualTo("Unknown");
        assertThat(((QapiEnum) value).isKnown()).isFalse();
        assertThat(((QapiEnum) value).wireName()).isEqualTo("purple");
        assertThat(text(value)).isEqualTo("\"purple\"");

        Object inStruct = decode("RtBase", "{\"id\":\"a\",\"tag\":\"purple\"}", false);
        assertThat(((QapiEnum) get(inStruct, "tag")).isKnown()).isFalse();
        assertThat(text(inStruct)).isEqualTo("{\"id\":\"a\",\"tag\":\"purple\"}");
        assertThatThrownBy(() -> decode("RtBase", "{\"id\":\"a\",\"tag\":\"purple\"}", true))
                .isInstanceOf(QmpException.class)
                .hasMessageEndingWith("Parameter 'tag' does not accept value 'purple'");
    }

    @Test
    void knownEnumValuesKeepTheirWireNames() {
        for (String wire : new String[] {"1", "x-foo", "a_b", "default", "class", "Known", "unknown", "wire-name"}) {
            Object value = decode("RtOddEnum", Json.write(Json.string(wire)), true);
            assertThat(((QapiEnum) value).isKnown()).as(wire).isTrue();
            assertThat(((QapiEnum) value).wireName()).isEqualTo(wire);
        }
    }

    @Test
    void unknownUnionBranchKeepsAllMembers() {
        String json = "{\"kind\":\"delta\",\"common\":\"c\",\"opt\":1,\"zeta\":[1,2],\"b\":5}";
        Object value = decode("RtUnion", json, false);
        assertThat(value.getClass().getSimpleName()).isEqualTo("Unknown");
        assertThat(((QapiEnum) get(value, "kind")).wireName()).isEqualTo("delta");
        assertThat(get(value, "common")).isEqualTo("c");
        assertThat(((QapiObject) value).unknownMembers()).isEqualTo(Json.parse("{\"zeta\":[1,2],\"b\":5}"));
        assertThat(text(value)).isEqualTo(json);
        assertThat(decode("RtUnion", json, false)).isEqualTo(value);
        assertThatThrownBy(() -> decode("RtUnion", json, true))
                .isInstanceOf(QmpException.class)
                .hasMessageEndingWith("Parameter 'kind' does not accept value 'delta'");
    }

    @Test
    void knownBranchWithoutMembersIsABaseOnlyRecord() {
        String json = "{\"kind\":\"empty\",\"common\":\"c\"}";
        Object value = decode("RtUnion", json, true);
        assertThat(value.getClass().getSimpleName()).isEqualTo("Empty");
        assertThat(text(value)).isEqualTo(json);
    }

    @Test
    void alternateValueOfNoBranchIsUnknownWhenTolerantAndRejectedWhenStrict() {
        Object value = decode("RtAlt", "true", false);
        assertThat(value.getClass().getSimpleName()).isEqualTo("Unknown");
        assertThat(get(value, "value")).isEqualTo(Json.bool(true));
        assertThat(text(value)).isEqualTo("true");

        Class<?> arguments = code.load(code.names().arguments("rt-alt-arg"));
        String json = "{\"alt\":12.5,\"small\":true}";
        Object tolerant = decode(arguments, json, false);
        assertThat(text(tolerant)).isEqualTo(json);
        assertThatThrownBy(() -> decode(arguments, json, true))
                .isInstanceOf(QmpException.class)
                .hasMessageEndingWith("Invalid parameter type for 'alt', expected: RtAlt");
    }

    @Test
    void unknownEventKeepsItsNameAndData() {
        JsonNode data = Json.parse("{\"a\":1,\"b\":[\"x\"]}");
        QmpEvent event = (QmpEvent) catalog.decodeEvent("RT_FROM_THE_FUTURE", data);
        assertThat(event.getClass().getSimpleName()).isEqualTo("Unknown");
        assertThat(event.eventName()).isEqualTo("RT_FROM_THE_FUTURE");
        assertThat(event.toJson()).isEqualTo(data);
        assertThat(catalog.decodeEvent("RT_FROM_THE_FUTURE", event.toJson())).isEqualTo(event);
    }

    @Test
    void knownEventKeepsUnknownMembers() {
        String json = "{\"x\":3,\"y-new\":\"later\"}";
        QmpEvent event = (QmpEvent) catalog.decodeEvent("X_RT_UNSTABLE", Json.parse(json));
        assertThat(event.eventName()).isEqualTo("X_RT_UNSTABLE");
        // Compared as text: a parsed 3 is an IntNode, an encoded one a LongNode, and Jackson's
        // trees tell them apart.
        assertThat(Json.write(event.toJson())).isEqualTo(json);
        assertThat(get(event, "unknownMembers")).isEqualTo(Json.parse("{\"y-new\":\"later\"}"));
    }

    @Test
    void eventWithoutDataAcceptsNoData() {
        QmpEvent event = (QmpEvent) catalog.decodeEvent("RT_NO_DATA", null);
        assertThat(event.eventName()).isEqualTo("RT_NO_DATA");
        assertThat(event.toJson()).isEqualTo(Json.object());
    }

    @Test
    void missingMandatoryMembersAreRecordedAndStayMissing() {
        // An older or newer server's RtDerived: no 'extra' (an int) and no 'id' (a str) in a kid.
        String json = "{\"id\":\"a\",\"kids\":[{\"extra\":2,\"kids\":[]}]}";
        QapiObject value = (QapiObject) decode("RtDerived", json, false);
        assertThat(value.missingMembers()).containsExactly("extra");
        assertThat(get(value, "extra")).isEqualTo(0L);
        QapiObject kid = (QapiObject) ((java.util.List<?>) get(value, "kids")).get(0);
        assertThat(kid.missingMembers()).containsExactly("id");
        assertThat(get(kid, "id")).isNull();
        assertThat(text(value)).isEqualTo(json);
        assertThat(decode("RtDerived", text(value), false)).isEqualTo(value);
        assertThatThrownBy(() -> decode("RtDerived", json, true))
                .isInstanceOf(QmpException.class)
                .hasMessageEndingWith("Parameter 'extra' is missing");
    }

    @Test
    void missingMembersOfEveryKindReadAsTheirDefaults() {
        QapiObject value = (QapiObject) decode("RtNested", "{\"empty\":{}}", false);
        assertThat(value.missingMembers()).containsExactly("inner", "union", "alt", "odd", "pfx");
        for (String member : value.missingMembers()) {
            assertThat(get(value, member)).as(member).isNull();
        }
        assertThat(text(value)).isEqualTo("{\"empty\":{}}");
        QapiObject lists = (QapiObject) decode("RtLists", "{}", false);
        assertThat(lists.missingMembers()).hasSize(19);
        assertThat(text(lists)).isEqualTo("{}");
    }

    @Test
    void aMissingDiscriminatorIsAnUnknownBranch() {
        String json = "{\"common\":\"c\",\"a\":1}";
        QapiObject value = (QapiObject) decode("RtUnion", json, false);
        assertThat(value.getClass().getSimpleName()).isEqualTo("Unknown");
        assertThat(get(value, "kind")).isNull();
        assertThat(value.missingMembers()).containsExactly("kind");
        assertThat(value.unknownMembers()).isEqualTo(Json.parse("{\"a\":1}"));
        assertThat(text(value)).isEqualTo(json);
        assertThatThrownBy(() -> decode("RtUnion", json, true))
                .isInstanceOf(QmpException.class)
                .hasMessageEndingWith("Parameter 'kind' is missing");
    }

    @Test
    void aKnownBranchRecordsWhatItsServerLeftOut() {
        String json = "{\"kind\":\"beta\",\"b\":7}";
        QapiObject value = (QapiObject) decode("RtUnion", json, false);
        assertThat(value.getClass().getSimpleName()).isEqualTo("Beta");
        assertThat(value.missingMembers()).containsExactly("common", "bb");
        assertThat(Json.parse(text(value))).isEqualTo(Json.parse(json));
    }

    @Test
    void eventsRecordMissingMembers() {
        QmpEvent event = (QmpEvent) catalog.decodeEvent("X_RT_UNSTABLE", Json.object());
        assertThat(get(event, "missingMembers")).isEqualTo(java.util.Set.of("x"));
        assertThat(event.toJson()).isEqualTo(Json.object());
    }

    @Test
    void aValueBuiltWithAMandatoryMemberNullIsRejectedUnlessMissing() throws ReflectiveOperationException {
        Class<?> base = catalog.typeClass("RtBase");
        java.lang.reflect.Constructor<?> canonical = base.getDeclaredConstructor(String.class, catalog.typeClass("RtColor"),
                java.util.Set.class, tools.jackson.databind.node.ObjectNode.class);
        assertThatThrownBy(() -> Catalog.construct(canonical, null, null, java.util.Set.of(), null))
                .hasRootCauseInstanceOf(NullPointerException.class)
                .hasRootCauseMessage("id");
        Object missing = Catalog.construct(canonical, null, null, java.util.Set.of("id"), null);
        assertThat(text(missing)).isEqualTo("{}");
    }

    @Test
    void unsignedValuesTravelAsUnsigned() {
        String json = "{\"b\":18446744073709551615,\"bb\":65535,\"kind\":\"beta\",\"common\":\"\"}";
        Object value = decode("RtUnion", json, true);
        assertThat(get(value, "b")).isEqualTo(-1L);
        assertThat(Json.parse(text(value))).isEqualTo(Json.parse(json));
        assertThatThrownBy(() -> decode("RtUnion", json.replace("65535", "65536"), true))
                .isInstanceOf(QmpException.class)
                .hasMessageEndingWith("Parameter 'bb' expects uint16_t");
    }
}

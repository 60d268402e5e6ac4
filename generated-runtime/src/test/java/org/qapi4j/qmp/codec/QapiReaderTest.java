package org.qapi4j.qmp.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.qmp.json.Json;

/**
 * The reader's paths that QEMU 7.2's commands cannot reach (no command argument is an
 * {@code int8}, {@code int16}, {@code number} or bare {@code null}), with the texts QEMU's
 * {@code qapi/qobject-input-visitor.c} and {@code qapi/qapi-visit-core.c} give them; the
 * reachable paths are proved against a real QEMU by the conformance tests. Also the model of
 * QEMU's choice among several unexpected members, on answers observed from QEMU 7.2.
 */
class QapiReaderTest {
    /** Reads member {@code x} of {@code json} with {@code read}; returns the error text. */
    private static String member(String json, Function<QapiReader, Object> read) {
        QapiReader in = QapiReader.strict(Json.parse(json.replace('\'', '"')));
        try {
            in.beginObject(null);
            read.apply(in);
            in.endObject();
            return "(accepted)";
        } catch (QmpException e) {
            return e.error().description();
        }
    }

    /** Reads the first element of list {@code l} of {@code json} with {@code read}. */
    private static String element(String json, Function<QapiReader, Object> read) {
        return member(json, in -> in.readList("l", (reader, name) -> read.apply(reader)));
    }

    @Test
    void int8AndInt16RangesNameTheMemberBare() {
        assertThat(member("{'x': 128}", in -> in.readInt8("x"))).isEqualTo("Parameter 'x' expects int8_t");
        assertThat(member("{'x': -129}", in -> in.readInt8("x"))).isEqualTo("Parameter 'x' expects int8_t");
        assertThat(member("{'x': -128}", in -> in.readInt8("x"))).isEqualTo("(accepted)");
        assertThat(member("{'x': 32768}", in -> in.readInt16("x"))).isEqualTo("Parameter 'x' expects int16_t");
        assertThat(element("{'l': [-32769]}", in -> in.readInt16(null))).isEqualTo("Parameter 'null' expects int16_t");
        assertThat(element("{'l': ['1']}", in -> in.readInt8(null)))
                .isEqualTo("Invalid parameter type for 'l[0]', expected: integer");
    }

    @Test
    void numberTakesAnyJsonNumber() {
        assertThat(member("{'x': 1}", in -> in.readNumber("x"))).isEqualTo("(accepted)");
        assertThat(member("{'x': 18446744073709551616}", in -> in.readNumber("x"))).isEqualTo("(accepted)");
        assertThat(member("{'x': -1.5e300}", in -> in.readNumber("x"))).isEqualTo("(accepted)");
        assertThat(member("{'x': '1'}", in -> in.readNumber("x")))
                .isEqualTo("Invalid parameter type for 'x', expected: number");
        assertThat(element("{'l': [null]}", in -> in.readNumber(null)))
                .isEqualTo("Invalid parameter type for 'l[0]', expected: number");
    }

    @Test
    void nullTakesOnlyNull() {
        assertThat(member("{'x': null}", in -> in.readNull("x"))).isEqualTo("(accepted)");
        assertThat(member("{'x': 0}", in -> in.readNull("x"))).isEqualTo("Invalid parameter type for 'x', expected: null");
        assertThat(member("{'x': {}}", in -> in.readNull("x"))).isEqualTo("Invalid parameter type for 'x', expected: null");
    }

    @Test
    void theRootIsAnonymous() {
        assertThatThrownBy(() -> QapiReader.strict(Json.parse("1")).readStr(null))
                .isInstanceOf(QmpException.class)
                .hasMessageEndingWith("Invalid parameter type for '<anonymous>', expected: string");
    }

    @Test
    void severalUnexpectedMembersNameTheOneQemuNames() {
        // Observed from QEMU 7.2.22: the member JSON order, the members read, QEMU's choice.
        assertThat(UnexpectedMember.reported(List.of("a", "b"), List.of(), List.of("a", "b"))).isEqualTo("b");
        assertThat(UnexpectedMember.reported(List.of("capabilities", "a", "b", "c"), List.of("capabilities"),
                List.of("a", "b", "c"))).isEqualTo("b");
        assertThat(UnexpectedMember.reported(List.of("capability", "state", "foo", "bar"),
                List.of("capability", "state"), List.of("foo", "bar"))).isEqualTo("bar");
        assertThat(UnexpectedMember.reported(List.of("capabilities", "é", "ü", "a"), List.of("capabilities"),
                List.of("é", "ü", "a"))).isEqualTo("ü");
        // Through the reader: what is read, and in which order, decides.
        assertThat(member("{'capability': 'x', 'state': true, 'foo': 1, 'bar': 2}", in -> {
            in.readStr("capability");
            return in.readBool("state");
        })).isEqualTo("Parameter 'bar' is unexpected");
    }

    @Test
    void hashFunctionIsGlibs() {
        assertThat(UnexpectedMember.strHash("")).isEqualTo(5381);
        assertThat(UnexpectedMember.strHash("a")).isEqualTo(5381 * 33 + 'a');
        // g_str_hash adds UTF-8 bytes as signed chars: 'é' is 0xC3 0xA9.
        assertThat(UnexpectedMember.strHash("é")).isEqualTo((5381 * 33 + (byte) 0xC3) * 33 + (byte) 0xA9);
    }

    @Test
    void policyRefusesSpecialMembersOnlyWhenReadAndOnlyWhenAsked() {
        CompatPolicy rejectDeprecated = new CompatPolicy(CompatPolicyInput.REJECT, CompatPolicyInput.ACCEPT);
        // An optional deprecated member that is absent is never read: nothing to refuse.
        QapiReader absent = QapiReader.strict(Json.parse("{\"b\": 1}"), rejectDeprecated);
        absent.beginObject(null);
        absent.specialFeatures("a", QapiReader.DEPRECATED);
        assertThat(absent.has("a")).isFalse();
        assertThat(absent.readInt("b")).isEqualTo(1);
        absent.endObject();
        // Present, it is refused before its type is looked at; a required one even when absent.
        for (String json : List.of("{\"a\": \"not a number\"}", "{}")) {
            QapiReader in = QapiReader.strict(Json.parse(json), rejectDeprecated);
            in.beginObject(null);
            in.specialFeatures("a", QapiReader.DEPRECATED);
            assertThatThrownBy(() -> in.readInt("a")).isInstanceOf(QmpException.class)
                    .hasMessage("GenericError: Deprecated parameter a disabled by policy");
        }
        // Unstable input is accepted under this policy; so is everything by default.
        QapiReader unstable = QapiReader.strict(Json.parse("{\"a\": 1}"), rejectDeprecated);
        unstable.beginObject(null);
        unstable.specialFeatures("a", QapiReader.UNSTABLE);
        assertThat(unstable.readInt("a")).isEqualTo(1);
        QapiReader byDefault = QapiReader.strict(Json.parse("{\"a\": 1}"));
        byDefault.beginObject(null);
        byDefault.specialFeatures("a", QapiReader.DEPRECATED | QapiReader.UNSTABLE);
        assertThat(byDefault.readInt("a")).isEqualTo(1);
        assertThatThrownBy(() -> QapiReader.strict(Json.parse("1"), new CompatPolicy(CompatPolicyInput.ACCEPT,
                CompatPolicyInput.REJECT)).checkValue("x-colo", QapiReader.UNSTABLE))
                .hasMessage("GenericError: Unstable value x-colo disabled by policy");
    }
}

package org.qapi4j.qmp.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.qmp.json.Json;

/**
 * A mandatory member that is absent: QEMU's error to a strict reader, and to a tolerant one a
 * member recorded as missing that reads as its Java type's default.
 */
class TolerantReaderTest {
    private static QapiReader tolerant(String json) {
        QapiReader in = QapiReader.tolerant(Json.parse(json.replace('\'', '"')));
        in.beginObject(null);
        return in;
    }

    @Test
    void absentMembersReadAsDefaultsAndAreRecordedInOrder() {
        QapiReader in = tolerant("{'present': 'yes'}");
        assertThat(in.readBool("b")).isFalse();
        assertThat(in.readInt("i")).isZero();
        assertThat(in.readInt8("i8")).isZero();
        assertThat(in.readUint32("u32")).isZero();
        assertThat(in.readUint64("u64")).isZero();
        assertThat(in.readNumber("n")).isZero();
        assertThat(in.readStr("s")).isNull();
        assertThat(in.readEnum("e")).isNull();
        assertThat(in.readAny("a")).isNull();
        assertThat(in.readNull("z")).isNull();
        assertThat(in.readList("l", QapiReader::readStr)).isNull();
        assertThat(in.<Object>readMember("o", (reader, name) -> {
            throw new AssertionError("the decoder of a missing member must not run");
        })).isNull();
        assertThat(in.readStr("present")).isEqualTo("yes");
        assertThat(in.missingMembers()).containsExactly("b", "i", "i8", "u32", "u64", "n", "s", "e", "a", "z", "l", "o");
        assertThat(in.endObject()).isNull();
    }

    @Test
    void missingMembersBelongToTheirObject() {
        QapiReader in = tolerant("{'inner': {}, 'list': [{'x': 1}, {}]}");
        in.beginObject("inner");
        in.readStr("a");
        assertThat(in.missingMembers()).containsExactly("a");
        in.endObject();
        List<Set<String>> elements = in.readList("list", (reader, name) -> {
            reader.beginObject(name);
            reader.readInt("x");
            Set<String> missing = reader.missingMembers();
            reader.endObject();
            return missing;
        });
        assertThat(elements).containsExactly(Set.of(), Set.of("x"));
        assertThat(in.missingMembers()).isEmpty();
    }

    @Test
    void typeErrorsStayErrors() {
        QapiReader in = tolerant("{'b': 1}");
        assertThatThrownBy(() -> in.readBool("b"))
                .isInstanceOf(QmpException.class)
                .hasMessageEndingWith("Invalid parameter type for 'b', expected: boolean");
    }

    @Test
    void strictReadersStillFailWithQemusError() {
        QapiReader in = QapiReader.strict(Json.parse("{\"l\": [{}]}"));
        in.beginObject(null);
        assertThatThrownBy(() -> in.readList("l", (reader, name) -> {
            reader.beginObject(name);
            return reader.readMember("state", QapiReader::readEnum);
        }))
                .isInstanceOf(QmpException.class)
                .hasMessageEndingWith("Parameter 'l[0].state' is missing");
        QapiReader strict = QapiReader.strict(Json.parse("{}"));
        strict.beginObject(null);
        assertThatThrownBy(() -> strict.readInt("n"))
                .isInstanceOf(QmpException.class)
                .hasMessageEndingWith("Parameter 'n' is missing");
        assertThat(strict.missingMembers()).isEmpty();
    }
}

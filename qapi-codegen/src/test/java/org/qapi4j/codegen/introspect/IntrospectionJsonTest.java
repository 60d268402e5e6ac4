package org.qapi4j.codegen.introspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IntrospectionJsonTest {

    @Test
    void compactWithMembersInMapOrder() {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("zeta", "z");
        entry.put("alpha", List.of());
        entry.put("default", null);
        entry.put("allow-oob", true);
        entry.put("members", List.of(Map.of("name", "m")));
        assertThat(IntrospectionJson.write(List.of(entry, "x")))
                .isEqualTo("[{\"zeta\":\"z\",\"alpha\":[],\"default\":null,\"allow-oob\":true,"
                        + "\"members\":[{\"name\":\"m\"}]},\"x\"]");
        assertThat(IntrospectionJson.write(new ArrayList<>())).isEqualTo("[]");
    }

    @Test
    void escapesQuotesBackslashesAndControlCharacters() {
        String nasty = "a\"b\\c\nd\te\u0001f\u00e9\u20ac";
        String text = IntrospectionJson.write(List.of(nasty));
        assertThat(text).isEqualTo("[\"a\\\"b\\\\c\\nd\\te\\u0001f\u00e9\u20ac\"]");
        assertThat(JsonReader.parse(text)).isEqualTo(List.of(nasty));
    }

    @Test
    void rejectsValuesIntrospectionNeverProduces() {
        assertThatThrownBy(() -> IntrospectionJson.write(List.of(42)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

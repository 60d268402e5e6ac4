package org.qapi4j.codegen.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IfCondTest {

    private static Map<String, Object> op(String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(key, value);
        return m;
    }

    @Test
    void absentAndEmptyAreNotPresent() {
        assertThat(IfCond.of(null).isPresent()).isFalse();
        assertThat(IfCond.NONE.cgen()).isEmpty();
        assertThat(IfCond.of("").isPresent()).isFalse();
        assertThat(IfCond.of("A").isPresent()).isTrue();
    }

    @Test
    void rendersLikeCommonPy() {
        Object cond = op("not", op("any", List.of(op("not", "A"), op("all", List.of("B", "C")))));
        IfCond ifCond = IfCond.of(cond);
        assertThat(ifCond.cgen()).isEqualTo("!(!defined(A) || (defined(B) && defined(C)))");
        assertThat(ifCond.docgen()).isEqualTo("not (not A or (B and C))");
        assertThat(ifCond.pythonStr())
                .isEqualTo("{'not': {'any': [{'not': 'A'}, {'all': ['B', 'C']}]}}");
        assertThat(IfCond.of(op("all", List.of("A", "B"))).cgen()).isEqualTo("defined(A) && defined(B)");
        assertThat(IfCond.of("A").pythonStr()).isEqualTo("A");
    }

    @Test
    void pythonReprQuotesLikePython() {
        assertThat(PythonRepr.of(List.of("it's", "a\"b", "x'y\"z", "\n\u00a0\u00e9", true))).isEqualTo(
                "[\"it's\", 'a\"b', 'x\\'y\"z', '\\n\\xa0\u00e9', True]");
    }

    @Test
    void rawValueIsFrozen() {
        Map<String, Object> raw = op("all", new java.util.ArrayList<>(List.of("A")));
        IfCond ifCond = IfCond.of(raw);
        raw.put("any", List.of());
        assertThat(ifCond.pythonStr()).isEqualTo("{'all': ['A']}");
    }

    @Test
    void isATypedTree() {
        IfCond ifCond = IfCond.of(op("any", List.of("A", op("not", op("all", List.of("B", "C"))))));
        assertThat(ifCond).isEqualTo(new IfCond.Any(List.of(new IfCond.Name("A"),
                new IfCond.Not(new IfCond.All(List.of(new IfCond.Name("B"), new IfCond.Name("C")))))));
        assertThat(IfCond.of(null)).isSameAs(IfCond.NONE);
    }

    @Test
    void conditionsEvaluateTheTree() {
        IfCond ifCond = IfCond.of(op("any", List.of("A", op("not", op("all", List.of("B", "C"))))));
        assertThat(Conditions.defined(java.util.Set.of("B", "C")).holds(ifCond)).isFalse();
        assertThat(Conditions.defined(java.util.Set.of("A", "B", "C")).holds(ifCond)).isTrue();
        assertThat(Conditions.defined(java.util.Set.of("B")).holds(ifCond)).isTrue();
        assertThat(Conditions.defined(java.util.Set.of()).holds(IfCond.NONE)).isTrue();
        assertThat(Conditions.all().holds(IfCond.of("NEVER"))).isTrue();
    }
}

package org.qapi4j.codegen.introspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.qapi4j.codegen.FrontEnd;
import org.qapi4j.codegen.ast.DocStyle;
import org.qapi4j.codegen.model.Conditions;
import org.qapi4j.codegen.model.Schema;
import org.qapi4j.codegen.testing.SharedData;

/**
 * QEMU's master schema with every condition taken as holding: our answer is byte for byte what
 * QEMU's {@code introspect.py} produces (verified once with QEMU's Python, see the resources'
 * README), pinned here by size and SHA-256 of the compact JSON text so that the comparison
 * needs neither Python nor a committed copy of QEMU-derived data.
 */
class QemuSchemaIntrospectionTest {

    private static Schema masterSchema() {
        return FrontEnd.load(SharedData.requireQemuDir().resolve("qapi-master"), "qapi-schema.json",
                DocStyle.STRICT);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void masterSchemaMaskedAsQemuGeneratesIt() {
        List<Object> ours = Introspection.build(masterSchema(), false, Conditions.all());
        Map<Object, Integer> metaTypes = new TreeMap<>();
        for (Object entry : ours) {
            metaTypes.merge(((Map<?, ?>) entry).get("meta-type"), 1, Integer::sum);
        }
        assertThat(ours).hasSize(1221);
        assertThat(metaTypes).isEqualTo(Map.of("alternate", 6, "array", 100, "builtin", 6,
                "command", 243, "enum", 155, "event", 57, "object", 654));
        String text = IntrospectionJson.write(ours);
        assertThat(text).hasSize(221_598);
        assertThat(sha256(text))
                .isEqualTo("115c0d3d757bd92bfe5f9191ccc36a1d0de5c00c0222386ec189fb8a9f95d82f");
    }

    @Test
    void masterSchemaUnmaskedAsQemuGeneratesIt() {
        String text = IntrospectionJson.write(Introspection.build(masterSchema(), true, Conditions.all()));
        assertThat(text).hasSize(258_188);
        assertThat(sha256(text))
                .isEqualTo("3f897a1d5fb71e3be368bf3da2875d30907c4afaad9e368d85501394a4623a69");
    }

    @Test
    void writtenTextReadsBackAsTheSameValues() {
        List<Object> ours = Introspection.build(masterSchema(), false, Conditions.all());
        assertThat(JsonReader.parse(IntrospectionJson.write(ours))).isEqualTo(ours);
    }
}

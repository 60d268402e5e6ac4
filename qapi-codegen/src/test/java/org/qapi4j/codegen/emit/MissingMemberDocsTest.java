package org.qapi4j.codegen.emit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.qapi4j.codegen.FrontEnd;
import org.qapi4j.codegen.ast.DocStyle;
import org.qapi4j.codegen.model.Schema;
import org.qapi4j.codegen.model.SchemaType;

/** What the Javadoc of a mandatory member says it reads as when a server did not send it. */
class MissingMemberDocsTest {
    private static final Schema SCHEMA =
            FrontEnd.loadText(Path.of("."), "test.json", "{ 'struct': 'Some', 'data': {} }\n", DocStyle.RELAXED);

    private static String doc(String text, String type, boolean optional) {
        SchemaType schemaType = SCHEMA.lookupType(type);
        return Javadocs.withMissingValue(text, new JavaMember("m", "m", schemaType, optional, false, false, text));
    }

    @Test
    void theNoteFitsTheSentence() {
        assertThat(doc("true if all VCPUs are running", "bool", false))
                .isEqualTo("true if all VCPUs are running ({@code false} if missing)");
        assertThat(doc("The CPU index.", "int", false)).isEqualTo("The CPU index ({@code 0} if missing).");
        assertThat(doc("QOM type name (since 10.1)", "str", false))
                .isEqualTo("QOM type name (since 10.1); {@code null} if missing");
        assertThat(doc("A ratio", "number", false)).isEqualTo("A ratio ({@code 0.0} if missing)");
        assertThat(doc("Optional, absent is absent", "str", true)).isEqualTo("Optional, absent is absent");
    }
}

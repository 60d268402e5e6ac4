package org.qapi4j.qmp.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.qapi4j.codegen.FrontEnd;
import org.qapi4j.codegen.ast.DocStyle;
import org.qapi4j.codegen.introspect.Introspection;
import org.qapi4j.codegen.introspect.IntrospectionJson;
import org.qapi4j.codegen.model.Conditions;
import org.qapi4j.codegen.model.Schema;
import org.qapi4j.qmp.json.Json;

class SchemaOriginTest {
    private static final String SCHEMA = """
            ##
            # @Old:
            #
            # Since: 2.12
            ##
            { 'struct': 'Old', 'data': { 'a': 'int' } }

            ##
            # @new-command:
            #
            # Since: 10.1.1 (it was x-new-command before)
            ##
            { 'command': 'new-command', 'returns': 'Old' }
            """;

    /** The digest is of what {@code query-qmp-schema} shows: types a command or event uses, no documentation. */
    @Test
    void theDigestDependsOnTheAbiNotOnDocumentation() {
        Schema documented = FrontEnd.loadText(Path.of("."), "test.json", SCHEMA, DocStyle.RELAXED);
        Schema bare = FrontEnd.loadText(Path.of("."), "test.json",
                "{ 'struct': 'Old', 'data': { 'a': 'int' } }\n{ 'command': 'new-command', 'returns': 'Old' }\n", DocStyle.STRICT);
        Schema other = FrontEnd.loadText(Path.of("."), "test.json",
                "{ 'struct': 'Old', 'data': { 'a': 'str' } }\n{ 'command': 'new-command', 'returns': 'Old' }\n", DocStyle.STRICT);
        assertThat(digest(bare)).isEqualTo(digest(documented)).isNotEqualTo(digest(other));
    }

    /** The digest of {@code schema}'s {@code query-qmp-schema} answer, as generated code computes it. */
    private static String digest(Schema schema) {
        return SchemaOrigin.digest(Json.parse(IntrospectionJson.write(Introspection.build(schema, false, Conditions.all()))));
    }

    @Test
    void theDigestIgnoresMemberOrderButNothingElse() {
        String digest = SchemaOrigin.digest(Json.parse("[{\"name\":\"a\",\"meta-type\":\"builtin\",\"json-type\":\"int\"}]"));
        assertThat(SchemaOrigin.digest(Json.parse("[{\"json-type\":\"int\",\"meta-type\":\"builtin\",\"name\":\"a\"}]")))
                .isEqualTo(digest);
        assertThat(SchemaOrigin.digest(Json.parse("[{\"json-type\":\"int\",\"meta-type\":\"builtin\",\"name\":\"b\"}]")))
                .isNotEqualTo(digest);
        assertThat(digest).hasSize(64).matches("[0-9a-f]+");
    }

    @Test
    void theCanonicalFormIsCompactSortedJson() {
        // SHA-256 of the text {"a":[true,null,"x\"\u0001"],"b":{}} in UTF-8, as sha256sum computes it.
        assertThat(SchemaOrigin.digest(Json.parse("{\"b\":{},\"a\":[true,null,\"x\\\"\\u0001\"]}")))
                .isEqualTo(sha256("{\"a\":[true,null,\"x\\\"\\u0001\"],\"b\":{}}"));
    }

    @Test
    void theVersionIsTheDeclaredOneElseTheNewestSince() {
        assertThat(new SchemaOrigin("qapi-schema.json", "0", QemuVersion.of(10, 2), null).version())
                .isEqualTo(QemuVersion.of(10, 2));
        assertThat(new SchemaOrigin("qapi-schema.json", "0", QemuVersion.of(10, 2), QemuVersion.parse("10.2.50")).version())
                .isEqualTo(QemuVersion.parse("10.2.50"));
        assertThat(new SchemaOrigin("qapi-schema.json", "0", null, null).version()).isNull();
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}

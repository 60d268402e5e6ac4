package org.qapi4j.qmp.types;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Which schema a binding was generated from, as far as the schema says: what generated code
 * records about itself ({@code SchemaIntrospection.origin()}).
 *
 * <p>QEMU's schema does not state which QEMU it belongs to: no pragma or file of {@code qapi/}
 * names the version (QEMU's {@code VERSION} file lies outside it). What it does state is when
 * each definition appeared, in its {@code Since:} section, and the newest of those is the
 * release the schema is at least ({@code 7.2} for QEMU 7.2.0's; {@code 10.2} for master at
 * {@code 10.2.50}). Whoever runs the generator knows better and may say
 * ({@link #declaredVersion()}).
 *
 * <p>The digest identifies the schema as a server describes it: the SHA-256 of this binding's
 * answer to {@code query-qmp-schema} in a canonical form ({@link #digest(JsonNode)}). A server
 * whose own answer has the same digest ({@link #matches(JsonNode)}) has exactly this binding's
 * commands, types and events (a QEMU built with the same configuration as the generator was
 * given, for instance); otherwise only what the README's "one binding, several QEMU versions"
 * promises holds.
 *
 * @param schemaFile the main schema file the binding was generated from, e.g. {@code qapi-schema.json}
 * @param schemaDigest the SHA-256, in lowercase hexadecimal, of the binding's {@code query-qmp-schema}
 *     answer in canonical form
 * @param newestSince the newest release named by a {@code Since:} section of a definition in the
 *     binding; null when there is none
 * @param declaredVersion the QEMU version given to the generator; null when none was
 */
public record SchemaOrigin(String schemaFile, String schemaDigest, @Nullable QemuVersion newestSince,
        @Nullable QemuVersion declaredVersion) {

    public SchemaOrigin {
        Objects.requireNonNull(schemaFile, "schemaFile");
        Objects.requireNonNull(schemaDigest, "schemaDigest");
    }

    /**
     * The QEMU version of the schema as well as it is known: the declared one, else the newest
     * {@code Since:} (a lower bound), else null.
     */
    public @Nullable QemuVersion version() {
        return declaredVersion != null ? declaredVersion : newestSince;
    }

    /** Whether {@code schemaInfo}, a server's answer to {@code query-qmp-schema}, is this binding's schema. */
    public boolean matches(JsonNode schemaInfo) {
        return schemaDigest.equals(digest(schemaInfo));
    }

    /**
     * The SHA-256, in lowercase hexadecimal, of {@code schemaInfo} in canonical form: compact
     * JSON with every object's members sorted by name (QEMU sends them in hash order, which
     * means nothing), strings escaped only where JSON requires it ({@code "}, {@code \}, control
     * characters as six-character escapes, lowercase), in UTF-8. The generator computes the same from the schema.
     */
    public static String digest(JsonNode schemaInfo) {
        StringBuilder text = new StringBuilder(256 * 1024);
        canonical(text, schemaInfo);
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static void canonical(StringBuilder out, JsonNode node) {
        if (node.isObject()) {
            List<Map.Entry<String, JsonNode>> members = new ArrayList<>(node.properties());
            members.sort(Map.Entry.comparingByKey());
            out.append('{');
            for (int i = 0; i < members.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                string(out, members.get(i).getKey());
                out.append(':');
                canonical(out, members.get(i).getValue());
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                canonical(out, node.get(i));
            }
            out.append(']');
        } else if (node.isString()) {
            string(out, node.stringValue());
        } else {
            out.append(node.toString());
        }
    }

    private static void string(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }
}

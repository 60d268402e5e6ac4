package org.qapi4j.codegen.emit;

import com.palantir.javapoet.CodeBlock;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.qapi4j.codegen.model.Definition;

/**
 * What generated code records about the schema it comes from (the runtime's {@code
 * SchemaOrigin}): the main file, the digest of its {@code query-qmp-schema} answer, the newest
 * {@code Since:} of its definitions, and the QEMU version the generator was told.
 *
 * <p>QEMU's schema states no version of its own (no pragma, no file of {@code qapi/} names it);
 * the {@code Since:} sections are the only dates in it. The digest is computed exactly as the
 * runtime's {@code SchemaOrigin.digest} computes it from a server's answer, so that the two can
 * be compared.
 */
final class SchemaOriginShape {
    private static final Pattern VERSION = Pattern.compile("(\\d{1,9})\\.(\\d{1,9})(?:\\.(\\d{1,9}))?");

    private SchemaOriginShape() {}

    /** {@code new SchemaOrigin(...)} for the schema {@code schemaFile}. */
    static CodeBlock expression(String schemaFile, List<Object> introspection, List<Definition> definitions,
            String declaredVersion) {
        return CodeBlock.of("new $T($S,$W$S,$W$L,$W$L)", RuntimeTypes.SCHEMA_ORIGIN, schemaFile, digest(introspection),
                version(newestSince(definitions)), version(declaredVersion == null ? null : parse(declaredVersion)));
    }

    private static CodeBlock version(int[] version) {
        if (version == null) {
            return CodeBlock.of("null");
        }
        return CodeBlock.of("new $T($L, $L, $L)", RuntimeTypes.QEMU_VERSION, version[0], version[1], version[2]);
    }

    /** The newest version a {@code Since:} section of {@code definitions} names, or null. */
    static int[] newestSince(List<Definition> definitions) {
        int[] newest = null;
        for (Definition definition : definitions) {
            if (definition.doc() == null || definition.doc().since() == null) {
                continue;
            }
            int[] version = parse(definition.doc().since().text());
            if (version != null && (newest == null || compare(version, newest) > 0)) {
                newest = version;
            }
        }
        return newest;
    }

    /** {@code MAJOR.MINOR[.MICRO]} at the start of {@code text}, as three numbers; null when none. */
    static int[] parse(String text) {
        Matcher matcher = VERSION.matcher(text.strip());
        if (!matcher.lookingAt()) {
            return null;
        }
        return new int[] {Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)),
                matcher.group(3) == null ? 0 : Integer.parseInt(matcher.group(3))};
    }

    private static int compare(int[] a, int[] b) {
        for (int i = 0; i < 3; i++) {
            if (a[i] != b[i]) {
                return Integer.compare(a[i], b[i]);
            }
        }
        return 0;
    }

    /**
     * The SHA-256 of the introspection values in canonical form: compact JSON, members sorted
     * by name, only {@code "}, {@code \} and control characters escaped, UTF-8.
     */
    static String digest(List<Object> introspection) {
        StringBuilder text = new StringBuilder(256 * 1024);
        canonical(text, introspection);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static void canonical(StringBuilder out, Object value) {
        if (value instanceof Map<?, ?> map) {
            List<String> names = new ArrayList<>();
            for (Object name : map.keySet()) {
                names.add((String) name);
            }
            names.sort(null);
            out.append('{');
            for (int i = 0; i < names.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                string(out, names.get(i));
                out.append(':');
                canonical(out, map.get(names.get(i)));
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                canonical(out, list.get(i));
            }
            out.append(']');
        } else if (value instanceof String text) {
            string(out, text);
        } else {
            out.append(value);   // Boolean, or null
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

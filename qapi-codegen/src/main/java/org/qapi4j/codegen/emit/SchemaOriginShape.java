package org.qapi4j.codegen.emit;

import com.palantir.javapoet.CodeBlock;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.qapi4j.codegen.model.Definition;

/**
 * What generated code records about the schema it comes from (the runtime's {@code
 * SchemaOrigin}): the main file, the digest of its {@code query-qmp-schema} answer, the newest
 * {@code Since:} of its definitions, and the QEMU version the generator was told.
 *
 * <p>QEMU's schema states no version of its own (no pragma, no file of {@code qapi/} names it);
 * the {@code Since:} sections are the only dates in it. The digest is not computed here: the
 * generated code asks the runtime's {@code SchemaOrigin.digest} for the digest of its own
 * {@code schemaInfo()}, the same computation that a server's answer is compared with, so there
 * is one canonical form and it cannot drift.
 */
final class SchemaOriginShape {
    private static final Pattern VERSION = Pattern.compile("(\\d{1,9})\\.(\\d{1,9})(?:\\.(\\d{1,9}))?");

    private SchemaOriginShape() {}

    /** {@code new SchemaOrigin(...)} for the schema {@code schemaFile}. */
    static CodeBlock expression(String schemaFile, List<Definition> definitions, String declaredVersion) {
        return CodeBlock.of("new $T($S,$W$T.digest(schemaInfo()),$W$L, $L)", RuntimeTypes.SCHEMA_ORIGIN, schemaFile,
                RuntimeTypes.SCHEMA_ORIGIN, version(newestSince(definitions)),
                version(declaredVersion == null ? null : parse(declaredVersion)));
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
}

package org.qapi4j.codegen.emit;

import java.util.Objects;
import java.util.regex.Pattern;
import org.qapi4j.codegen.model.Conditions;

/**
 * What a generation run is asked for.
 *
 * @param packageName the Java package of every generated type
 * @param conditions which {@code 'if'} conditions hold; {@link Conditions#all()} keeps everything
 * @param unmaskIntrospection whether {@code query-qmp-schema} shows type names that are not part
 *     of the ABI (QEMU masks them with numbers unless {@code qapi-gen.py -u})
 * @param qemuVersion the QEMU version the schema belongs to ({@code MAJOR.MINOR[.MICRO]}, e.g.
 *     {@code 7.2.0}), which the schema does not state; null when not known. The generated code
 *     records it ({@code SchemaIntrospection.origin().declaredVersion()}).
 */
public record GeneratorOptions(String packageName, Conditions conditions, boolean unmaskIntrospection,
        String qemuVersion) {
    /** The package {@code qapi-gen} uses when none is given. */
    public static final String DEFAULT_PACKAGE = "org.qapi4j.generated";

    private static final Pattern VERSION = Pattern.compile("\\d{1,9}\\.\\d{1,9}(\\.\\d{1,9})?");

    public GeneratorOptions {
        Objects.requireNonNull(packageName, "packageName");
        Objects.requireNonNull(conditions, "conditions");
        if (qemuVersion != null && !VERSION.matcher(qemuVersion).matches()) {
            throw new IllegalArgumentException("a QEMU version is MAJOR.MINOR or MAJOR.MINOR.MICRO, not '" + qemuVersion + "'");
        }
    }

    /** Options without a QEMU version. */
    public GeneratorOptions(String packageName, Conditions conditions, boolean unmaskIntrospection) {
        this(packageName, conditions, unmaskIntrospection, null);
    }

    public static GeneratorOptions defaults() {
        return new GeneratorOptions(DEFAULT_PACKAGE, Conditions.all(), false);
    }

    /** These options with {@code qemuVersion} declared (null: none). */
    public GeneratorOptions withQemuVersion(String qemuVersion) {
        return new GeneratorOptions(packageName, conditions, unmaskIntrospection, qemuVersion);
    }
}

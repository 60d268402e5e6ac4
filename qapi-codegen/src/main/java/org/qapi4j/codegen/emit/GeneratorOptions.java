package org.qapi4j.codegen.emit;

import java.util.Objects;
import org.qapi4j.codegen.model.Conditions;

/**
 * What a generation run is asked for.
 *
 * @param packageName the Java package of every generated type
 * @param conditions which {@code 'if'} conditions hold; {@link Conditions#all()} keeps everything
 * @param unmaskIntrospection whether {@code query-qmp-schema} shows type names that are not part
 *     of the ABI (QEMU masks them with numbers unless {@code qapi-gen.py -u})
 */
public record GeneratorOptions(String packageName, Conditions conditions, boolean unmaskIntrospection) {
    /** The package {@code qapi-gen} uses when none is given. */
    public static final String DEFAULT_PACKAGE = "org.qapi4j.generated";

    public GeneratorOptions {
        Objects.requireNonNull(packageName, "packageName");
        Objects.requireNonNull(conditions, "conditions");
    }

    public static GeneratorOptions defaults() {
        return new GeneratorOptions(DEFAULT_PACKAGE, Conditions.all(), false);
    }
}

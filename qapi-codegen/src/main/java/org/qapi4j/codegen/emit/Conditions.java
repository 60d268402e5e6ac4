package org.qapi4j.codegen.emit;

import java.util.Set;

/**
 * Where {@link org.qapi4j.codegen.model.Conditions} used to be: condition evaluation belongs to
 * the model, which introspection and the emitters both use. This forwards for code not yet
 * moved over; new code uses the model's class.
 */
public final class Conditions {
    private Conditions() {}

    /** {@link org.qapi4j.codegen.model.Conditions#all()}. */
    public static org.qapi4j.codegen.model.Conditions all() {
        return org.qapi4j.codegen.model.Conditions.all();
    }

    /** {@link org.qapi4j.codegen.model.Conditions#defined(Set)}. */
    public static org.qapi4j.codegen.model.Conditions defined(Set<String> symbols) {
        return org.qapi4j.codegen.model.Conditions.defined(symbols);
    }
}

package org.qapi4j.codegen.model;

import java.util.Set;
import java.util.TreeSet;

/**
 * Which {@code 'if'} conditions hold for a build.
 *
 * <p>QEMU turns conditions into {@code #if} lines and lets the C preprocessor decide. Java has
 * no preprocessor, so the generator decides: a build names the symbols it defines, and what
 * their conditions exclude is not generated at all. Without a list, everything is kept
 * ({@link #all()}): a client library for "any QEMU" wants every command that some build may
 * offer, and a newer server tolerates requests it does not know by answering an error.
 */
public final class Conditions {
    private final Set<String> defined;

    private Conditions(Set<String> defined) {
        this.defined = defined;
    }

    /** Every condition holds, whatever it says: everything in the schema is generated. */
    public static Conditions all() {
        return new Conditions(null);
    }

    /** Exactly {@code symbols} are defined; {@code all}, {@code any} and {@code not} combine them. */
    public static Conditions defined(Set<String> symbols) {
        return new Conditions(Set.copyOf(new TreeSet<>(symbols)));
    }

    /** Whether everything is kept regardless of conditions. */
    public boolean keepsEverything() {
        return defined == null;
    }

    public boolean holds(IfCond condition) {
        return defined == null || condition.evaluate(defined::contains);
    }

    @Override
    public String toString() {
        return defined == null ? "all conditions hold" : "defined: " + new TreeSet<>(defined);
    }
}

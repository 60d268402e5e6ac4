package org.qapi4j.codegen.emit;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.qapi4j.codegen.model.IfCond;

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
        return defined == null || evaluate(condition.raw());
    }

    private boolean evaluate(Object condition) {
        if (condition == null) {
            return true;
        }
        if (condition instanceof String) {
            return defined.contains(condition);
        }
        Map.Entry<?, ?> operator = ((Map<?, ?>) condition).entrySet().iterator().next();
        Object operand = operator.getValue();
        switch ((String) operator.getKey()) {
            case "not":
                return !evaluate(operand);
            case "all":
                return ((List<?>) operand).stream().allMatch(this::evaluate);
            case "any":
                return ((List<?>) operand).stream().anyMatch(this::evaluate);
            default:
                throw new IllegalArgumentException("not a checked condition: " + condition);
        }
    }

    @Override
    public String toString() {
        return defined == null ? "all conditions hold" : "defined: " + new TreeSet<>(defined);
    }
}

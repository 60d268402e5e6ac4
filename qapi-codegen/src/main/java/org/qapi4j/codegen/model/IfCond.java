package org.qapi4j.codegen.model;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A condition ({@code 'if'}) of a definition, member, branch or feature: QEMU's
 * {@code QAPISchemaIfCond}, as a tree: a configuration symbol ({@link Name}), or {@link All},
 * {@link Any} or {@link Not} of conditions.
 *
 * <p>No condition at all is {@link #NONE}, the empty {@code all}: it always holds, and
 * {@link #isPresent()} is false.
 */
public sealed interface IfCond permits IfCond.Name, IfCond.All, IfCond.Any, IfCond.Not {

    /** No condition: the empty conjunction. */
    IfCond NONE = new All(List.of());

    /** A configuration symbol: holds when the build defines it. */
    record Name(String name) implements IfCond {
    }

    /** Holds when every operand holds. */
    record All(List<IfCond> operands) implements IfCond {
        public All {
            operands = List.copyOf(operands);
        }
    }

    /** Holds when some operand holds. */
    record Any(List<IfCond> operands) implements IfCond {
        public Any {
            operands = List.copyOf(operands);
        }
    }

    /** Holds when its operand does not. */
    record Not(IfCond operand) implements IfCond {
    }

    /**
     * The condition for a checked raw value, as the schema wrote it: null (none), a symbol
     * ({@code String}), or a single-key map {@code {'all': [...]}}, {@code {'any': [...]}} or
     * {@code {'not': ...}} whose operands are raw conditions again.
     */
    static IfCond of(Object raw) {
        if (raw == null) {
            return NONE;
        }
        if (raw instanceof String symbol) {
            return symbol.isEmpty() ? NONE : new Name(symbol);
        }
        Map.Entry<?, ?> operator = ((Map<?, ?>) raw).entrySet().iterator().next();
        Object operand = operator.getValue();
        switch ((String) operator.getKey()) {
            case "not":
                return new Not(of(operand));
            case "all":
                return new All(((List<?>) operand).stream().map(IfCond::of).toList());
            case "any":
                return new Any(((List<?>) operand).stream().map(IfCond::of).toList());
            default:
                throw new IllegalArgumentException("not a checked condition: " + raw);
        }
    }

    /** Whether there is a condition at all (Python's {@code bool(ifcond)}). */
    default boolean isPresent() {
        return !equals(NONE);
    }

    /** Whether the condition holds when {@code defined} says which symbols are defined. */
    default boolean evaluate(Function<String, Boolean> defined) {
        if (this instanceof Name n) {
            return defined.apply(n.name());
        } else if (this instanceof All a) {
            return a.operands().stream().allMatch(c -> c.evaluate(defined));
        } else if (this instanceof Any a) {
            return a.operands().stream().anyMatch(c -> c.evaluate(defined));
        }
        return !((Not) this).operand().evaluate(defined);
    }

    /** The condition as a C preprocessor expression, e.g. {@code defined(A) && !defined(B)}. */
    default String cgen() {
        return IfCondRendering.render(this, "defined(%s)", "!%s", " && ", " || ");
    }

    /** The condition for documentation, e.g. {@code A and not B}. */
    default String docgen() {
        return IfCondRendering.render(this, "%s", "not %s", " and ", " or ");
    }

    /**
     * Python's {@code str()} of the raw value, as QEMU's test dump prints it: a symbol as is,
     * an operator as Python's {@code repr}, e.g. {@code {'all': ['A', 'B']}}.
     */
    default String pythonStr() {
        return this instanceof Name n ? n.name() : PythonRepr.of(IfCondRendering.raw(this));
    }
}

package org.qapi4j.codegen.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A condition ({@code 'if'}) of a definition, member, branch or feature: QEMU's
 * {@code QAPISchemaIfCond}.
 *
 * <p>The raw value is what the schema wrote, already checked: absent (null), a configuration
 * symbol ({@code String}), or a single-key map {@code {'all': [...]}}, {@code {'any': [...]}} or
 * {@code {'not': ...}} whose operands are conditions again.
 */
public final class IfCond {

    /** No condition. */
    public static final IfCond NONE = new IfCond(null);

    private final Object ifcond;

    private IfCond(Object ifcond) {
        this.ifcond = ifcond;
    }

    /** The condition for a checked raw value; null gives {@link #NONE}. */
    public static IfCond of(Object raw) {
        return raw == null ? NONE : new IfCond(freeze(raw));
    }

    private static Object freeze(Object raw) {
        if (raw instanceof Map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) raw).entrySet()) {
                copy.put((String) e.getKey(), freeze(e.getValue()));
            }
            return Collections.unmodifiableMap(copy);
        }
        if (raw instanceof List) {
            List<Object> copy = new ArrayList<>();
            for (Object o : (List<?>) raw) {
                copy.add(freeze(o));
            }
            return Collections.unmodifiableList(copy);
        }
        return raw;
    }

    /** The raw, unmodifiable condition: null, a {@code String} or a one-key {@code Map}. */
    public Object raw() {
        return ifcond;
    }

    /** Whether there is a condition at all (Python's {@code bool(ifcond)}). */
    public boolean isPresent() {
        if (ifcond == null) {
            return false;
        }
        if (ifcond instanceof String) {
            return !((String) ifcond).isEmpty();
        }
        if (ifcond instanceof Map) {
            return !((Map<?, ?>) ifcond).isEmpty();
        }
        return !(ifcond instanceof List) || !((List<?>) ifcond).isEmpty();
    }

    /** The condition as a C preprocessor expression, e.g. {@code defined(A) && !defined(B)}. */
    public String cgen() {
        return render("defined(%s)", "!%s", " && ", " || ");
    }

    /** The condition for documentation, e.g. {@code A and not B}. */
    public String docgen() {
        return render("%s", "not %s", " and ", " or ");
    }

    private String render(String condFmt, String notFmt, String allOp, String anyOp) {
        if (!isPresent()) {
            return "";
        }
        return render(ifcond, false, condFmt, notFmt, allOp, anyOp);
    }

    private static String render(Object cond, boolean needParens, String condFmt, String notFmt,
            String allOp, String anyOp) {
        if (cond instanceof String) {
            return String.format(condFmt, cond);
        }
        Map<?, ?> map = (Map<?, ?>) cond;
        if (map.containsKey("not")) {
            return String.format(notFmt, render(map.get("not"), true, condFmt, notFmt, allOp, anyOp));
        }
        boolean all = map.containsKey("all");
        List<String> parts = new ArrayList<>();
        for (Object operand : (List<?>) map.get(all ? "all" : "any")) {
            parts.add(render(operand, true, condFmt, notFmt, allOp, anyOp));
        }
        String gen = String.join(all ? allOp : anyOp, parts);
        return needParens ? "(" + gen + ")" : gen;
    }

    /**
     * Python's {@code str()} of the raw value, as QEMU's test dump prints it: a symbol as is,
     * a map as Python's {@code repr}, e.g. {@code {'all': ['A', 'B']}}.
     */
    public String pythonStr() {
        return ifcond instanceof String ? (String) ifcond : PythonRepr.of(ifcond);
    }

    @Override
    public String toString() {
        return pythonStr();
    }
}

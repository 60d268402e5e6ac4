package org.qapi4j.codegen.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How an {@link IfCond} is written: as C, as documentation, as the schema's raw value. */
final class IfCondRendering {
    private IfCondRendering() {
    }

    static String render(IfCond cond, String nameFormat, String notFormat, String allOp, String anyOp) {
        return cond.isPresent() ? render(cond, false, nameFormat, notFormat, allOp, anyOp) : "";
    }

    private static String render(IfCond cond, boolean needParens, String nameFormat, String notFormat,
            String allOp, String anyOp) {
        if (cond instanceof IfCond.Name n) {
            return String.format(nameFormat, n.name());
        }
        if (cond instanceof IfCond.Not n) {
            return String.format(notFormat, render(n.operand(), true, nameFormat, notFormat, allOp, anyOp));
        }
        boolean all = cond instanceof IfCond.All;
        List<IfCond> operands = all ? ((IfCond.All) cond).operands() : ((IfCond.Any) cond).operands();
        List<String> parts = new ArrayList<>();
        for (IfCond operand : operands) {
            parts.add(render(operand, true, nameFormat, notFormat, allOp, anyOp));
        }
        String gen = String.join(all ? allOp : anyOp, parts);
        return needParens ? "(" + gen + ")" : gen;
    }

    /** The raw value the schema wrote: a {@code String}, or a one-key map of operator to operands. */
    static Object raw(IfCond cond) {
        if (cond instanceof IfCond.Name n) {
            return n.name();
        }
        Map<String, Object> operator = new LinkedHashMap<>();
        if (cond instanceof IfCond.Not n) {
            operator.put("not", raw(n.operand()));
        } else if (cond instanceof IfCond.All a) {
            operator.put("all", a.operands().stream().map(IfCondRendering::raw).toList());
        } else {
            operator.put("any", ((IfCond.Any) cond).operands().stream().map(IfCondRendering::raw).toList());
        }
        return operator;
    }
}

package org.qapi4j.codegen.check;

import java.util.List;
import org.qapi4j.codegen.ast.Expression;
import org.qapi4j.codegen.diag.SchemaException;

/**
 * expr.py's {@code check_flags}: the boolean flags of commands and events.
 *
 * <p>Each flag only makes sense with the value that differs from its default, so QEMU accepts
 * only that value, and refuses {@code allow-oob} together with {@code coroutine} until someone
 * needs and defines the combination.
 */
final class FlagRules {

    /** Flags whose default is true: they may only be switched off. */
    private static final List<String> FALSE_ONLY = List.of("gen", "success-response");
    /** Flags whose default is false: they may only be switched on. */
    private static final List<String> TRUE_ONLY =
            List.of("boxed", "allow-oob", "allow-preconfig", "coroutine");

    private FlagRules() {
    }

    static void checkFlags(Expression expr) {
        for (String key : FALSE_ONLY) {
            if (expr.has(key) && !Boolean.FALSE.equals(expr.get(key))) {
                throw new SchemaException(expr.info(), "flag '" + key + "' may only use false value");
            }
        }
        for (String key : TRUE_ONLY) {
            if (expr.has(key) && !Boolean.TRUE.equals(expr.get(key))) {
                throw new SchemaException(expr.info(), "flag '" + key + "' may only use true value");
            }
        }
        if (expr.has("allow-oob") && expr.has("coroutine")) {
            throw new SchemaException(expr.info(), "flags 'allow-oob' and 'coroutine' are incompatible");
        }
    }
}

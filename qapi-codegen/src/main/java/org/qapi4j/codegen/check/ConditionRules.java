package org.qapi4j.codegen.check;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.qapi4j.codegen.diag.SchemaException;
import org.qapi4j.codegen.source.SourceInfo;

/**
 * expr.py's {@code check_if}: the shape of an {@code 'if'} condition.
 *
 * <p>A condition is a configuration symbol (an upper-case C identifier) or an object with
 * exactly one of {@code all} (non-empty array), {@code any} (non-empty array) or {@code not}
 * (a condition), nested to any depth. Only the shape is checked here; the symbols mean
 * something only to the generated C code's preprocessor.
 */
final class ConditionRules {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Z][A-Z0-9_]*");
    private static final List<String> OPERATORS = List.of("all", "any", "not");

    private final SourceInfo info;
    private final String source;

    private ConditionRules(SourceInfo info, String source) {
        this.info = info;
        this.source = source;
    }

    /**
     * Checks {@code owner}'s {@code 'if'} member, if it has one.
     *
     * @param source what {@code owner} is, for the messages
     */
    static void checkIf(Map<String, Object> owner, SourceInfo info, String source) {
        Object condition = owner.get("if");
        if (condition == null) {
            return;
        }
        new ConditionRules(info, source).checkCondition(condition);
    }

    private void checkCondition(Object condition) {
        if (PyValues.isStr(condition)) {
            // Python's re.fullmatch: Matcher.matches() anchors at both ends, like it.
            if (!IDENTIFIER.matcher((String) condition).matches()) {
                throw new SchemaException(info, "'if' condition '" + condition + "' of " + source
                        + " is not a valid identifier");
            }
            return;
        }
        if (!PyValues.isDict(condition)) {
            throw new SchemaException(info,
                    "'if' condition of " + source + " must be a string or an object");
        }
        Map<String, Object> operation = PyValues.dict(condition);
        KeyRules.checkKeys(operation, info, "'if' condition of " + source, List.of(), OPERATORS);
        if (operation.size() != 1) {
            throw new SchemaException(info, "'if' condition of " + source + " has conflicting keys");
        }
        if (operation.containsKey("not")) {
            checkCondition(operation.get("not"));
        } else if (operation.containsKey("all")) {
            checkInfix("all", operation.get("all"));
        } else {
            checkInfix("any", operation.get("any"));
        }
    }

    private void checkInfix(String operator, Object operands) {
        if (!PyValues.isList(operands)) {
            throw new SchemaException(info,
                    "'" + operator + "' condition of " + source + " must be an array");
        }
        List<Object> list = PyValues.list(operands);
        if (list.isEmpty()) {
            throw new SchemaException(info, "'if' condition [] of " + source + " is useless");
        }
        for (Object operand : list) {
            checkCondition(operand);
        }
    }
}

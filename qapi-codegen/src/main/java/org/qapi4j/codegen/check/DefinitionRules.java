package org.qapi4j.codegen.check;

import java.util.List;
import java.util.Map;
import org.qapi4j.codegen.ast.Expression;
import org.qapi4j.codegen.diag.SchemaException;
import org.qapi4j.codegen.source.SourceInfo;

/**
 * The rules specific to each kind of definition: expr.py's {@code check_enum},
 * {@code check_struct}, {@code check_union}, {@code check_alternate}, {@code check_command} and
 * {@code check_event}, each preceded by the key check and normalization that
 * {@code check_exprs} does for that kind, in the same order.
 *
 * <p>The name (the value of the meta key) has already been checked to be a string when these
 * run. The common members ({@code if}, {@code features}, flags) are checked afterwards by
 * {@link ExpressionChecker}.
 */
final class DefinitionRules {

    private static final List<String> COMMON_OPTIONAL = List.of("if", "features");

    private DefinitionRules() {
    }

    /** {@code enum}: an array of member names or objects, and an optional C prefix. */
    static void checkEnum(Expression expr) {
        SourceInfo info = expr.info();
        KeyRules.checkKeys(expr.data(), info, "enum",
                List.of("enum", "data"), List.of("if", "features", "prefix"));
        String name = (String) expr.get("enum");
        Object members = expr.get("data");
        Object prefix = expr.get("prefix");
        if (!PyValues.isList(members)) {
            throw new SchemaException(info, "'data' must be an array");
        }
        if (prefix != null && !PyValues.isStr(prefix)) {
            throw new SchemaException(info, "'prefix' must be a string");
        }
        boolean permissive = info.pragma().memberNameExceptions().contains(name);
        List<Object> list = PyValues.list(members);
        FeatureRules.wrapBareNames(list);
        for (Object element : list) {
            Map<String, Object> member = PyValues.dict(element);
            KeyRules.checkKeys(member, info, "'data' member", List.of("name"), COMMON_OPTIONAL);
            Object memberName = member.get("name");
            NameRules.checkIsStr(memberName, info, "'data' member");
            String source = "'data' member '" + memberName + "'";
            NameRules.checkLower(hideLeadingDigit((String) memberName), info, source,
                    permissive, permissive);
            ConditionRules.checkIf(member, info, source);
            FeatureRules.checkFeatures(member.get("features"), info);
        }
    }

    /**
     * Enum values, unlike other names, may start with a digit; QEMU checks {@code 'd' + name}
     * instead. Python's {@code isdigit()} also accepts non-ASCII digits, but the result cannot
     * differ: a non-ASCII character fails the name syntax with or without the {@code d}.
     * An empty name crashes QEMU ({@code IndexError}); here it simply fails the name syntax.
     */
    private static String hideLeadingDigit(String name) {
        if (!name.isEmpty() && Character.isDigit(name.codePointAt(0))) {
            return "d" + name;
        }
        return name;
    }

    /** {@code struct}: members as an implicit struct, and an optional base type name. */
    static void checkStruct(Expression expr) {
        SourceInfo info = expr.info();
        KeyRules.checkKeys(expr.data(), info, "struct",
                List.of("struct", "data"), List.of("base", "if", "features"));
        Members.normalize(expr.get("data"));
        TypeRefRules.checkImplicit(expr.get("data"), info, "'data'", (String) expr.get("struct"));
        TypeRefRules.checkName(expr.get("base"), info, "'base'");
    }

    /** {@code union}: a base (name or implicit struct), a discriminator, branches by value. */
    static void checkUnion(Expression expr) {
        SourceInfo info = expr.info();
        KeyRules.checkKeys(expr.data(), info, "union",
                List.of("union", "base", "discriminator", "data"), COMMON_OPTIONAL);
        Members.normalize(expr.get("base"));
        Members.normalize(expr.get("data"));
        String name = (String) expr.get("union");
        Object members = expr.get("data");
        TypeRefRules.checkNameOrImplicit(expr.get("base"), info, "'base'", name);
        NameRules.checkIsStr(expr.get("discriminator"), info, "'discriminator'");
        if (!PyValues.isDict(members)) {
            throw new SchemaException(info, "'data' must be an object");
        }
        for (Map.Entry<String, Object> entry : PyValues.dict(members).entrySet()) {
            String source = "'data' member '" + entry.getKey() + "'";
            Map<String, Object> branch = PyValues.dict(entry.getValue());
            KeyRules.checkKeys(branch, info, source, List.of("type"), List.of("if"));
            ConditionRules.checkIf(branch, info, source);
            TypeRefRules.checkName(branch.get("type"), info, source);
        }
    }

    /** {@code alternate}: a non-empty object of named alternatives. */
    static void checkAlternate(Expression expr) {
        SourceInfo info = expr.info();
        KeyRules.checkKeys(expr.data(), info, "alternate",
                List.of("alternate", "data"), COMMON_OPTIONAL);
        Members.normalize(expr.get("data"));
        Object members = expr.get("data");
        // Python's "if not members": false, '' and [] count as empty too.
        if (!PyValues.truthy(members)) {
            throw new SchemaException(info, "'data' must not be empty");
        }
        if (!PyValues.isDict(members)) {
            throw new SchemaException(info, "'data' must be an object");
        }
        for (Map.Entry<String, Object> entry : PyValues.dict(members).entrySet()) {
            String source = "'data' member '" + entry.getKey() + "'";
            NameRules.checkLower(entry.getKey(), info, source);
            Map<String, Object> alternative = PyValues.dict(entry.getValue());
            KeyRules.checkKeys(alternative, info, source, List.of("type"), List.of("if"));
            ConditionRules.checkIf(alternative, info, source);
            TypeRefRules.checkNameOrArray(alternative.get("type"), info, source);
        }
    }

    /** {@code command}: arguments, return type and flags. */
    static void checkCommand(Expression expr) {
        KeyRules.checkKeys(expr.data(), expr.info(), "command",
                List.of("command"),
                List.of("data", "returns", "boxed", "if", "features",
                        "gen", "success-response", "allow-oob",
                        "allow-preconfig", "coroutine"));
        Members.normalize(expr.get("data"));
        checkArguments(expr);
        TypeRefRules.checkNameOrArray(expr.get("returns"), expr.info(), "'returns'");
    }

    /** {@code event}: arguments only. */
    static void checkEvent(Expression expr) {
        KeyRules.checkKeys(expr.data(), expr.info(), "event",
                List.of("event"), List.of("data", "boxed", "if", "features"));
        Members.normalize(expr.get("data"));
        checkArguments(expr);
    }

    /**
     * The {@code data} of a command or event: with {@code boxed} it must name a type, else it
     * may also be an implicit struct. Like QEMU, this tests {@code boxed} for truthiness; that
     * it is exactly {@code true} is checked later, with the other flags.
     */
    private static void checkArguments(Expression expr) {
        Object args = expr.get("data");
        if (PyValues.truthy(expr.get("boxed"))) {
            if (args == null) {
                throw new SchemaException(expr.info(), "'boxed': true requires 'data'");
            }
            TypeRefRules.checkName(args, expr.info(), "'data'");
        } else {
            TypeRefRules.checkNameOrImplicit(args, expr.info(), "'data'", null);
        }
    }
}

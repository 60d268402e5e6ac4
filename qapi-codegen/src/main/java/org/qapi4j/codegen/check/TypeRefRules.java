package org.qapi4j.codegen.check;

import java.util.List;
import java.util.Map;
import org.qapi4j.codegen.diag.SchemaException;
import org.qapi4j.codegen.source.SourceInfo;

/**
 * expr.py's {@code check_type_*}: the shape of a reference to a type.
 *
 * <p>Depending on the place, a type is a name, a one-element array {@code ['Name']}, or an
 * object defining an implicit struct (the arguments of a command, the base of a union). Whether
 * the named types exist is decided later, by the model; only the form is checked here.
 */
final class TypeRefRules {

    private TypeRefRules() {
    }

    /** A type name, or nothing. */
    static void checkName(Object value, SourceInfo info, String source) {
        if (value != null && !PyValues.isStr(value)) {
            throw new SchemaException(info, source + " should be a type name");
        }
    }

    /** A type name, an array of one type name, or nothing. */
    static void checkNameOrArray(Object value, SourceInfo info, String source) {
        if (value == null || PyValues.isStr(value)) {
            return;
        }
        if (!PyValues.isList(value)) {
            throw new SchemaException(info, source + " should be a type name or array");
        }
        List<Object> list = PyValues.list(value);
        if (list.size() != 1 || !PyValues.isStr(list.get(0))) {
            throw new SchemaException(info, source + ": array type must contain single type name");
        }
    }

    /** A type name, an implicit struct (see {@link #checkImplicit}), or nothing. */
    static void checkNameOrImplicit(Object value, SourceInfo info, String source, String parentName) {
        if (value == null || PyValues.isStr(value)) {
            return;
        }
        checkImplicit(value, info, source, parentName);
    }

    /**
     * An implicit struct, or nothing. Its members must already be normalized to
     * {@code {'type': ...}} objects (see {@link Members#normalize}); their {@code features} are
     * normalized here.
     *
     * @param parentName the definition the struct belongs to; when the pragma
     *     {@code member-name-exceptions} names it, member names may use upper case and {@code _}.
     *     Null for commands and events, which never get the exception.
     */
    static void checkImplicit(Object value, SourceInfo info, String source, String parentName) {
        if (value == null) {
            return;
        }
        if (!PyValues.isDict(value)) {
            throw new SchemaException(info, source + " should be an object or type name");
        }
        boolean permissive = parentName != null
                && info.pragma().memberNameExceptions().contains(parentName);
        for (Map.Entry<String, Object> entry : PyValues.dict(value).entrySet()) {
            String keySource = source + " member '" + entry.getKey() + "'";
            String name = entry.getKey().startsWith("*") ? entry.getKey().substring(1) : entry.getKey();
            NameRules.checkLower(name, info, keySource, permissive, permissive);
            String cName = NameRules.cName(name);
            // 'u' is the generated union member, has_FOO the flag of optional member FOO.
            if (cName.equals("u") || cName.startsWith("has_")) {
                throw new SchemaException(info, keySource + " uses reserved name");
            }
            Map<String, Object> member = PyValues.dict(entry.getValue());
            KeyRules.checkKeys(member, info, keySource, List.of("type"), List.of("if", "features"));
            ConditionRules.checkIf(member, info, keySource);
            FeatureRules.checkFeatures(member.get("features"), info);
            checkNameOrArray(member.get("type"), info, keySource);
        }
    }
}

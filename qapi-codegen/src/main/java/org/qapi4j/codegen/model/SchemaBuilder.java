package org.qapi4j.codegen.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.qapi4j.codegen.ast.Expression;
import org.qapi4j.codegen.source.SourceInfo;

/**
 * Turns checked expressions into entities, adding the implicit ones, in QEMU's order (an
 * implicit type is defined right before its first user). QEMU's {@code QAPISchema._def_*} and
 * {@code _make_*}.
 */
final class SchemaBuilder {
    private static final String POINTER = " *";
    private static final String[][] BUILTINS = {
        {"str", "string", "char" + POINTER},
        {"number", "number", "double"},
        {"int", "int", "int64_t"},
        {"int8", "int", "int8_t"},
        {"int16", "int", "int16_t"},
        {"int32", "int", "int32_t"},
        {"int64", "int", "int64_t"},
        {"uint8", "int", "uint8_t"},
        {"uint16", "int", "uint16_t"},
        {"uint32", "int", "uint32_t"},
        {"uint64", "int", "uint64_t"},
        {"size", "int", "uint64_t"},
        {"bool", "boolean", "bool"},
        {"any", "value", "QObject" + POINTER},
        {"null", "null", "QNull" + POINTER},
    };
    private static final List<String> QTYPES =
            List.of("none", "qnull", "qnum", "qstring", "qdict", "qlist", "qbool");

    private final Schema schema;

    SchemaBuilder(Schema schema) {
        this.schema = schema;
    }

    /** Defines the built-in types and their arrays, {@code q_empty} and {@code QType}. */
    ObjectType definePredefineds() {
        for (String[] builtin : BUILTINS) {
            schema.defineDefinition(new BuiltinType(builtin[0], builtin[1], builtin[2]));
            makeArrayType(builtin[0], null);
        }
        ObjectType empty = new ObjectType("q_empty", null, null, null, null, null, List.of(), null);
        schema.defineDefinition(empty);
        List<EnumMember> qtypeValues = new ArrayList<>();
        for (String name : QTYPES) {
            qtypeValues.add(makeEnumMember(name, null, null, null));
        }
        schema.defineDefinition(new EnumType("QType", null, null, null, null, qtypeValues, null));
        return empty;
    }

    void defineExpressions(List<Expression> exprs) {
        for (Expression expr : exprs) {
            if (expr.has("enum")) {
                defineEnum(expr);
            } else if (expr.has("struct")) {
                defineStruct(expr);
            } else if (expr.has("union")) {
                defineUnion(expr);
            } else if (expr.has("alternate")) {
                defineAlternate(expr);
            } else if (expr.has("command")) {
                defineCommand(expr);
            } else if (expr.has("event")) {
                defineEvent(expr);
            } else if (expr.has("include")) {
                defineInclude(expr);
            } else {
                throw new IllegalArgumentException("unexpected expression " + expr.data());
            }
        }
    }

    // ---- helpers for the loosely typed expression values ----------------------------------

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return (List<Object>) value;
    }

    private static boolean flag(Expression expr, String key, boolean dflt) {
        Object value = expr.get(key);
        return value == null ? dflt : (Boolean) value;
    }

    // ---- _make_* --------------------------------------------------------------------------

    private List<Feature> makeFeatures(Object features, SourceInfo info) {
        if (features == null) {
            return List.of();
        }
        List<Feature> result = new ArrayList<>();
        for (Object f : list(features)) {
            String name = (String) map(f).get("name");
            schema.featureDict().putIfAbsent(name, new Feature(name, info, null));
        }
        for (Object f : list(features)) {
            Map<String, Object> feature = map(f);
            result.add(new Feature((String) feature.get("name"), info, IfCond.of(feature.get("if"))));
        }
        return result;
    }

    private EnumMember makeEnumMember(String name, Object ifcond, Object features, SourceInfo info) {
        return new EnumMember(name, info, IfCond.of(ifcond), makeFeatures(features, info));
    }

    private List<EnumMember> makeEnumMembers(Object values, SourceInfo info) {
        List<EnumMember> members = new ArrayList<>();
        for (Object v : list(values)) {
            Map<String, Object> value = map(v);
            members.add(makeEnumMember(
                    (String) value.get("name"), value.get("if"), value.get("features"), info));
        }
        return members;
    }

    private String makeArrayType(String elementType, SourceInfo info) {
        String name = elementType + "List";
        if (schema.lookupType(name) == null) {
            schema.defineDefinition(new ArrayType(name, info, elementType));
        }
        return name;
    }

    /** A type name, or the array type named by {@code ['ELEMENT']}. */
    private String typeName(Object type, SourceInfo info) {
        if (type instanceof List) {
            List<Object> elements = list(type);
            if (elements.size() != 1) {
                throw new IllegalArgumentException("array type needs one element: " + type);
            }
            return makeArrayType((String) elements.get(0), info);
        }
        return (String) type;
    }

    private String makeImplicitObjectType(String name, SourceInfo info, IfCond ifCond, String role,
            List<ObjectTypeMember> members) {
        if (members.isEmpty()) {
            return null;
        }
        String implicitName = "q_obj_" + name + "-" + role;
        // A second user can only be a duplicate definition, which is reported later.
        if (schema.lookupEntity(implicitName) == null) {
            schema.defineDefinition(new ObjectType(
                    implicitName, info, null, ifCond, null, null, members, null));
        }
        return implicitName;
    }

    private ObjectTypeMember makeMember(String name, Object type, IfCond ifCond, Object features,
            SourceInfo info) {
        boolean optional = false;
        if (name.startsWith("*")) {
            name = name.substring(1);
            optional = true;
        }
        String typ = typeName(type, info);
        return new ObjectTypeMember(name, info, typ, optional, ifCond, makeFeatures(features, info));
    }

    private List<ObjectTypeMember> makeMembers(Object data, SourceInfo info) {
        List<ObjectTypeMember> members = new ArrayList<>();
        for (Map.Entry<String, Object> e : map(data).entrySet()) {
            Map<String, Object> value = map(e.getValue());
            members.add(makeMember(e.getKey(), value.get("type"), IfCond.of(value.get("if")),
                    value.get("features"), info));
        }
        return members;
    }

    private List<Variant> makeVariants(Object data, SourceInfo info) {
        List<Variant> variants = new ArrayList<>();
        for (Map.Entry<String, Object> e : map(data).entrySet()) {
            Map<String, Object> value = map(e.getValue());
            IfCond ifCond = IfCond.of(value.get("if"));
            variants.add(new Variant(e.getKey(), info, typeName(value.get("type"), info), ifCond));
        }
        return variants;
    }

    // ---- _def_* ---------------------------------------------------------------------------

    private void defineInclude(Expression expr) {
        String include = (String) expr.get("include");
        schema.defineEntity(new Include(schema.makeModule(include), expr.info()));
    }

    private void defineEnum(Expression expr) {
        SourceInfo info = expr.info();
        IfCond ifCond = IfCond.of(expr.get("if"));
        List<Feature> features = makeFeatures(expr.get("features"), info);
        schema.defineDefinition(new EnumType((String) expr.get("enum"), info, expr.doc(), ifCond,
                features, makeEnumMembers(expr.get("data"), info), (String) expr.get("prefix")));
    }

    private void defineStruct(Expression expr) {
        SourceInfo info = expr.info();
        IfCond ifCond = IfCond.of(expr.get("if"));
        List<Feature> features = makeFeatures(expr.get("features"), info);
        List<ObjectTypeMember> members = makeMembers(expr.get("data"), info);
        schema.defineDefinition(new ObjectType((String) expr.get("struct"), info, expr.doc(),
                ifCond, features, (String) expr.get("base"), members, null));
    }

    private void defineUnion(Expression expr) {
        String name = (String) expr.get("union");
        SourceInfo info = expr.info();
        IfCond ifCond = IfCond.of(expr.get("if"));
        List<Feature> features = makeFeatures(expr.get("features"), info);
        Object base = expr.get("base");
        String baseName;
        if (base instanceof Map) {
            baseName = makeImplicitObjectType(name, info, ifCond, "base", makeMembers(base, info));
        } else {
            baseName = (String) base;
        }
        List<Variant> variants = makeVariants(expr.get("data"), info);
        schema.defineDefinition(new ObjectType(name, info, expr.doc(), ifCond, features, baseName,
                List.of(), new Branches(info, variants, (String) expr.get("discriminator"))));
    }

    private void defineAlternate(Expression expr) {
        String name = (String) expr.get("alternate");
        SourceInfo info = expr.info();
        IfCond ifCond = IfCond.of(expr.get("if"));
        List<Feature> features = makeFeatures(expr.get("features"), info);
        List<Variant> variants = makeVariants(expr.get("data"), info);
        ObjectTypeMember tag = new ObjectTypeMember("type", info, "QType", false, null, null);
        schema.defineDefinition(new AlternateType(name, info, expr.doc(), ifCond, features,
                new Alternatives(info, variants, tag)));
    }

    private void defineCommand(Expression expr) {
        String name = (String) expr.get("command");
        SourceInfo info = expr.info();
        IfCond ifCond = IfCond.of(expr.get("if"));
        List<Feature> features = makeFeatures(expr.get("features"), info);
        String argType = argumentType(name, expr.get("data"), info, ifCond);
        Object rets = expr.get("returns");
        String retType = rets == null ? null : typeName(rets, info);
        Command.CommandFlags flags = new Command.CommandFlags(
                flag(expr, "gen", true), flag(expr, "success-response", true),
                flag(expr, "boxed", false), flag(expr, "allow-oob", false),
                flag(expr, "allow-preconfig", false), flag(expr, "coroutine", false));
        schema.defineDefinition(new Command(
                name, info, expr.doc(), ifCond, features, argType, retType, flags));
    }

    private void defineEvent(Expression expr) {
        String name = (String) expr.get("event");
        SourceInfo info = expr.info();
        IfCond ifCond = IfCond.of(expr.get("if"));
        List<Feature> features = makeFeatures(expr.get("features"), info);
        String argType = argumentType(name, expr.get("data"), info, ifCond);
        schema.defineDefinition(new Event(
                name, info, expr.doc(), ifCond, features, argType, flag(expr, "boxed", false)));
    }

    /**
     * A command's or event's argument type: the named type, or the implicit object type
     * {@code q_obj_NAME-arg} made from the members written in place.
     */
    private String argumentType(String name, Object data, SourceInfo info, IfCond ifCond) {
        return data instanceof Map
                ? makeImplicitObjectType(name, info, ifCond, "arg", makeMembers(data, info))
                : (String) data;
    }
}

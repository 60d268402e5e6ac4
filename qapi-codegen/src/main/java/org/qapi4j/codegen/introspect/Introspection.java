package org.qapi4j.codegen.introspect;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.qapi4j.codegen.model.Conditions;
import org.qapi4j.codegen.model.AlternateType;
import org.qapi4j.codegen.model.ArrayType;
import org.qapi4j.codegen.model.BuiltinType;
import org.qapi4j.codegen.model.Command;
import org.qapi4j.codegen.model.Entity;
import org.qapi4j.codegen.model.EnumMember;
import org.qapi4j.codegen.model.EnumType;
import org.qapi4j.codegen.model.Event;
import org.qapi4j.codegen.model.Feature;
import org.qapi4j.codegen.model.IfCond;
import org.qapi4j.codegen.model.ObjectType;
import org.qapi4j.codegen.model.ObjectTypeMember;
import org.qapi4j.codegen.model.Schema;
import org.qapi4j.codegen.model.SchemaType;
import org.qapi4j.codegen.model.SchemaVisitor;
import org.qapi4j.codegen.model.Variant;

/**
 * The answer to {@code query-qmp-schema} for a schema: the list of {@code SchemaInfo} objects
 * QEMU's {@code scripts/qapi/introspect.py} compiles into the server, entry for entry.
 *
 * <p>What a client can learn from it is deliberately narrow, and this class keeps it exactly as
 * narrow, because a client that compares our answer with a server's must see the same thing:
 * <ul>
 * <li><b>Only what the wire can show.</b> Commands and events are the protocol; a type appears
 *     only when a command or event reaches it (through arguments, return values, members,
 *     branches, alternatives or array elements). Types nobody uses are left out.</li>
 * <li><b>Type names are masked.</b> Type names are not part of QMP's compatibility promise:
 *     QEMU renames and splits types freely. So that clients do not come to depend on them, each
 *     type's name is replaced by a number, {@code "0"}, {@code "1"}, ..., in the order the types
 *     are first reached. Commands, events, built-in types and arrays keep their names (an array
 *     is named {@code "[ELEMENT]"} after its masked element). {@code unmask} shows the real
 *     names, as QEMU's {@code qapi-gen -u} does, for debugging.</li>
 * <li><b>Wire types, not C types.</b> Every integer type ({@code int8} ... {@code uint64},
 *     {@code size}) is reported as {@code int}, and arrays of them as {@code [int]}: on the wire
 *     they are all JSON numbers.</li>
 * <li><b>Defaults made explicit.</b> A command without arguments or return value gets the empty
 *     object type; an optional member carries {@code "default": null}; {@code allow-oob} is only
 *     present when true.</li>
 * </ul>
 *
 * <p>QEMU wraps conditional entries, members, values, branches and features in {@code #if} and
 * lets the C preprocessor drop them. Here {@link Conditions} drops them instead, but the masked
 * numbers are handed out exactly as QEMU hands them out: before the preprocessor, for everything.
 * A build that leaves something out therefore has gaps in its numbering, just like the QEMU
 * binary built with the same configuration, and entries that only excluded things reach (but
 * that carry no condition of their own) are still present, as in QEMU.
 *
 * <p>The values are plain JSON values: {@code LinkedHashMap<String, Object>} with the keys in
 * the order QEMU's generator creates them, {@code List<Object>}, {@code String},
 * {@code Boolean} and {@code null}. {@link IntrospectionJson} writes them as text.
 */
public final class Introspection {
    private Introspection() {
    }

    /**
     * Builds the {@code query-qmp-schema} answer for {@code schema}.
     *
     * @param schema the checked schema
     * @param unmask true to show type names instead of numbers (for debugging only; a real
     *     server masks them)
     * @param conditions which {@code 'if'} conditions hold; {@link Conditions#all()} keeps
     *     everything
     * @return the {@code SchemaInfo} objects: commands and events in schema visiting order
     *     (module by module), then the types they reach, in the order reached
     */
    public static List<Object> build(Schema schema, boolean unmask, Conditions conditions) {
        Generator generator = new Generator(schema, unmask, conditions);
        schema.visit(generator);
        return generator.trees;
    }

    /** QEMU's {@code QAPISchemaGenIntrospectVisitor}, minus the C output. */
    private static final class Generator implements SchemaVisitor {
        private final Schema schema;
        private final boolean unmask;
        private final Conditions conditions;
        private final List<Object> trees = new ArrayList<>();
        /** The work queue of reached types, in the order first reached; it grows while drained. */
        private final List<SchemaType> usedTypes = new ArrayList<>();
        private final Set<SchemaType> usedTypeSet = new HashSet<>();
        private final Map<String, String> nameMap = new HashMap<>();

        private Generator(Schema schema, boolean unmask, Conditions conditions) {
            this.schema = schema;
            this.unmask = unmask;
            this.conditions = conditions;
        }

        // ---- the walk ---------------------------------------------------------------------

        /** Types are not visited in schema order but when first reached (see {@link #visitEnd}). */
        @Override
        public boolean visitNeeded(Entity entity) {
            return !(entity instanceof SchemaType);
        }

        /** Visits the reached types; visiting one may reach more, which join the queue's end. */
        @Override
        public void visitEnd() {
            for (int i = 0; i < usedTypes.size(); i++) {
                SchemaType type = usedTypes.get(i);
                // SchemaType is sealed: these are all its kinds.
                if (type instanceof BuiltinType builtin) {
                    visitBuiltinType(builtin);
                } else if (type instanceof EnumType enumType) {
                    visitEnumType(enumType);
                } else if (type instanceof ArrayType array) {
                    visitArrayType(array);
                } else if (type instanceof ObjectType object) {
                    visitObjectTypeFlat(object);
                } else {
                    visitAlternateType((AlternateType) type);
                }
            }
        }

        @Override
        public void visitBuiltinType(BuiltinType type) {
            Map<String, Object> obj = new LinkedHashMap<>();
            obj.put("json-type", type.jsonType());
            addTree(type.name(), "builtin", obj, IfCond.NONE, List.of());
        }

        @Override
        public void visitEnumType(EnumType type) {
            List<Object> members = new ArrayList<>();
            List<Object> values = new ArrayList<>();
            for (EnumMember m : type.members()) {
                Map<String, Object> member = new LinkedHashMap<>();
                member.put("name", m.name());
                if (!m.features().isEmpty()) {
                    member.put("features", features(m.features()));
                }
                addIf(members, member, m.ifCond());
            }
            for (EnumMember m : type.members()) {
                addIf(values, m.name(), m.ifCond());
            }
            Map<String, Object> obj = new LinkedHashMap<>();
            obj.put("members", members);
            obj.put("values", values);
            addTree(type.name(), "enum", obj, type.ifCond(), type.features());
        }

        @Override
        public void visitArrayType(ArrayType type) {
            String element = useType(type.elementType());
            Map<String, Object> obj = new LinkedHashMap<>();
            obj.put("element-type", element);
            addTree("[" + element + "]", "array", obj, type.ifCond(), List.of());
        }

        @Override
        public void visitObjectTypeFlat(ObjectType type) {
            List<Object> members = new ArrayList<>();
            for (ObjectTypeMember m : type.members()) {
                Map<String, Object> member = new LinkedHashMap<>();
                member.put("name", m.name());
                member.put("type", useType(m.type()));
                if (m.optional()) {
                    member.put("default", null);
                }
                if (!m.features().isEmpty()) {
                    member.put("features", features(m.features()));
                }
                addIf(members, member, m.ifCond());
            }
            Map<String, Object> obj = new LinkedHashMap<>();
            obj.put("members", members);
            if (type.branches() != null) {
                obj.put("tag", type.branches().tagMember().name());
                List<Object> variants = new ArrayList<>();
                for (Variant v : type.branches().variants()) {
                    Map<String, Object> variant = new LinkedHashMap<>();
                    variant.put("case", v.name());
                    variant.put("type", useType(v.type()));
                    addIf(variants, variant, v.ifCond());
                }
                obj.put("variants", variants);
            }
            addTree(type.name(), "object", obj, type.ifCond(), type.features());
        }

        @Override
        public void visitAlternateType(AlternateType type) {
            List<Object> members = new ArrayList<>();
            for (Variant v : type.alternatives().variants()) {
                Map<String, Object> member = new LinkedHashMap<>();
                member.put("type", useType(v.type()));
                addIf(members, member, v.ifCond());
            }
            Map<String, Object> obj = new LinkedHashMap<>();
            obj.put("members", members);
            addTree(type.name(), "alternate", obj, type.ifCond(), type.features());
        }

        @Override
        public void visitCommand(Command command) {
            SchemaType argType = orEmpty(command.argType());
            SchemaType retType = orEmpty(command.retType());
            Map<String, Object> obj = new LinkedHashMap<>();
            obj.put("arg-type", useType(argType));
            obj.put("ret-type", useType(retType));
            if (command.allowOob()) {
                obj.put("allow-oob", Boolean.TRUE);
            }
            addTree(command.name(), "command", obj, command.ifCond(), command.features());
        }

        @Override
        public void visitEvent(Event event) {
            SchemaType argType = orEmpty(event.argType());
            Map<String, Object> obj = new LinkedHashMap<>();
            obj.put("arg-type", useType(argType));
            addTree(event.name(), "event", obj, event.ifCond(), event.features());
        }

        /** No arguments or no return value: QEMU reports the empty object type. */
        private SchemaType orEmpty(SchemaType type) {
            return type != null ? type : schema.theEmptyObjectType();
        }

        // ---- helpers ----------------------------------------------------------------------

        /** The number standing for type name {@code name}, handed out on first sight. */
        private String name(String name) {
            if (unmask) {
                return name;
            }
            return nameMap.computeIfAbsent(name, n -> Integer.toString(nameMap.size()));
        }

        /**
         * Queues {@code type} for an entry of its own and returns how entries refer to it. Integer
         * types become {@code int}; built-ins keep their names; arrays are {@code [ELEMENT]}; all
         * other types are masked.
         */
        private String useType(SchemaType type) {
            SchemaType typ = type;
            if (typ.jsonType().equals("int")) {
                typ = schema.lookupType("int");
            } else if (typ instanceof ArrayType
                    && ((ArrayType) typ).elementType().jsonType().equals("int")) {
                typ = schema.lookupType("intList");
            }
            if (usedTypeSet.add(typ)) {
                usedTypes.add(typ);
            }
            if (typ instanceof BuiltinType) {
                return typ.name();
            }
            if (typ instanceof ArrayType) {
                return "[" + useType(((ArrayType) typ).elementType()) + "]";
            }
            return name(typ.name());
        }

        /** The names of the features that hold (the key is there when the schema has any). */
        private List<Object> features(List<Feature> features) {
            List<Object> names = new ArrayList<>();
            for (Feature f : features) {
                addIf(names, f.name(), f.ifCond());
            }
            return names;
        }

        /** Completes a {@code SchemaInfo} and adds it, unless its condition excludes it. */
        private void addTree(String name, String metaType, Map<String, Object> obj, IfCond ifCond,
                List<Feature> features) {
            String entryName = name;
            if (!metaType.equals("command") && !metaType.equals("event")
                    && !metaType.equals("builtin") && !metaType.equals("array")) {
                entryName = name(name);
            }
            obj.put("name", entryName);
            obj.put("meta-type", metaType);
            if (!features.isEmpty()) {
                obj.put("features", features(features));
            }
            addIf(trees, obj, ifCond);
        }

        private void addIf(List<Object> list, Object value, IfCond ifCond) {
            if (conditions.holds(ifCond)) {
                list.add(value);
            }
        }
    }
}

package org.qapi4j.tests;

import java.util.List;
import java.util.Random;
import org.qapi4j.codegen.model.AlternateType;
import org.qapi4j.codegen.model.ArrayType;
import org.qapi4j.codegen.model.BuiltinType;
import org.qapi4j.codegen.model.EnumMember;
import org.qapi4j.codegen.model.EnumType;
import org.qapi4j.codegen.model.ObjectType;
import org.qapi4j.codegen.model.ObjectTypeMember;
import org.qapi4j.codegen.model.SchemaType;
import org.qapi4j.codegen.model.Variant;
import org.qapi4j.qmp.json.Json;
import org.qapi4j.qmp.types.QapiNull;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Random JSON that the schema says is valid, made from the model alone, without the generated
 * classes: what QEMU would accept (and a strict generated decoder must accept too). It checks
 * the other direction from {@link Instances}: not "what the Java types can hold survives the
 * wire" but "what the wire can carry fits the Java types".
 */
final class Documents {
    /** The schema allows no valid value here (an enum without values). */
    static final class Impossible extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Impossible(String why) {
            super(why, null, false, false);
        }
    }

    private final Instances scalars;
    private final Random random;

    Documents(Instances scalars) {
        this.scalars = scalars;
        this.random = scalars.random();
    }

    JsonNode value(SchemaType type, int depth) {
        if (type instanceof BuiltinType) {
            return builtin(type.name());
        }
        if (type instanceof ArrayType) {
            ArrayNode array = Json.array();
            int size = depth >= Instances.MAX_DEPTH ? 0 : random.nextInt(4);
            for (int i = 0; i < size; i++) {
                array.add(value(((ArrayType) type).elementType(), depth + 1));
            }
            return array;
        }
        if (type instanceof EnumType) {
            List<EnumMember> members = ((EnumType) type).members();
            if (members.isEmpty()) {
                throw new Impossible("enum " + type.name() + " has no values");
            }
            return Json.string(members.get(random.nextInt(members.size())).name());
        }
        if (type instanceof AlternateType) {
            List<Variant> variants = ((AlternateType) type).alternatives().variants();
            Variant variant = variants.get(random.nextInt(variants.size()));
            if (depth >= Instances.MAX_DEPTH) {
                for (Variant v : variants) {
                    if (!(v.type() instanceof ObjectType) && !(v.type() instanceof ArrayType)) {
                        variant = v;
                    }
                }
            }
            return value(variant.type(), depth + 1);
        }
        return object((ObjectType) type, depth);
    }

    /**
     * An object of {@code type}: its members, and for a union, a branch's (whose type may be a
     * union in turn, with branches of its own).
     */
    ObjectNode object(ObjectType type, int depth) {
        ObjectNode object = Json.object();
        if (type != null) {
            fill(object, type, depth);
        }
        return object;
    }

    private void fill(ObjectNode object, ObjectType type, int depth) {
        members(object, type.members(), depth);
        if (type.branches() != null) {
            String tag = type.branches().tagMember().name();
            EnumType tagType = (EnumType) type.branches().tagMember().type();
            if (tagType.members().isEmpty()) {
                throw new Impossible("union " + type.name() + " has no branches");
            }
            EnumMember value = tagType.members().get(random.nextInt(tagType.members().size()));
            object.set(tag, Json.string(value.name()));
            Variant variant = Catalog.variant(type, value);
            if (variant != null) {
                fill(object, (ObjectType) variant.type(), depth);
            }
        }
    }

    private void members(ObjectNode object, List<ObjectTypeMember> members, int depth) {
        for (ObjectTypeMember member : members) {
            if (member.optional() && (depth >= Instances.MAX_DEPTH || random.nextInt(3) == 0)) {
                continue;
            }
            object.set(member.name(), value(member.type(), depth + 1));
        }
    }

    private JsonNode builtin(String name) {
        Object value = scalars.builtin(name);
        switch (name) {
            case "str":
                return Json.string((String) value);
            case "uint64":
            case "size":
                return Json.unsigned((Long) value);
            case "number":
                return Json.number((Double) value);
            case "bool":
                return Json.bool((Boolean) value);
            case "any":
                return (JsonNode) value;
            case "null":
                return ((QapiNull) value).toJson();
            default:
                return Json.integer(((Number) value).longValue());
        }
    }
}

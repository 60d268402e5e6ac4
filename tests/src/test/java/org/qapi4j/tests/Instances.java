package org.qapi4j.tests;

import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
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
import org.qapi4j.qmp.types.QapiEnum;
import org.qapi4j.qmp.types.QapiNull;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Random values of generated types, built through their canonical constructors by reflection,
 * each member's value chosen by its QAPI type as the model gives it (so an {@code int8} member
 * gets a value in -128..127 although its Java type is {@code int}).
 *
 * <p>Strict mode ({@code tolerant == false}) builds only what a strict reader accepts: known
 * enum values and union branches, no unknown or missing members, alternatives that exist.
 * Tolerant mode also builds, now and then, what a newer or older server might send: unknown
 * members, enum values, union branches and alternate kinds, and mandatory members missing
 * ({@link Missing}); {@link #producedUnknown()} says whether it did.
 *
 * <p>Values nest at most {@link #MAX_DEPTH} deep where the schema leaves a choice (optional
 * members, lists, alternates), which bounds recursive types.
 */
final class Instances {
    static final int MAX_DEPTH = 4;
    private static final int HARD_LIMIT = 40;

    private final Catalog catalog;
    private final Random random;
    private final boolean tolerant;
    private boolean producedUnknown;

    Instances(Catalog catalog, long seed, boolean tolerant) {
        this.catalog = catalog;
        this.random = new Random(seed);
        this.tolerant = tolerant;
    }

    boolean producedUnknown() {
        return producedUnknown;
    }

    void reset() {
        producedUnknown = false;
    }

    Random random() {
        return random;
    }

    /** A value of {@code type} at nesting depth {@code depth}. */
    Object value(SchemaType type, int depth) {
        if (depth > HARD_LIMIT) {
            throw new AssertionError("type " + type.name() + " nests deeper than " + HARD_LIMIT + ": unbounded recursion?");
        }
        if (type instanceof BuiltinType) {
            return builtin(type.name());
        }
        if (type instanceof ArrayType) {
            int size = depth >= MAX_DEPTH ? 0 : random.nextInt(4);
            List<Object> elements = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                elements.add(value(((ArrayType) type).elementType(), depth + 1));
            }
            return List.copyOf(elements);
        }
        if (type instanceof EnumType) {
            return enumValue((EnumType) type, -1);
        }
        if (type instanceof AlternateType) {
            return alternate((AlternateType) type, depth, -1);
        }
        ObjectType object = (ObjectType) type;
        return object.branches() == null ? struct(object, depth) : union(object, depth, -1);
    }

    // ---- built-in types ---------------------------------------------------------------------

    Object builtin(String name) {
        switch (name) {
            case "str":
                return string();
            case "int":
            case "int64":
                return pick(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L, random.nextLong(), (long) random.nextInt(1000));
            case "int8":
                return pick(-128, 127, 0, random.nextInt(256) - 128);
            case "int16":
                return pick(-32768, 32767, 0, random.nextInt(65536) - 32768);
            case "int32":
                return pick(Integer.MIN_VALUE, Integer.MAX_VALUE, 0, random.nextInt());
            case "uint8":
                return pick(0, 255, random.nextInt(256));
            case "uint16":
                return pick(0, 65535, random.nextInt(65536));
            case "uint32":
                return pick(0L, 0xffff_ffffL, random.nextLong() & 0xffff_ffffL);
            case "uint64":
            case "size":
                // Unsigned in a long: -1 is 2^64-1, MIN_VALUE is 2^63.
                return pick(0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, random.nextLong(), (long) random.nextInt(4096));
            case "number":
                return pick(0.0, -0.0, 1.0, -2.5, 1e300, -1e-300, Double.MAX_VALUE, Double.MIN_VALUE,
                        random.nextGaussian() * 1e6, (double) random.nextInt());
            case "bool":
                return random.nextBoolean();
            case "any":
                return anyJson(0);
            case "null":
                return QapiNull.NULL;
            default:
                throw new AssertionError("unknown built-in type " + name);
        }
    }

    @SafeVarargs
    private <T> T pick(T... choices) {
        return choices[random.nextInt(choices.length)];
    }

    String string() {
        switch (random.nextInt(6)) {
            case 0:
                return "";
            case 1:
                return "quote\" backslash\\ newline\n tab\t nul\u0000 control\u001f";
            case 2:
                return "ünïcødé \u20ac \uD83D\uDE00 \u4e2d\u6587";
            default:
                StringBuilder text = new StringBuilder();
                int length = random.nextInt(12);
                for (int i = 0; i < length; i++) {
                    text.append((char) ('a' + random.nextInt(26)));
                }
                return text.toString();
        }
    }

    /** A random JSON tree, as a member of type {@code any} or an unknown member may hold. */
    JsonNode anyJson(int depth) {
        int choice = random.nextInt(depth >= 3 ? 6 : 8);
        switch (choice) {
            case 0:
                return Json.nullValue();
            case 1:
                return Json.bool(random.nextBoolean());
            case 2:
                return Json.integer(random.nextLong());
            case 3:
                return Json.number(random.nextGaussian() * 1000);
            case 4:
                return Json.string(string());
            case 5:
                return Json.unsigned(random.nextLong() | Long.MIN_VALUE);
            case 6: {
                ArrayNode array = Json.array();
                int size = random.nextInt(4);
                for (int i = 0; i < size; i++) {
                    array.add(anyJson(depth + 1));
                }
                return array;
            }
            default: {
                ObjectNode object = Json.object();
                int size = random.nextInt(4);
                for (int i = 0; i < size; i++) {
                    object.set("k" + random.nextInt(100), anyJson(depth + 1));
                }
                return object;
            }
        }
    }

    // ---- enums ------------------------------------------------------------------------------

    /**
     * Value {@code index} of {@code type}; a random one when {@code index < 0}; unknown when
     * {@code index} is the number of values (or by chance, in tolerant mode).
     */
    Object enumValue(EnumType type, int index) {
        Class<?>[] permitted = catalog.typeClass(type.name()).getPermittedSubclasses();
        Class<?> known = permitted[0];
        Class<?> unknown = permitted[1];
        Object[] constants = known.getEnumConstants();
        if (constants.length != type.members().size()) {
            throw new AssertionError(type.name() + ": " + constants.length + " constants for " + type.members().size() + " values");
        }
        if (index < 0) {
            index = constants.length == 0 || (tolerant && random.nextInt(5) == 0)
                    ? constants.length : random.nextInt(constants.length);
        }
        if (index >= constants.length) {
            producedUnknown = true;
            try {
                Constructor<?> constructor = unknown.getDeclaredConstructor(String.class);
                return Catalog.construct(constructor, unknownWireName(type));
            } catch (NoSuchMethodException e) {
                throw new AssertionError(unknown.getName() + "(String) missing", e);
            }
        }
        Object value = constants[index];
        String wire = ((QapiEnum) value).wireName();
        if (!wire.equals(type.members().get(index).name())) {
            throw new AssertionError(type.name() + ": constant " + value + " has wire name " + wire
                    + ", expected " + type.members().get(index).name());
        }
        return value;
    }

    private String unknownWireName(EnumType type) {
        Set<String> known = new HashSet<>();
        for (EnumMember member : type.members()) {
            known.add(member.name());
        }
        String name;
        do {
            name = pick("x-newer-", "future_", "9") + random.nextInt(1000);
        } while (known.contains(name));
        return name;
    }

    // ---- objects ----------------------------------------------------------------------------

    Object struct(ObjectType struct, int depth) {
        return record(catalog.structLayout(struct), depth, null, false);
    }

    /** An event's or a command's argument record. */
    Object data(Catalog.Subject subject) {
        return record(catalog.dataLayout(subject), 0, null, false);
    }

    /**
     * A union value: branch {@code index} (the discriminator's value {@code index}; its number
     * of values stands for Unknown), or a random branch when {@code index < 0}.
     */
    Object union(ObjectType union, int depth, int index) {
        return union(union, depth, index, false);
    }

    /**
     * A union value as {@link #union(ObjectType, int, int)}; {@code flattened} when its members
     * lie in an enclosing record's object, which then holds any unknown members (its reader
     * leaves the object open, {@code decodeMembers(in, false)}), so this value never does.
     */
    private Object union(ObjectType union, int depth, int index, boolean flattened) {
        EnumType tag = (EnumType) union.branches().tagMember().type();
        int known = tag.members().size();
        if (index < 0) {
            index = known == 0 || (tolerant && random.nextInt(6) == 0) ? known : random.nextInt(known);
        }
        Catalog.RecordLayout layout = catalog.branchLayout(union, index);
        Object discriminator = null;
        if (index == known) {
            discriminator = enumValue(tag, known);
        }
        return record(layout, depth, discriminator, flattened);
    }

    /**
     * A record of {@code layout}: required members always, optional ones sometimes, unknown
     * and missing members in tolerant mode sometimes (never when {@code flattened}: its members
     * lie in an enclosing record's object, which holds the unknown ones). {@code firstValue}, when not
     * null, is the value of the first component (a union's unknown discriminator). A component
     * holding a union whose members lie in this record's object gets a union value at this
     * same depth, flattened.
     */
    private Object record(Catalog.RecordLayout layout, int depth, Object firstValue, boolean flattened) {
        List<Catalog.Slot> slots = layout.slots();
        Object[] args = new Object[slots.size() + 2];
        Set<String> wireNames = new HashSet<>();
        for (int i = 0; i < slots.size(); i++) {
            Catalog.Slot slot = slots.get(i);
            if (slot.isFlattened()) {
                wireNames.addAll(Catalog.wireNames(slot.flattened()));
                args[i] = union(slot.flattened(), depth, -1, true);
                continue;
            }
            ObjectTypeMember member = slot.member();
            wireNames.add(member.name());
            if (i == 0 && firstValue != null) {
                args[i] = firstValue;
            } else if (member.optional() && (depth >= MAX_DEPTH || random.nextInt(3) == 0)) {
                args[i] = null;
            } else {
                args[i] = value(member.type(), depth + 1);
            }
        }
        args[slots.size()] = tolerant && !flattened && random.nextInt(4) == 0 ? Missing.drop(layout, args, random) : Set.of();
        producedUnknown |= !((Set<?>) args[slots.size()]).isEmpty();
        if (tolerant && !flattened && random.nextInt(3) == 0) {
            args[slots.size() + 1] = unknownMembers(wireNames, depth);
        }
        return Catalog.construct(layout.constructor(), args);
    }

    /** One to three members none of whose names is in {@code known}. */
    private ObjectNode unknownMembers(Set<String> known, int depth) {
        producedUnknown = true;
        ObjectNode members = Json.object();
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            String name;
            do {
                name = pick("x-newer-member", "future_thing", "Zz", "default") + random.nextInt(100);
            } while (known.contains(name));
            members.set(name, anyJson(depth >= MAX_DEPTH ? 3 : 1));
        }
        return members;
    }

    // ---- alternates -------------------------------------------------------------------------

    /**
     * Alternative {@code index} of {@code alternate} (its number of alternatives stands for
     * Unknown), or a random one when {@code index < 0}. Deep down, scalars are preferred.
     */
    Object alternate(AlternateType alternate, int depth, int index) {
        List<Class<?>> records = catalog.alternatives(alternate);
        List<Variant> variants = alternate.alternatives().variants();
        if (index < 0) {
            List<Integer> choices = new ArrayList<>();
            for (int i = 0; i < variants.size(); i++) {
                String qtype = variants.get(i).type().alternateQType();
                boolean nests = qtype.equals("QTYPE_QDICT") || qtype.equals("QTYPE_QLIST");
                if (depth < MAX_DEPTH || !nests) {
                    choices.add(i);
                }
            }
            if (choices.isEmpty()) {
                choices.add(random.nextInt(variants.size()));
            }
            index = tolerant && !AlternateKinds.unknownTo(alternate).isEmpty() && random.nextInt(6) == 0
                    ? variants.size() : choices.get(random.nextInt(choices.size()));
        }
        if (index == variants.size()) {
            producedUnknown = true;
            List<String> kinds = AlternateKinds.unknownTo(alternate);
            JsonNode value = jsonOfKind(kinds.get(random.nextInt(kinds.size())));
            return Catalog.construct(canonical(records.get(index)), value);
        }
        Object value = value(variants.get(index).type(), depth + 1);
        return Catalog.construct(canonical(records.get(index)), value);
    }

    JsonNode jsonOfKind(String qtype) {
        switch (qtype) {
            case "QTYPE_QDICT": {
                ObjectNode object = Json.object();
                object.set("unexpected", Json.integer(random.nextInt(10)));
                return object;
            }
            case "QTYPE_QLIST": {
                ArrayNode array = Json.array();
                array.add(Json.string(string()));
                return array;
            }
            case "QTYPE_QSTRING":
                return Json.string(string());
            case "QTYPE_QNUM":
                return random.nextBoolean() ? Json.integer(random.nextLong()) : Json.number(random.nextDouble());
            case "QTYPE_QBOOL":
                return Json.bool(random.nextBoolean());
            case "QTYPE_QNULL":
                return Json.nullValue();
            default:
                throw new AssertionError(qtype);
        }
    }

    private static Constructor<?> canonical(Class<?> record) {
        try {
            return record.getDeclaredConstructor(record.getRecordComponents()[0].getType());
        } catch (NoSuchMethodException e) {
            throw new AssertionError(record.getName() + ": no canonical constructor", e);
        }
    }
}

package org.qapi4j.tests;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.qapi4j.codegen.model.AlternateType;
import org.qapi4j.codegen.model.Command;
import org.qapi4j.codegen.model.Definition;
import org.qapi4j.codegen.model.EnumMember;
import org.qapi4j.codegen.model.EnumType;
import org.qapi4j.codegen.model.Entity;
import org.qapi4j.codegen.model.Event;
import org.qapi4j.codegen.model.ObjectType;
import org.qapi4j.codegen.model.ObjectTypeMember;
import org.qapi4j.codegen.model.Variant;
import org.qapi4j.qmp.codec.QapiReader;
import tools.jackson.databind.JsonNode;

/**
 * The generated classes of one schema paired with the model they come from: which record
 * component holds which QAPI member (so random values can respect the member's QAPI type,
 * int8 ranges and all, which the Java type alone does not tell), which nested record is which
 * union branch or alternative, and how to decode each kind of value.
 *
 * <p>The pairing follows the emitters' documented layout (struct: the members in order; union
 * branch: base members without the discriminator, then the branch's; union {@code Unknown}: the
 * discriminator, then the other base members; always {@code missingMembers} and
 * {@code unknownMembers} last) and is checked by name, so that a change of layout fails loudly
 * here instead of producing nonsense values.
 *
 * <p>Two layouts hold a union as one component whose members lie flattened in the record's own
 * JSON object (there is no member of that name on the wire): a union branch whose type is itself
 * a union (component {@code value}, after the base members without the discriminator, suffixed
 * when a base member already has that Java name), and an event whose data is a union (a boxed
 * event: component {@code data}, alone). Such a component is paired with the union type, checked
 * by name and by Java type.
 */
final class Catalog {
    /** What a round trip is about: one generated type, event or argument record. */
    enum Kind { ENUM, STRUCT, UNION, ALTERNATE, EVENT, ARGUMENTS }

    /**
     * One subject of the round trips.
     *
     * @param kind what it is
     * @param qapiName its name in the schema (the command's, for argument records)
     * @param javaClass the generated class (the sealed interface for enums, unions, alternates)
     * @param definition the model definition: the type, event or command
     * @param dataType the object type of an event's data or a command's arguments, else null
     */
    record Subject(Kind kind, String qapiName, Class<?> javaClass, Definition definition, ObjectType dataType) {
        String label() {
            return kind.name().toLowerCase(Locale.ROOT) + " " + qapiName + " (" + javaClass.getName() + ")";
        }
    }

    /**
     * What one record component holds: a member of the record's object ({@code member}), or a
     * union whose members lie flattened in the record's object ({@code flattened}, its Java
     * type the union's interface). Exactly one of the two is not null.
     */
    record Slot(ObjectTypeMember member, ObjectType flattened) {
        static Slot of(ObjectTypeMember member) {
            return new Slot(member, null);
        }

        boolean isFlattened() {
            return flattened != null;
        }

        boolean optional() {
            return member != null && member.optional();
        }

        @Override
        public String toString() {
            return member != null ? member.name() : "<members of union " + flattened.name() + ">";
        }
    }

    /** A record class with what each component holds; {@code slots.size()} is two less than the components. */
    record RecordLayout(Class<?> recordClass, List<Slot> slots, Constructor<?> constructor) {}

    /** Java name of the component holding a union branch's union (before a suffix against clashes). */
    static final String BRANCH_UNION_COMPONENT = "value";
    /** Java name of the component holding a boxed event's union data. */
    static final String EVENT_UNION_COMPONENT = "data";

    private final GeneratedCode code;
    private final List<Subject> subjects = new ArrayList<>();
    private final Map<Class<?>, RecordLayout> layouts = new ConcurrentHashMap<>();
    private final Class<?> eventType;
    private final Method eventDecode;

    Catalog(GeneratedCode code) {
        this.code = code;
        this.eventType = code.load(code.names().eventType());
        try {
            this.eventDecode = eventType.getMethod("decode", String.class, JsonNode.class);
        } catch (NoSuchMethodException e) {
            throw new AssertionError("Event.decode(String, JsonNode) missing", e);
        }
        for (Entity entity : code.schema().entities()) {
            if (!(entity instanceof Definition)) {
                continue;
            }
            Definition definition = (Definition) entity;
            if (!code.options().conditions().holds(definition.ifCond())) {
                continue;
            }
            if (definition instanceof EnumType) {
                subjects.add(new Subject(Kind.ENUM, definition.name(), typeClass(definition.name()), definition, null));
            } else if (definition instanceof ObjectType && !definition.isImplicit()) {
                ObjectType object = (ObjectType) definition;
                subjects.add(new Subject(object.branches() == null ? Kind.STRUCT : Kind.UNION, definition.name(),
                        typeClass(definition.name()), definition, null));
            } else if (definition instanceof AlternateType) {
                subjects.add(new Subject(Kind.ALTERNATE, definition.name(), typeClass(definition.name()), definition, null));
            } else if (definition instanceof Event) {
                Event event = (Event) definition;
                subjects.add(new Subject(Kind.EVENT, event.name(), code.load(code.names().event(event.name())),
                        event, event.argType()));
            } else if (definition instanceof Command) {
                // As the command emitter decides: a record only for the implicit arguments of a
                // generated command ('gen': true) that has some.
                Command command = (Command) definition;
                String arguments = code.names().arguments(command.name());
                if (arguments != null && command.gen() && !command.argType().members().isEmpty()) {
                    subjects.add(new Subject(Kind.ARGUMENTS, definition.name(), code.load(arguments), definition,
                            ((Command) definition).argType()));
                }
            }
        }
    }

    GeneratedCode code() {
        return code;
    }

    List<Subject> subjects() {
        return subjects;
    }

    Class<?> eventType() {
        return eventType;
    }

    Class<?> typeClass(String qapiName) {
        return code.load(code.names().type(qapiName));
    }

    // ---- layouts ----------------------------------------------------------------------------

    /** A struct's record. */
    RecordLayout structLayout(ObjectType struct) {
        return layout(typeClass(struct.name()), slots(struct.members()), null);
    }

    /** An event's or a command's argument record; data of a union type is one flattened component. */
    RecordLayout dataLayout(Subject subject) {
        ObjectType data = subject.dataType();
        if (data == null) {
            return layout(subject.javaClass(), List.of(), null);
        }
        if (data.branches() != null) {
            return layout(subject.javaClass(), List.of(new Slot(null, data)), EVENT_UNION_COMPONENT);
        }
        return layout(subject.javaClass(), slots(data.members()), null);
    }

    private static List<Slot> slots(List<ObjectTypeMember> members) {
        List<Slot> slots = new ArrayList<>();
        for (ObjectTypeMember member : members) {
            slots.add(Slot.of(member));
        }
        return slots;
    }

    /** The branch records of a union, in the order of its discriminator's values, then {@code Unknown}. */
    List<Class<?>> unionBranches(ObjectType union) {
        Class<?>[] permitted = typeClass(union.name()).getPermittedSubclasses();
        EnumType tag = (EnumType) union.branches().tagMember().type();
        if (permitted.length != tag.members().size() + 1) {
            throw new AssertionError("union " + union.name() + ": " + permitted.length + " branch records for "
                    + tag.members().size() + " discriminator values (+ Unknown)");
        }
        return List.of(permitted);
    }

    /** The layout of branch {@code index} (the discriminator's value {@code index}; its size is Unknown). */
    RecordLayout branchLayout(ObjectType union, int index) {
        Class<?> record = unionBranches(union).get(index);
        ObjectTypeMember tagMember = union.branches().tagMember();
        List<ObjectTypeMember> baseWithoutTag = new ArrayList<>(union.members());
        baseWithoutTag.removeIf(m -> m.name().equals(tagMember.name()));
        EnumType tag = (EnumType) tagMember.type();
        List<Slot> slots = new ArrayList<>();
        if (index == tag.members().size()) {
            slots.add(Slot.of(tagMember));
            slots.addAll(slots(baseWithoutTag));
            return layout(record, slots, null);
        }
        slots.addAll(slots(baseWithoutTag));
        Variant variant = variant(union, tag.members().get(index));
        if (variant == null) {
            return layout(record, slots, null);
        }
        ObjectType branchType = (ObjectType) variant.type();
        if (branchType.branches() != null) {
            slots.add(new Slot(null, branchType));
            return layout(record, slots, BRANCH_UNION_COMPONENT);
        }
        slots.addAll(slots(branchType.members()));
        return layout(record, slots, null);
    }

    /**
     * Every wire name the members of {@code type} can have in its object: its own members', and
     * for a union, those of all its branches (unions in turn included).
     */
    static Set<String> wireNames(ObjectType type) {
        Set<String> names = new HashSet<>();
        for (ObjectTypeMember member : type.members()) {
            names.add(member.name());
        }
        if (type.branches() != null) {
            for (Variant variant : type.branches().variants()) {
                names.addAll(wireNames((ObjectType) variant.type()));
            }
        }
        return names;
    }

    static Variant variant(ObjectType union, EnumMember value) {
        for (Variant variant : union.branches().variants()) {
            if (variant.name().equals(value.name())) {
                return variant;
            }
        }
        return null;
    }

    /** The alternatives' records, in schema order, then {@code Unknown}. */
    List<Class<?>> alternatives(AlternateType alternate) {
        Class<?>[] permitted = typeClass(alternate.name()).getPermittedSubclasses();
        if (permitted.length != alternate.alternatives().variants().size() + 1) {
            throw new AssertionError("alternate " + alternate.name() + ": " + permitted.length
                    + " records for " + alternate.alternatives().variants().size() + " alternatives (+ Unknown)");
        }
        return List.of(permitted);
    }

    /**
     * The layout of {@code record}, its components paired with {@code slots} and checked.
     *
     * @param flattenedName the Java name of the component holding a flattened union (the
     *     slot that has one), before a suffix against clashes; null when there is none
     */
    private RecordLayout layout(Class<?> record, List<Slot> slots, String flattenedName) {
        return layouts.computeIfAbsent(record, r -> {
            RecordComponent[] components = r.getRecordComponents();
            if (components == null) {
                throw new AssertionError(r.getName() + " is not a record");
            }
            if (components.length != slots.size() + 2 || !components[slots.size()].getName().equals("missingMembers")
                    || !components[slots.size() + 1].getName().equals("unknownMembers")) {
                throw new AssertionError(r.getName() + ": components " + names(components) + " do not match members "
                        + slots + " + missingMembers, unknownMembers");
            }
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                if (i >= slots.size()) {
                    continue;
                }
                Slot slot = slots.get(i);
                if (!slot.isFlattened()) {
                    if (!sameName(components[i].getName(), slot.member().name())) {
                        throw new AssertionError(r.getName() + ": component " + components[i].getName()
                                + " paired with member " + slot.member().name() + "; components " + names(components));
                    }
                    continue;
                }
                String name = components[i].getName();
                if (!name.equals(flattenedName) && !name.matches(java.util.regex.Pattern.quote(flattenedName) + "_\\d*")) {
                    throw new AssertionError(r.getName() + ": component " + name + " paired with the flattened members of union "
                            + slot.flattened().name() + ", expected " + flattenedName + "; components " + names(components));
                }
                Class<?> unionClass = typeClass(slot.flattened().name());
                if (!components[i].getType().equals(unionClass)) {
                    throw new AssertionError(r.getName() + ": component " + name + " holding union "
                            + slot.flattened().name() + " has type " + components[i].getType().getName()
                            + ", expected " + unionClass.getName());
                }
                try {
                    Method members = unionClass.getMethod("decodeMembers", QapiReader.class, boolean.class);
                    if (!java.lang.reflect.Modifier.isStatic(members.getModifiers()) || members.getReturnType() != unionClass) {
                        throw new AssertionError(unionClass.getName() + ".decodeMembers(QapiReader, boolean) is not a static "
                                + "method returning " + unionClass.getSimpleName());
                    }
                } catch (NoSuchMethodException e) {
                    throw new AssertionError(unionClass.getName() + ".decodeMembers(QapiReader, boolean) missing, which "
                            + r.getName() + " needs to read its flattened members", e);
                }
            }
            try {
                return new RecordLayout(r, List.copyOf(slots), r.getDeclaredConstructor(types));
            } catch (NoSuchMethodException e) {
                throw new AssertionError(r.getName() + ": no canonical constructor", e);
            }
        });
    }

    private static List<String> names(RecordComponent[] components) {
        return java.util.Arrays.stream(components).map(RecordComponent::getName).toList();
    }

    /**
     * Whether Java name {@code javaName} can stand for wire name {@code wireName}: the same
     * letters and digits, ignoring case, once a suffix the generator adds against clashes
     * ({@code _}, {@code _2}) is taken off.
     */
    private static boolean sameName(String javaName, String wireName) {
        String wire = lettersAndDigits(wireName);
        return lettersAndDigits(javaName).equals(wire)
                || lettersAndDigits(javaName.replaceAll("_\\d*$", "")).equals(wire);
    }

    private static String lettersAndDigits(String name) {
        return name.replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT);
    }

    // ---- decoding ---------------------------------------------------------------------------

    /**
     * Decodes {@code json} as a value of {@code subject}: with the static {@code decode} of its
     * class, strictly or tolerantly; events tolerantly go through {@code Event.decode} as a
     * client receives them.
     */
    Object decode(Subject subject, JsonNode json, boolean strict) {
        if (subject.kind() == Kind.EVENT && !strict) {
            return invoke(eventDecode, null, subject.qapiName(), json);
        }
        return invoke(decoder(subject.javaClass()), null, strict ? QapiReader.strict(json) : QapiReader.tolerant(json), null);
    }

    /** {@code Event.decode(eventName, data)}. */
    Object decodeEvent(String eventName, JsonNode data) {
        return invoke(eventDecode, null, eventName, data);
    }

    private static Method decoder(Class<?> type) {
        try {
            return type.getMethod("decode", QapiReader.class, String.class);
        } catch (NoSuchMethodException e) {
            throw new AssertionError(type.getName() + ".decode(QapiReader, String) missing", e);
        }
    }

    /** Calls {@code method}, rethrowing what it throws as it is. */
    static Object invoke(Method method, Object target, Object... args) {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IllegalStateException(cause);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    static Object construct(Constructor<?> constructor, Object... args) {
        try {
            return constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw new AssertionError(constructor.getDeclaringClass().getName() + ": constructor threw " + cause, cause);
        } catch (ReflectiveOperationException | IllegalArgumentException e) {
            throw new AssertionError(constructor.getDeclaringClass().getName() + ": cannot construct with "
                    + java.util.Arrays.toString(args), e);
        }
    }
}

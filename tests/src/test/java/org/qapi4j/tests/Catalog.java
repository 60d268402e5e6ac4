package org.qapi4j.tests;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * discriminator, then the other base members; always {@code unknownMembers} last) and is checked
 * by name, so that a change of layout fails loudly here instead of producing nonsense values.
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

    /** A record class with each component's member; {@code members.size()} is one less than the components. */
    record RecordLayout(Class<?> recordClass, List<ObjectTypeMember> members, Constructor<?> constructor) {}

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
        return layout(typeClass(struct.name()), struct.members());
    }

    /** An event's or a command's argument record. */
    RecordLayout dataLayout(Subject subject) {
        return layout(subject.javaClass(), subject.dataType() == null ? List.of() : subject.dataType().members());
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
        List<ObjectTypeMember> members = new ArrayList<>();
        if (index == tag.members().size()) {
            members.add(tagMember);
            members.addAll(baseWithoutTag);
        } else {
            members.addAll(baseWithoutTag);
            Variant variant = variant(union, tag.members().get(index));
            if (variant != null) {
                members.addAll(((ObjectType) variant.type()).members());
            }
        }
        return layout(record, members);
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

    private RecordLayout layout(Class<?> record, List<ObjectTypeMember> members) {
        return layouts.computeIfAbsent(record, r -> {
            RecordComponent[] components = r.getRecordComponents();
            if (components == null) {
                throw new AssertionError(r.getName() + " is not a record");
            }
            if (components.length != members.size() + 1
                    || !components[components.length - 1].getName().equals("unknownMembers")) {
                throw new AssertionError(r.getName() + ": components " + names(components) + " do not match members "
                        + members.stream().map(ObjectTypeMember::name).toList() + " + unknownMembers");
            }
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                if (i < members.size() && !sameName(components[i].getName(), members.get(i).name())) {
                    throw new AssertionError(r.getName() + ": component " + components[i].getName()
                            + " paired with member " + members.get(i).name() + "; components " + names(components));
                }
            }
            try {
                return new RecordLayout(r, List.copyOf(members), r.getDeclaredConstructor(types));
            } catch (NoSuchMethodException e) {
                throw new AssertionError(r.getName() + ": no canonical constructor", e);
            }
        });
    }

    private static List<String> names(RecordComponent[] components) {
        List<String> names = new ArrayList<>();
        for (RecordComponent component : components) {
            names.add(component.getName());
        }
        return names;
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

package org.qapi4j.codegen.emit;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.List;
import javax.lang.model.element.Modifier;
import org.qapi4j.codegen.model.ArrayType;

/**
 * The parts every generated record of a JSON object shares, whatever it stands for (a struct,
 * a union branch, an event, command arguments): components for the members plus
 * {@code missingMembers} and {@code unknownMembers}, a compact constructor that checks required
 * members and freezes lists, a constructor with only the members, a decoder, {@code toJson()},
 * and a builder when there are many optional members.
 *
 * <p>What a server sent is what {@code toJson()} gives back: a mandatory member a tolerant
 * reader found missing is named in {@code missingMembers}, reads as its Java type's default
 * ({@code null}, {@code 0}, {@code false}) and is not written; one that is not missing is never
 * null.
 */
final class RecordShape {
    /** From this many optional members on, a record gets a builder. */
    static final int BUILDER_THRESHOLD = 3;

    private final GenerationContext context;

    RecordShape(GenerationContext context) {
        this.context = context;
    }

    /**
     * A union branch's discriminator: not a component of the branch record (the branch implies
     * it), but written among the base members.
     *
     * @param wireName its member name
     * @param position how many members precede it
     * @param value the expression for its value
     */
    record Discriminator(String wireName, int position, CodeBlock value) {}

    /** The component naming the mandatory members that were missing. */
    static ParameterSpec missingMembersParameter() {
        return ParameterSpec.builder(ParameterizedTypeName.get(RuntimeTypes.SET, ClassName.get(String.class)),
                "missingMembers").build();
    }

    /** The component holding members the schema does not know. */
    static ParameterSpec unknownMembersParameter() {
        return ParameterSpec.builder(nullable(RuntimeTypes.OBJECT_NODE), "unknownMembers").build();
    }

    /** Whether {@code member} is mandatory and may yet be missing: any but a flattened union. */
    static boolean mayBeMissing(JavaMember member) {
        return !member.optional() && !member.flattened();
    }

    static TypeName nullable(TypeName type) {
        return type.annotated(AnnotationSpec.builder(RuntimeTypes.NULLABLE).build());
    }

    TypeName componentType(JavaMember member) {
        TypeName type = context.mapping().javaType(member.type(), member.optional());
        return member.optional() ? nullable(type) : type;
    }

    /**
     * A component or parameter for {@code member}. Deprecation is not marked here (javac
     * ignores {@code @Deprecated} on a record component, with a warning) but on the accessor.
     */
    ParameterSpec parameter(JavaMember member) {
        ParameterSpec.Builder parameter = ParameterSpec.builder(componentType(member), member.javaName());
        if (member.unstable()) {
            parameter.addAnnotation(GenerationContext.unstableAnnotation());
        }
        return parameter.build();
    }

    /** Adds components, constructors, {@code decode}, {@code toJson} (and a builder) to {@code record}. */
    void addObjectMembers(TypeSpec.Builder record, ClassName self, List<JavaMember> members) {
        addComponents(record, members);
        record.addMethod(decoder(self, members));
        record.addMethod(toJson(members, null));
        if (members.stream().filter(JavaMember::optional).count() >= BUILDER_THRESHOLD) {
            new BuilderShape(this).addTo(record, self, members);
        }
    }

    /**
     * The components, the compact constructor (required members are non-null unless missing,
     * lists are frozen) and a constructor with only the members.
     */
    void addComponents(TypeSpec.Builder record, List<JavaMember> members) {
        MethodSpec.Builder canonical = MethodSpec.constructorBuilder();
        for (JavaMember member : members) {
            canonical.addParameter(parameter(member));
        }
        canonical.addParameter(missingMembersParameter());
        canonical.addParameter(unknownMembersParameter());
        record.recordConstructor(canonical.build());

        MethodSpec.Builder compact = MethodSpec.compactConstructorBuilder()
                .addModifiers(Modifier.PUBLIC)
                .addStatement("missingMembers = $T.missing(missingMembers)", RuntimeTypes.MEMBERS);
        for (JavaMember member : members) {
            boolean isList = member.type() instanceof ArrayType;
            if (member.flattened()) {
                compact.addStatement("$T.requireNonNull($L, $S)", RuntimeTypes.OBJECTS, member.javaName(), member.javaName());
            } else if (!member.optional() && isList) {
                compact.addStatement("$L = $T.requireList($L, $S, missingMembers)",
                        member.javaName(), RuntimeTypes.MEMBERS, member.javaName(), member.wireName());
            } else if (!member.optional() && !context.mapping().isPrimitive(member.type())) {
                compact.addStatement("$T.require($L, $S, missingMembers)",
                        RuntimeTypes.MEMBERS, member.javaName(), member.wireName());
            } else if (member.optional() && isList) {
                compact.addStatement("$L = $L == null ? null : $T.copyOf($L)",
                        member.javaName(), member.javaName(), RuntimeTypes.LIST, member.javaName());
            }
        }
        record.addMethod(compact.build());

        MethodSpec.Builder known = MethodSpec.constructorBuilder()
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("A value with only the members this schema knows, none of them missing.\n");
        CodeBlock.Builder args = CodeBlock.builder();
        for (JavaMember member : members) {
            known.addParameter(parameter(member));
            args.add("$L, ", member.javaName());
        }
        known.addStatement("this($L$T.of(), null)", args.build(), RuntimeTypes.SET);
        record.addMethod(known.build());

        for (JavaMember member : members) {
            if (member.deprecated()) {
                record.addMethod(deprecatedAccessor(member));
            }
        }
    }

    /** The accessor of a deprecated member, declared to carry {@code @Deprecated}. */
    private MethodSpec deprecatedAccessor(JavaMember member) {
        return MethodSpec.methodBuilder(member.javaName())
                .addAnnotation(GenerationContext.deprecatedAnnotation())
                .addModifiers(Modifier.PUBLIC)
                .returns(componentType(member))
                .addJavadoc("$L\n\n@deprecated the schema deprecates member {@code $L}\n",
                        Javadocs.withMissingValue(member.doc() != null ? member.doc()
                                : "The {@code " + member.wireName() + "} member.", member),
                        member.wireName())
                .addStatement("return $L", member.javaName())
                .build();
    }

    MethodSpec decoder(ClassName self, List<JavaMember> members) {
        List<CodeBlock> arguments = new java.util.ArrayList<>();
        for (JavaMember member : members) {
            arguments.add(readMember(member));
        }
        arguments.add(CodeBlock.of("in.missingMembers()"));
        arguments.add(CodeBlock.of("in.endObject()"));
        MethodSpec.Builder method = MethodSpec.methodBuilder("decode")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addJavadoc("Reads a value of this type from member {@code name} of {@code in} (the next element,\n"
                        + "when {@code name} is null).\n")
                .returns(self)
                .addParameter(RuntimeTypes.QAPI_READER, "in")
                .addParameter(nullable(ClassName.get(String.class)), "name")
                .addStatement("in.beginObject(name)");
        declareSpecialFeatures(method, members);
        return method.addStatement("return new $T($L)", self, CodeBlock.join(arguments, ",$W")).build();
    }

    /**
     * Tells the reader which of {@code members} are deprecated or unstable, so that a server's
     * compatibility policy can refuse them when they are read (QEMU's {@code visit_policy_reject}).
     */
    static void declareSpecialFeatures(MethodSpec.Builder method, List<JavaMember> members) {
        for (JavaMember member : members) {
            if (!member.flattened() && (member.deprecated() || member.unstable())) {
                method.addStatement("in.specialFeatures($S, $L)", member.wireName(),
                        specialFeatures(member.deprecated(), member.unstable()));
            }
        }
    }

    /** {@code QapiReader.DEPRECATED}, {@code QapiReader.UNSTABLE}, or both or-ed. */
    static CodeBlock specialFeatures(boolean deprecated, boolean unstable) {
        if (deprecated && unstable) {
            return CodeBlock.of("$T.DEPRECATED | $T.UNSTABLE", RuntimeTypes.QAPI_READER, RuntimeTypes.QAPI_READER);
        }
        return CodeBlock.of("$T.$L", RuntimeTypes.QAPI_READER, deprecated ? "DEPRECATED" : "UNSTABLE");
    }

    /**
     * An expression reading one member: absent optional members are null; absent mandatory ones
     * are QEMU's error to a strict reader, and to a tolerant one missing ({@link
     * TypeMapping#readMandatory}).
     */
    CodeBlock readMember(JavaMember member) {
        if (member.flattened()) {
            return CodeBlock.of("$T.decodeMembers(in, false)", context.names().type(member.type().name()));
        }
        if (!member.optional()) {
            return context.mapping().readMandatory(member.type(), member.wireName());
        }
        return CodeBlock.of("in.has($S) ? $L : null", member.wireName(), context.mapping().read(member.type(), member.wireName()));
    }

    /**
     * {@code toJson()}: the members in schema order, then the unknown ones.
     *
     * @param discriminator for a union branch, the discriminator written at its place among the
     *     base members (null otherwise)
     */
    MethodSpec toJson(List<JavaMember> members, Discriminator discriminator) {
        MethodSpec.Builder method = MethodSpec.methodBuilder("toJson")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(RuntimeTypes.OBJECT_NODE)
                .addStatement("$T json = $T.object()", RuntimeTypes.OBJECT_NODE, RuntimeTypes.JSON);
        if (discriminator == null) {
            addWrites(method, members, "json");
        } else {
            addWrites(method, members.subList(0, discriminator.position()), "json");
            method.addStatement("json.set($S, $L.toJson())", discriminator.wireName(), discriminator.value());
            addWrites(method, members.subList(discriminator.position(), members.size()), "json");
        }
        return method
                .beginControlFlow("if (unknownMembers != null)")
                .addStatement("json.setAll(unknownMembers)")
                .endControlFlow()
                .addStatement("return json")
                .build();
    }

    /**
     * Statements writing each member into the object {@code target}; absent ones (optional
     * members that are null, mandatory ones that were missing) are left out.
     */
    void addWrites(MethodSpec.Builder method, List<JavaMember> members, String target) {
        for (JavaMember member : members) {
            CodeBlock value = CodeBlock.of("this.$L", member.javaName());
            if (member.flattened()) {
                method.addStatement("$L.setAll($L.toJson())", target, value);
                continue;
            }
            CodeBlock write = CodeBlock.of("$L.set($S, $L)", target, member.wireName(),
                    context.mapping().write(member.type(), value));
            if (member.optional()) {
                method.beginControlFlow("if ($L != null)", value).addStatement(write).endControlFlow();
            } else {
                method.beginControlFlow("if (!missingMembers.contains($S))", member.wireName())
                        .addStatement(write)
                        .endControlFlow();
            }
        }
    }
}

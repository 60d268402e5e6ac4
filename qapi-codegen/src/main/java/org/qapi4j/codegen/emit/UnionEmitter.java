package org.qapi4j.codegen.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;
import org.qapi4j.codegen.model.EnumMember;
import org.qapi4j.codegen.model.EnumType;
import org.qapi4j.codegen.model.ObjectType;
import org.qapi4j.codegen.model.ObjectTypeMember;
import org.qapi4j.codegen.model.Variant;

/**
 * A union as a sealed interface with one record per value of its discriminator and a record
 * for a value the schema does not know.
 *
 * <p>The interface declares the base members, so code that only needs them works on any branch;
 * each branch record has the base members (flattened, as on the wire) followed by its own, and
 * implies its discriminator value. A value of the discriminator that has no members in the
 * schema still gets its (base-only) record, as every value is a valid branch in QAPI.
 */
final class UnionEmitter {
    private final GenerationContext context;
    private final RecordShape shape;

    UnionEmitter(GenerationContext context) {
        this.context = context;
        this.shape = new RecordShape(context);
    }

    /** One branch: the discriminator value, its record, and its members after the base ones. */
    private record Branch(String value, ClassName record, ObjectType type, boolean deprecated) {}

    JavaFile emit(ObjectType union) {
        ClassName name = context.names().type(union.name());
        ObjectTypeMember tag = union.branches().tagMember();
        EnumType tagType = (EnumType) tag.type();
        List<JavaMember> base = StructEmitter.members(context, union.members());
        int tagPosition = indexOf(base, tag.name());
        JavaMember discriminator = base.get(tagPosition);
        List<JavaMember> baseWithoutTag = new ArrayList<>(base);
        baseWithoutTag.remove(tagPosition);

        // A nested class may not share its enclosing class's name (JLS 8.1).
        NameScope nested = new NameScope(false).reserve(name.simpleName());
        List<Branch> branches = new ArrayList<>();
        for (EnumMember value : tagType.members()) {
            if (!context.conditions().holds(value.ifCond())) {
                continue;
            }
            Variant variant = variantFor(union, value.name());
            if (variant != null && !context.conditions().holds(variant.ifCond())) {
                continue;
            }
            branches.add(new Branch(
                    value.name(),
                    name.nestedClass(nested.allocate(JavaNames.className(value.name()))),
                    variant != null ? (ObjectType) variant.type() : null,
                    context.deprecated(value.features())));
        }
        ClassName unknown = name.nestedClass(nested.allocate("Unknown"));

        TypeSpec.Builder spec = TypeSpec.interfaceBuilder(name)
                .addModifiers(Modifier.PUBLIC, Modifier.SEALED)
                .addSuperinterface(RuntimeTypes.QAPI_OBJECT);
        GenerationContext.document(spec, context.javadoc(union, ""));
        for (Branch branch : branches) {
            spec.addPermittedSubclass(branch.record());
        }
        spec.addPermittedSubclass(unknown);

        spec.addMethod(accessor(discriminator, "The discriminator: which branch this is. Null only in {@link "
                + unknown.simpleName() + "},\nwhen the server did not send it.").build());
        for (JavaMember member : baseWithoutTag) {
            spec.addMethod(accessor(member, Javadocs.withMissingValue(
                    member.doc() != null ? member.doc() : "The {@code " + member.wireName() + "} member.", member)).build());
        }
        spec.addMethod(decode(name));
        spec.addMethod(decodeMembers(name, discriminator, tagPosition, base, branches, unknown));
        for (Branch branch : branches) {
            spec.addType(branchRecord(name, discriminator, tagPosition, baseWithoutTag, branch, tagType));
        }
        spec.addType(unknownRecord(name, unknown, discriminator, baseWithoutTag));
        return context.file(spec.build(), union);
    }

    private static int indexOf(List<JavaMember> members, String wireName) {
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).wireName().equals(wireName)) {
                return i;
            }
        }
        throw new IllegalStateException("discriminator " + wireName + " is not a base member");
    }

    private static Variant variantFor(ObjectType union, String value) {
        for (Variant variant : union.branches().variants()) {
            if (variant.name().equals(value)) {
                return variant;
            }
        }
        return null;
    }

    private MethodSpec.Builder accessor(JavaMember member, String doc) {
        MethodSpec.Builder method = MethodSpec.methodBuilder(member.javaName())
                .addModifiers(Modifier.PUBLIC, Modifier.ABSTRACT)
                .returns(shape.componentType(member));
        if (doc != null) {
            method.addJavadoc("$L\n", doc);
        }
        if (member.deprecated()) {
            method.addAnnotation(GenerationContext.deprecatedAnnotation());
        }
        return method;
    }

    private static MethodSpec decode(ClassName name) {
        return MethodSpec.methodBuilder("decode")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addJavadoc("Reads a value of this type from member {@code name} of {@code in} (the next element,\n"
                        + "when {@code name} is null).\n")
                .returns(name)
                .addParameter(RuntimeTypes.QAPI_READER, "in")
                .addParameter(RecordShape.nullable(ClassName.get(String.class)), "name")
                .addStatement("in.beginObject(name)")
                .addStatement("return decodeMembers(in, true)")
                .build();
    }

    /**
     * {@code decodeMembers}: the base members in schema order (the discriminator among them),
     * then the branch's members, chosen by the discriminator's wire name, so that a value this
     * schema does not know falls through to the unknown record. Separate from {@code decode}
     * because a union can be the branch of another union, its members then lying in the outer
     * union's object (QEMU's {@code visit_type_X_members}).
     */
    private MethodSpec decodeMembers(ClassName name, JavaMember discriminator, int tagPosition,
            List<JavaMember> base, List<Branch> branches, ClassName unknown) {
        NameScope locals = new NameScope(false).reserve("in", "close");
        List<String> baseLocals = new ArrayList<>();
        MethodSpec.Builder method = MethodSpec.methodBuilder("decodeMembers")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addJavadoc("Reads the members of a value of this type from the object open in {@code in}; closes it\n"
                        + "(keeping members this schema does not know) when {@code close}.\n")
                .returns(name)
                .addParameter(RuntimeTypes.QAPI_READER, "in")
                .addParameter(boolean.class, "close");
        RecordShape.declareSpecialFeatures(method, base);
        for (JavaMember member : base) {
            String local = locals.allocate(member.javaName());
            baseLocals.add(local);
            method.addStatement("$T $L = $L", shape.componentType(member), local, shape.readMember(member));
        }
        String tagLocal = baseLocals.get(tagPosition);
        List<String> otherBase = new ArrayList<>(baseLocals);
        otherBase.remove(tagPosition);
        method.addComment("A discriminator missing (to a tolerant reader) is no known branch either.");
        method.beginControlFlow("switch ($L != null ? $L.wireName() : \"\")", tagLocal, tagLocal);
        for (Branch branch : branches) {
            List<CodeBlock> args = new ArrayList<>();
            for (String local : otherBase) {
                args.add(CodeBlock.of("$L", local));
            }
            for (JavaMember member : branchMembers(branch)) {
                args.add(shape.readMember(member));
            }
            args.add(CodeBlock.of("in.missingMembers()"));
            args.add(CodeBlock.of("close ? in.endObject() : null"));
            method.addCode("case $S:\n", branch.value());
            method.addCode("$>");
            RecordShape.declareSpecialFeatures(method, branchMembers(branch));
            method.addStatement("return new $T($L)", branch.record(), CodeBlock.join(args, ",$W"));
            method.addCode("$<");
        }
        method.addCode("default:\n");
        List<CodeBlock> args = new ArrayList<>();
        args.add(CodeBlock.of("$L", tagLocal));
        for (String local : otherBase) {
            args.add(CodeBlock.of("$L", local));
        }
        args.add(CodeBlock.of("in.missingMembers()"));
        args.add(CodeBlock.of("close ? in.endObject() : null"));
        method.addStatement("$>return new $T($L)$<", unknown, CodeBlock.join(args, ",$W"));
        method.endControlFlow();
        return method.build();
    }

    /**
     * The members a branch adds to the base: its struct's members, or, when its type is itself a
     * union, that union as one component whose members are flattened into this object.
     */
    private List<JavaMember> branchMembers(Branch branch) {
        if (branch.type() == null) {
            return List.of();
        }
        if (branch.type().branches() != null) {
            return List.of(new JavaMember(null, "value", branch.type(), false, false, false,
                    "the value of union type {@link " + context.names().type(branch.type().name()).simpleName()
                            + "}, whose members lie in this object", true));
        }
        return StructEmitter.members(context, branch.type().members());
    }

    private TypeSpec branchRecord(ClassName union, JavaMember discriminator, int tagPosition,
            List<JavaMember> base, Branch branch, EnumType tagType) {
        List<JavaMember> members = new ArrayList<>(base);
        NameScope taken = new NameScope(false);
        for (JavaMember member : base) {
            taken.reserve(member.javaName());
        }
        for (JavaMember member : branchMembers(branch)) {
            members.add(member.renamed(taken.allocate(member.javaName())));
        }
        ClassName tagClass = context.names().type(tagType.name());
        CodeBlock tagValue = CodeBlock.of("$T.$L", tagClass, constantOf(tagType, branch.value()));
        TypeSpec.Builder record = TypeSpec.recordBuilder(branch.record())
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addSuperinterface(union)
                .addJavadoc("The branch for {@code $L = $L}.\n\n$L", discriminator.wireName(), branch.value(),
                        Javadocs.recordParams(members, "member"));
        if (branch.deprecated()) {
            record.addAnnotation(GenerationContext.deprecatedAnnotation());
        }
        shape.addComponents(record, members);
        record.addMethod(MethodSpec.methodBuilder(discriminator.javaName())
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(shape.componentType(discriminator))
                .addStatement("return $L", tagValue)
                .build());
        record.addMethod(shape.toJson(members,
                new RecordShape.Discriminator(discriminator.wireName(), tagPosition, CodeBlock.of("$L()", discriminator.javaName()))));
        return record.build();
    }

    private String constantOf(EnumType type, String value) {
        return EnumEmitter.constants(type, context.conditions()).get(value);
    }

    private TypeSpec unknownRecord(ClassName union, ClassName unknown, JavaMember discriminator, List<JavaMember> base) {
        List<JavaMember> members = new ArrayList<>();
        members.add(discriminator);
        members.addAll(base);
        TypeSpec.Builder record = TypeSpec.recordBuilder(unknown)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addSuperinterface(union)
                .addJavadoc("A branch this schema does not know (a discriminator value from a newer server): the base\n"
                        + "members, and all the others as they were received.\n\n$L", Javadocs.recordParams(members, "member"));
        shape.addComponents(record, members);
        record.addMethod(shape.toJson(members, null));
        return record.build();
    }
}

package org.qapi4j.codegen.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;
import org.qapi4j.codegen.ast.QapiDoc;
import org.qapi4j.codegen.model.Conditions;
import org.qapi4j.codegen.model.EnumMember;
import org.qapi4j.codegen.model.EnumType;

/**
 * An enum as a sealed interface: a Java {@code enum Known} of the values the schema has, and a
 * record {@code Unknown} for a value a newer server sends, so that it survives a round trip.
 * Each known value is also a constant of the interface, so code reads {@code RunState.RUNNING}
 * and can still {@code switch} over {@code RunState.Known}.
 */
final class EnumEmitter {
    private final GenerationContext context;

    EnumEmitter(GenerationContext context) {
        this.context = context;
    }

    /** A known value: its constant and what the schema says of it. */
    private record Value(EnumMember member, String constant, boolean deprecated, boolean unstable, String doc) {}

    JavaFile emit(EnumType type) {
        ClassName name = context.names().type(type.name());
        // A nested class may not share its enclosing class's name (JLS 8.1).
        NameScope nested = new NameScope(false).reserve(name.simpleName());
        ClassName known = name.nestedClass(nested.allocate("Known"));
        ClassName unknown = name.nestedClass(nested.allocate("Unknown"));

        Map<String, String> constants = constants(type, context.conditions());
        List<Value> values = type.members().stream()
                .filter(member -> context.conditions().holds(member.ifCond()))
                .map(member -> new Value(
                        member,
                        constants.get(member.name()),
                        context.deprecated(member.features()),
                        context.unstable(member.features()),
                        valueDoc(type.doc(), member.name())))
                .toList();

        TypeSpec.Builder spec = TypeSpec.interfaceBuilder(name)
                .addModifiers(Modifier.PUBLIC, Modifier.SEALED)
                .addSuperinterface(RuntimeTypes.QAPI_ENUM)
                .addPermittedSubclass(known)
                .addPermittedSubclass(unknown);
        GenerationContext.document(spec, context.javadoc(type, ""));
        for (Value value : values) {
            FieldSpec.Builder alias = FieldSpec.builder(name, value.constant(), Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                    .initializer("$T.$L", known, value.constant());
            annotate(alias, value);
            if (value.doc() != null) {
                alias.addJavadoc("$L\n", value.doc());
            }
            spec.addField(alias.build());
        }
        spec.addMethod(fromWire(name, known, unknown));
        spec.addMethod(decode(name, known, unknown, values));
        spec.addType(knownEnum(name, known, values));
        spec.addType(unknownRecord(name, unknown));
        return context.file(spec.build(), type);
    }

    /** The Java constant of each value this build keeps, by wire name, in schema order. */
    static Map<String, String> constants(EnumType type, Conditions conditions) {
        NameScope scope = new NameScope(false).reserve("BY_WIRE_NAME");
        Map<String, String> constants = new LinkedHashMap<>();
        for (EnumMember member : type.members()) {
            if (conditions.holds(member.ifCond())) {
                constants.put(member.name(), scope.allocate(JavaNames.constantName(member.name())));
            }
        }
        return constants;
    }

    private static String valueDoc(QapiDoc doc, String value) {
        return Javadocs.member(doc, value);
    }

    private static void annotate(FieldSpec.Builder field, Value value) {
        if (value.deprecated()) {
            field.addAnnotation(GenerationContext.deprecatedAnnotation());
        }
        if (value.unstable()) {
            field.addAnnotation(GenerationContext.unstableAnnotation());
        }
    }

    private static MethodSpec fromWire(ClassName name, ClassName known, ClassName unknown) {
        return MethodSpec.methodBuilder("fromWire")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addJavadoc("The value with wire name {@code wireName}, known to this schema or not.\n")
                .returns(name)
                .addParameter(String.class, "wireName")
                .addStatement("$T value = $T.BY_WIRE_NAME.get(wireName)", known, known)
                .addStatement("return value != null ? value : new $T(wireName)", unknown)
                .build();
    }

    private static MethodSpec decode(ClassName name, ClassName known, ClassName unknown, List<Value> values) {
        MethodSpec.Builder method = MethodSpec.methodBuilder("decode")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addJavadoc("Reads a value; a strict reader rejects one this schema does not know, as QEMU does"
                        + (values.stream().anyMatch(v -> v.deprecated() || v.unstable())
                                ? ",\nand one its compatibility policy refuses.\n" : ".\n"))
                .returns(name)
                .addParameter(RuntimeTypes.QAPI_READER, "in")
                .addParameter(nullable(String.class), "name")
                .addStatement("String wireName = in.readEnum(name)")
                .addStatement("$T value = $T.BY_WIRE_NAME.get(wireName)", known, known)
                .beginControlFlow("if (value != null)");
        for (Value value : values) {
            if (value.deprecated() || value.unstable()) {
                method.beginControlFlow("if (value == $T.$L)", known, value.constant())
                        .addStatement("in.checkValue(wireName, $L)",
                                RecordShape.specialFeatures(value.deprecated(), value.unstable()))
                        .endControlFlow();
            }
        }
        return method.addStatement("return value")
                .endControlFlow()
                .addStatement("in.unknownEnumValue(name, wireName)")
                .addStatement("return new $T(wireName)", unknown)
                .build();
    }

    private static TypeSpec knownEnum(ClassName name, ClassName known, List<Value> values) {
        TypeSpec.Builder spec = TypeSpec.enumBuilder(known)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addSuperinterface(name)
                .addJavadoc("The values this schema has.\n");
        for (Value value : values) {
            TypeSpec.Builder constant = TypeSpec.anonymousClassBuilder("$S", value.member().name());
            if (value.doc() != null) {
                constant.addJavadoc("$L\n", value.doc());
            }
            if (value.deprecated()) {
                constant.addAnnotation(GenerationContext.deprecatedAnnotation());
            }
            if (value.unstable()) {
                constant.addAnnotation(GenerationContext.unstableAnnotation());
            }
            spec.addEnumConstant(value.constant(), constant.build());
        }
        TypeName byWireName = ParameterizedTypeName.get(RuntimeTypes.MAP, ClassName.get(String.class), known);
        spec.addField(FieldSpec.builder(byWireName, "BY_WIRE_NAME", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .initializer(byWireNameInitializer(known))
                .build());
        spec.addField(String.class, "wireName", Modifier.PRIVATE, Modifier.FINAL);
        spec.addMethod(MethodSpec.constructorBuilder()
                .addParameter(String.class, "wireName")
                .addStatement("this.wireName = wireName")
                .build());
        spec.addMethod(MethodSpec.methodBuilder("wireName")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(String.class)
                .addStatement("return wireName")
                .build());
        spec.addMethod(MethodSpec.methodBuilder("isKnown")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(TypeName.BOOLEAN)
                .addStatement("return true")
                .build());
        return spec.build();
    }

    private static CodeBlock byWireNameInitializer(ClassName known) {
        return CodeBlock.of("$T.of(values()).collect($T.toUnmodifiableMap($T::wireName, value -> value))",
                ClassName.get("java.util.stream", "Stream"), ClassName.get("java.util.stream", "Collectors"), known);
    }

    private static TypeSpec unknownRecord(ClassName name, ClassName unknown) {
        return TypeSpec.recordBuilder(unknown)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addSuperinterface(name)
                .addJavadoc("A value this schema does not have, kept as it was received.\n\n"
                        + "@param wireName the value on the wire\n")
                .recordConstructor(MethodSpec.constructorBuilder()
                        .addParameter(String.class, "wireName")
                        .build())
                .addMethod(MethodSpec.methodBuilder("isKnown")
                        .addAnnotation(Override.class)
                        .addModifiers(Modifier.PUBLIC)
                        .returns(TypeName.BOOLEAN)
                        .addStatement("return false")
                        .build())
                .build();
    }

    static TypeName nullable(Class<?> type) {
        return ClassName.get(type).annotated(com.palantir.javapoet.AnnotationSpec.builder(RuntimeTypes.NULLABLE).build());
    }
}

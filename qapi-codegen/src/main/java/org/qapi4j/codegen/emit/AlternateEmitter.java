package org.qapi4j.codegen.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;
import org.qapi4j.codegen.model.AlternateType;
import org.qapi4j.codegen.model.Variant;

/**
 * An alternate as a sealed interface with one record per alternative, holding the value, and
 * a record for a JSON value that fits none of them (from a newer server). Which alternative a
 * value is depends only on its JSON type, which QAPI guarantees to tell them apart.
 */
final class AlternateEmitter {
    /** QEMU's QType of an alternative, as the Jackson test for it. */
    private static final Map<String, String> JSON_TESTS = Map.of(
            "QTYPE_QDICT", "isObject",
            "QTYPE_QLIST", "isArray",
            "QTYPE_QSTRING", "isString",
            "QTYPE_QNUM", "isNumber",
            "QTYPE_QBOOL", "isBoolean",
            "QTYPE_QNULL", "isNull");

    private final GenerationContext context;

    AlternateEmitter(GenerationContext context) {
        this.context = context;
    }

    private record Alternative(Variant variant, ClassName record, String doc) {}

    JavaFile emit(AlternateType alternate) {
        ClassName name = context.names().type(alternate.name());
        // A nested class may not share its enclosing class's name (JLS 8.1).
        NameScope nested = new NameScope(false).reserve(name.simpleName());
        List<Alternative> alternatives = new ArrayList<>();
        for (Variant variant : alternate.alternatives().variants()) {
            if (context.conditions().holds(variant.ifCond())) {
                alternatives.add(new Alternative(variant,
                        name.nestedClass(nested.allocate(JavaNames.className(variant.name()))),
                        Javadocs.member(alternate.doc(), variant.name())));
            }
        }
        ClassName unknown = name.nestedClass(nested.allocate("Unknown"));

        TypeSpec.Builder spec = TypeSpec.interfaceBuilder(name)
                .addModifiers(Modifier.PUBLIC, Modifier.SEALED)
                .addSuperinterface(RuntimeTypes.QAPI_VALUE);
        GenerationContext.document(spec, context.javadoc(alternate, ""));
        for (Alternative alternative : alternatives) {
            spec.addPermittedSubclass(alternative.record());
        }
        spec.addPermittedSubclass(unknown);
        spec.addMethod(decoder(alternate, name, alternatives, unknown));
        for (Alternative alternative : alternatives) {
            spec.addType(alternativeRecord(name, alternative));
        }
        spec.addType(TypeSpec.recordBuilder(unknown)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addSuperinterface(name)
                .addJavadoc("A JSON value that fits none of the alternatives this schema has.\n\n"
                        + "@param value the value as it was received\n")
                .recordConstructor(MethodSpec.constructorBuilder()
                        .addParameter(RuntimeTypes.JSON_NODE, "value")
                        .build())
                .addMethod(MethodSpec.methodBuilder("toJson")
                        .addAnnotation(Override.class)
                        .addModifiers(Modifier.PUBLIC)
                        .returns(RuntimeTypes.JSON_NODE)
                        .addStatement("return value")
                        .build())
                .build());
        return context.file(spec.build(), alternate);
    }

    private MethodSpec decoder(AlternateType alternate, ClassName name, List<Alternative> alternatives, ClassName unknown) {
        MethodSpec.Builder method = MethodSpec.methodBuilder("decode")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addJavadoc("Reads a value, choosing the alternative by its JSON type.\n")
                .returns(name)
                .addParameter(RuntimeTypes.QAPI_READER, "in")
                .addParameter(RecordShape.nullable(ClassName.get(String.class)), "name")
                .addStatement("$T value = in.peek(name)", RuntimeTypes.JSON_NODE);
        for (Alternative alternative : alternatives) {
            String test = JSON_TESTS.get(alternative.variant().type().alternateQType());
            method.beginControlFlow("if (value.$L())", test)
                    .addStatement("return new $T($L)", alternative.record(),
                            context.mapping().read(alternative.variant().type(), CodeBlock.of("name")))
                    .endControlFlow();
        }
        return method
                .addStatement("return new $T(in.noAlternative(name, $S))", unknown, alternate.name())
                .build();
    }

    private TypeSpec alternativeRecord(ClassName alternate, Alternative alternative) {
        return TypeSpec.recordBuilder(alternative.record())
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addSuperinterface(alternate)
                .addJavadoc("$L\n\n@param value the value\n",
                        alternative.doc() != null ? alternative.doc() : "The alternative {@code " + alternative.variant().name() + "}.")
                .recordConstructor(MethodSpec.constructorBuilder()
                        .addParameter(ParameterSpec.builder(
                                context.mapping().javaType(alternative.variant().type(), false), "value").build())
                        .build())
                .addMethod(MethodSpec.methodBuilder("toJson")
                        .addAnnotation(Override.class)
                        .addModifiers(Modifier.PUBLIC)
                        .returns(RuntimeTypes.JSON_NODE)
                        .addStatement("return $L", context.mapping().write(alternative.variant().type(),
                                CodeBlock.of("value")))
                        .build())
                .build();
    }
}

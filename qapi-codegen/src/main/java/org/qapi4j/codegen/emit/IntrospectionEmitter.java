package org.qapi4j.codegen.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import java.util.List;
import javax.lang.model.element.Modifier;
import org.qapi4j.codegen.introspect.Introspection;
import org.qapi4j.codegen.introspect.IntrospectionJson;

/**
 * The answer to {@code query-qmp-schema}: built as QEMU builds it, shipped as a JSON resource
 * next to a small class that loads it once. A resource rather than Java code, because QEMU's
 * answer is hundreds of kilobytes and Java's class files limit constants and methods to 64 KiB.
 */
final class IntrospectionEmitter {
    static final String RESOURCE_NAME = "qapi-introspection.json";

    private final GenerationContext context;

    IntrospectionEmitter(GenerationContext context) {
        this.context = context;
    }

    /** The resource's text. */
    String resource(boolean unmask) {
        return IntrospectionJson.write(Introspection.build(context.schema(), unmask, context.conditions())) + "\n";
    }

    /**
     * The class {@code SchemaIntrospection}: {@code schemaInfo()}, and {@code schema()} with
     * {@code registered}, every command in the order QEMU registers them.
     */
    JavaFile loader(List<CommandEmitter.JavaCommand> registered) {
        ClassName name = context.names().introspection();
        ClassName holder = name.nestedClass("Loaded");
        ClassName whole = name.nestedClass("Whole");
        TypeSpec type = TypeSpec.classBuilder(name)
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addJavadoc("The answer to {@code query-qmp-schema} for this schema: the list of SchemaInfo objects,\n"
                        + "built as QEMU's generator builds it (entries, order, type names masked as numbers); and\n"
                        + "the schema as a whole, as a server needs it.\n")
                .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build())
                .addMethod(MethodSpec.methodBuilder("schemaInfo")
                        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                        .addJavadoc("The SchemaInfo list, read from {@code $L} beside this class on first use.\n", RESOURCE_NAME)
                        .returns(RuntimeTypes.JSON_NODE)
                        .addStatement("return $T.SCHEMA_INFO", holder)
                        .build())
                .addMethod(MethodSpec.methodBuilder("schema")
                        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                        .addJavadoc("This schema for a server: every command (as this build's defines keep them) in the order\n"
                                + "QEMU registers them, and {@link #schemaInfo()}.\n")
                        .returns(RuntimeTypes.QMP_SCHEMA)
                        .addStatement("return $T.INSTANCE", whole)
                        .build())
                .addType(TypeSpec.classBuilder(holder)
                        .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                        .addJavadoc("Loads the resource when first needed (the holder idiom: thread-safe, no locks).\n")
                        .addField(FieldSpec.builder(RuntimeTypes.JSON_NODE, "SCHEMA_INFO", Modifier.STATIC, Modifier.FINAL)
                                .initializer("$T.readResource($T.class, $S)", RuntimeTypes.JSON, name, RESOURCE_NAME)
                                .build())
                        .build())
                .addType(whole(name, whole, registered))
                .build();
        return context.file(type, null);
    }

    private static TypeSpec whole(ClassName introspection, ClassName whole, List<CommandEmitter.JavaCommand> registered) {
        return TypeSpec.classBuilder(whole)
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addSuperinterface(RuntimeTypes.QMP_SCHEMA)
                .addJavadoc("What {@code schema()} returns; its commands are built once, when first needed.\n")
                .addField(FieldSpec.builder(HandlerEmitter.commandSpecs(), "COMMANDS",
                        Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL).initializer("commandSpecs()").build())
                .addField(FieldSpec.builder(whole, "INSTANCE", Modifier.STATIC, Modifier.FINAL)
                        .initializer("new $T()", whole).build())
                .addMethod(HandlerEmitter.commandSpecsMethod(registered))
                .addMethod(MethodSpec.methodBuilder("commands")
                        .addAnnotation(Override.class)
                        .addModifiers(Modifier.PUBLIC)
                        .returns(HandlerEmitter.commandSpecs())
                        .addStatement("return COMMANDS")
                        .build())
                .addMethod(MethodSpec.methodBuilder("schemaInfo")
                        .addAnnotation(Override.class)
                        .addModifiers(Modifier.PUBLIC)
                        .returns(RuntimeTypes.JSON_NODE)
                        .addStatement("return $T.schemaInfo()", introspection)
                        .build())
                .build();
    }
}

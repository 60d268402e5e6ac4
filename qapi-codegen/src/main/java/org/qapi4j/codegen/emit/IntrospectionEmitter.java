package org.qapi4j.codegen.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;
import org.qapi4j.codegen.introspect.Introspection;
import org.qapi4j.codegen.introspect.IntrospectionJson;
import org.qapi4j.codegen.model.Command;
import org.qapi4j.codegen.model.Definition;
import org.qapi4j.codegen.model.Module;

/**
 * The answer to {@code query-qmp-schema}: built as QEMU builds it, shipped as a JSON resource
 * next to a small class that loads it once. A resource rather than Java code, because QEMU's
 * answer is hundreds of kilobytes and Java's class files limit constants and methods to 64 KiB.
 */
final class IntrospectionEmitter {
    static final String RESOURCE_NAME = "qapi-introspection.json";

    private final GenerationContext context;
    private final boolean unmask;

    IntrospectionEmitter(GenerationContext context, boolean unmask) {
        this.context = context;
        this.unmask = unmask;
    }

    /** The resource's text. */
    String resource() {
        return IntrospectionJson.write(Introspection.build(context.schema(), unmask, context.conditions())) + "\n";
    }

    /**
     * The class {@code SchemaIntrospection}: {@code schemaInfo()}, {@code schema()} with every
     * command of {@code commandsByModule} (modules in module order, each with its commands in
     * definition order, as {@link Selection#commandsByModule()}) in the order QEMU registers them,
     * and {@code origin()}, what is known of the schema's version ({@link SchemaOriginShape}) from
     * {@code definitions}, those this build keeps.
     */
    JavaFile loader(Map<Module, List<Command>> commandsByModule, List<Definition> definitions, String qemuVersion) {
        ClassName name = context.names().introspection();
        ClassName holder = name.nestedClass("Loaded");
        ClassName whole = name.nestedClass("Whole");
        ClassName recorded = name.nestedClass("Recorded");
        TypeSpec type = TypeSpec.classBuilder(name)
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addJavadoc("The answer to {@code query-qmp-schema} for this schema: the list of SchemaInfo objects,\n"
                        + "built as QEMU's generator builds it (entries, order, type names masked as numbers); the\n"
                        + "schema as a whole, as a server needs it; and where it comes from, to compare with a server.\n")
                .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build())
                .addMethod(MethodSpec.methodBuilder("origin")
                        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                        .addJavadoc("The schema this code was generated from: its file, the digest of\n"
                                + "{@link #schemaInfo()} (a server whose {@code query-qmp-schema} answer\n"
                                + "{@link $T#matches matches} it has exactly this schema), the newest {@code Since:} of\n"
                                + "its definitions and the QEMU version the generator was given, if any. Compare\n"
                                + "{@code origin().version()} with the server's, {@code QmpGreeting.qemuVersion()}.\n",
                                RuntimeTypes.SCHEMA_ORIGIN)
                        .returns(RuntimeTypes.SCHEMA_ORIGIN)
                        .addStatement("return $T.ORIGIN", recorded)
                        .build())
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
                .addType(TypeSpec.classBuilder(recorded)
                        .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                        .addJavadoc("What {@code origin()} returns, made when first needed: its digest reads and hashes\n"
                                + "{@link #schemaInfo()}, which a server that never asks should not pay for.\n")
                        .addField(FieldSpec.builder(RuntimeTypes.SCHEMA_ORIGIN, "ORIGIN", Modifier.STATIC, Modifier.FINAL)
                                .initializer(SchemaOriginShape.expression(context.schema().rootModule().name(), definitions,
                                        qemuVersion))
                                .build())
                        .build())
                .addType(whole(name, whole, commandsByModule))
                .build();
        return context.file(type, null);
    }

    private TypeSpec whole(ClassName introspection, ClassName whole, Map<Module, List<Command>> commandsByModule) {
        TypeSpec.Builder spec = TypeSpec.classBuilder(whole)
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addSuperinterface(RuntimeTypes.QMP_SCHEMA)
                .addJavadoc("What {@code schema()} returns; its commands are built once, when first needed.\n");
        commands(spec, commandsByModule);
        return spec.addField(FieldSpec.builder(whole, "INSTANCE", Modifier.STATIC, Modifier.FINAL)
                        .initializer("new $T()", whole).build())
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

    /**
     * The field {@code COMMANDS}: the specs the module dispatchers hold (each is written once,
     * in its module's dispatcher), put together in the order QEMU registers commands. QEMU's
     * generated {@code qmp_init_marshal} registers them module by module, each module's in
     * definition order, except the {@code 'gen': false} ones, which QEMU registers by hand
     * afterwards ({@code device_add} in QEMU 7.2), in that same order.
     */
    private void commands(TypeSpec.Builder whole, Map<Module, List<Command>> commandsByModule) {
        FieldSpec.Builder field = FieldSpec.builder(HandlerEmitter.commandSpecs(), "COMMANDS",
                Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL);
        List<ClassName> modules = new ArrayList<>();
        List<Command> byHand = new ArrayList<>();
        commandsByModule.forEach((module, commands) -> {
            modules.add(context.names().moduleCommands(module));
            commands.stream().filter(command -> !command.gen()).forEach(byHand::add);
        });
        if (modules.isEmpty()) {
            whole.addField(field.addJavadoc("None: this schema has no commands.\n")
                    .initializer("$T.of()", RuntimeTypes.MAP)
                    .build());
            return;
        }
        if (modules.size() == 1 && byHand.isEmpty()) {
            whole.addField(field
                    .addJavadoc("The commands are all in one module: its dispatcher's, already in the order QEMU\n"
                            + "registers them.\n")
                    .initializer("$T.COMMANDS", dispatcher(modules.get(0)))
                    .build());
            return;
        }
        whole.addField(field.initializer("commandSpecs()").build());
        MethodSpec.Builder method = MethodSpec.methodBuilder("commandSpecs")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addJavadoc("The module dispatchers' commands, in the order QEMU registers them.\n")
                .returns(HandlerEmitter.commandSpecs())
                .addStatement("$T commands = new $T<>()", HandlerEmitter.commandSpecs(), RuntimeTypes.LINKED_HASH_MAP)
                .addComment("Module by module, as QEMU's qmp_init_marshal registers them.");
        for (ClassName module : modules) {
            method.addStatement("commands.putAll($T.COMMANDS)", dispatcher(module));
        }
        if (!byHand.isEmpty()) {
            method.addComment("'gen': false commands, which QEMU registers by hand after the rest.");
            for (Command command : byHand) {
                method.addStatement("commands.put($S, commands.remove($S))", command.name(), command.name());
            }
        }
        whole.addMethod(method.addStatement("return $T.unmodifiableMap(commands)", RuntimeTypes.COLLECTIONS).build());
    }

    /** The dispatcher nested in a module's handler interface ({@link DispatcherEmitter}). */
    private static ClassName dispatcher(ClassName handlers) {
        return handlers.nestedClass(DispatcherEmitter.NAME);
    }
}

package org.qapi4j.codegen.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;
import org.qapi4j.codegen.model.Command;
import org.qapi4j.codegen.model.Module;

/**
 * The handler interfaces of commands, as a server implements them, and their dispatchers.
 *
 * <p>One interface per schema module with commands ({@code migration.json} → {@code
 * MigrationCommands}), as QEMU generates {@code qapi-commands-MODULE.c}: one method per command
 * of the module (so a command added to the schema is a compile error in every handler until it
 * is implemented) and a nested dispatcher, which decodes arguments strictly with QEMU's errors
 * before a handler sees them. The dispatcher is nested in its interface on purpose: it calls
 * deprecated handler methods, and javac does not warn about uses within the same top-level
 * class. Method names are allocated schema-wide, so that no two interfaces declare the same one.
 *
 * <p>Then {@code QmpCommands}, the whole schema: it extends every module's interface, and its
 * dispatcher composes theirs. A schema without commands gets a {@code QmpCommands} of its own
 * with a dispatcher that serves nothing.
 */
final class HandlerEmitter {
    private static final String CONTRACT =
            "<p>Each method answers with a {@code CompletionStage} (already complete for a command that\n"
            + "answers at once), fails by throwing a {@code QmpException} with QEMU's error class and text,\n"
            + "and reaches its monitor and the event channel through its {@code CommandContext}; see\n"
            + "{@link $T} for the whole contract (threads, out-of-band commands, events).\n";

    private final GenerationContext context;
    private final CommandEmitter commands;

    HandlerEmitter(GenerationContext context, CommandEmitter commands) {
        this.context = context;
        this.commands = commands;
    }

    /** The handler interfaces: one per module with commands, then {@code QmpCommands}. */
    List<JavaFile> emit(Map<Module, List<CommandEmitter.JavaCommand>> byModule) {
        List<JavaFile> files = new ArrayList<>();
        if (byModule.isEmpty()) {
            files.add(handlers(context.names().commands(), List.of(), null));
            return files;
        }
        List<ClassName> modules = new ArrayList<>();
        for (Map.Entry<Module, List<CommandEmitter.JavaCommand>> module : byModule.entrySet()) {
            ClassName type = context.names().moduleCommands(module.getKey());
            modules.add(type);
            files.add(handlers(type, module.getValue(), module.getKey().name()));
        }
        files.add(aggregate(modules));
        return files;
    }

    /**
     * A handler interface with its dispatcher: of module {@code moduleName}, or of the whole
     * schema when that is null.
     */
    private JavaFile handlers(ClassName type, List<CommandEmitter.JavaCommand> javaCommands, String moduleName) {
        String what = moduleName == null ? "this schema" : "schema module {@code " + moduleName + "}";
        TypeSpec.Builder spec = TypeSpec.interfaceBuilder(type)
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("The commands of " + what + ", as a server implements them:\none method per command.\n"
                        + CONTRACT
                        + "{@link #dispatcher} serves an implementation.\n", RuntimeTypes.COMMAND_CONTEXT);
        for (CommandEmitter.JavaCommand command : javaCommands) {
            spec.addMethod(handlerMethod(command));
        }
        spec.addMethod(MethodSpec.methodBuilder("dispatcher")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addJavadoc("A dispatcher serving the commands of " + (moduleName == null ? "this schema" : "this module")
                        + " with {@code handlers}.\n")
                .returns(RuntimeTypes.COMMAND_DISPATCHER)
                .addParameter(type, "handlers")
                .addStatement("return new $L(handlers)", DispatcherEmitter.NAME)
                .build());
        spec.addType(new DispatcherEmitter(context).dispatcher(type, javaCommands));
        return moduleName == null ? context.file(spec.build(), null) : context.fileFrom(spec.build(), moduleName);
    }

    /** {@code QmpCommands}: every module's interface, and one dispatcher composed of theirs. */
    private JavaFile aggregate(List<ClassName> modules) {
        ClassName type = context.names().commands();
        TypeSpec.Builder spec = TypeSpec.interfaceBuilder(type)
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("The commands of this schema, as a server implements them: the handler interfaces of\n"
                        + "all its modules in one.\n"
                        + "<p>Implement it to serve every command of the schema, with {@link #dispatcher}. Or implement\n"
                        + "only the module interfaces you serve and compose their dispatchers with\n"
                        + "{@code CommandDispatcher.compose(...)}: a server answers {@code CommandNotFound} for the\n"
                        + "schema's commands nobody serves.\n"
                        + CONTRACT, RuntimeTypes.COMMAND_CONTEXT);
        CodeBlock.Builder dispatchers = CodeBlock.builder();
        for (int i = 0; i < modules.size(); i++) {
            spec.addSuperinterface(modules.get(i));
            // One per line when there are several.
            dispatchers.add(modules.size() == 1 ? "" : i == 0 ? "\n" : ",\n")
                    .add("$T.dispatcher(handlers)", modules.get(i));
        }
        spec.addMethod(MethodSpec.methodBuilder("dispatcher")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addJavadoc("A dispatcher serving every command of this schema with {@code handlers}: the\n"
                        + "dispatchers of its modules, composed.\n")
                .returns(RuntimeTypes.COMMAND_DISPATCHER)
                .addParameter(type, "handlers")
                .addStatement("return $T.compose($L)", RuntimeTypes.COMMAND_DISPATCHER, dispatchers.build())
                .build());
        return context.file(spec.build(), null);
    }

    private MethodSpec handlerMethod(CommandEmitter.JavaCommand command) {
        MethodSpec.Builder method = MethodSpec.methodBuilder(command.method())
                .addModifiers(Modifier.PUBLIC, Modifier.ABSTRACT)
                .returns(ParameterizedTypeName.get(RuntimeTypes.COMPLETION_STAGE, command.result()))
                .addParameter(RuntimeTypes.COMMAND_CONTEXT, "context");
        StringBuilder params = new StringBuilder("@param context the monitor the command came from, and the event channel\n");
        if (command.arguments() != null) {
            method.addParameter(command.arguments(), "arguments");
            params.append(command.raw()
                    ? "@param arguments the arguments as received (the schema leaves them to the handler)\n"
                    : "@param arguments the arguments, already checked against the schema\n");
        }
        String returns = commands.returnsDoc(command.command());
        params.append("@return ").append(returns != null ? returns : "when the command is done").append('\n');
        method.addJavadoc(commands.commandJavadoc(command, params.toString()));
        CommandEmitter.annotate(method, command);
        return method.build();
    }

    /** The CommandSpec of {@code command}, as a constructor call. */
    static CodeBlock commandSpec(CommandEmitter.JavaCommand command) {
        Command c = command.command();
        return CodeBlock.of("new $T($S, $L, $L, $L, $L, $L, $L)", RuntimeTypes.COMMAND_SPEC, c.name(), c.allowOob(),
                c.allowPreconfig(), c.successResponse(), c.coroutine(), command.deprecated(), command.unstable());
    }

    /** The {@code Map<String, CommandSpec>} type. */
    static TypeName commandSpecs() {
        return ParameterizedTypeName.get(RuntimeTypes.MAP, ClassName.get(String.class), RuntimeTypes.COMMAND_SPEC);
    }

    /** A private static method {@code commandSpecs()} building the unmodifiable specs of {@code commands}, in order. */
    static MethodSpec commandSpecsMethod(List<CommandEmitter.JavaCommand> commands) {
        MethodSpec.Builder method = MethodSpec.methodBuilder("commandSpecs")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(commandSpecs())
                .addStatement("$T commands = new $T<>()", commandSpecs(), RuntimeTypes.LINKED_HASH_MAP);
        for (CommandEmitter.JavaCommand command : commands) {
            method.addStatement("commands.put($S, $L)", command.command().name(), commandSpec(command));
        }
        return method.addStatement("return $T.unmodifiableMap(commands)", RuntimeTypes.COLLECTIONS).build();
    }
}

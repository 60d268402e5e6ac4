package org.qapi4j.codegen.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;
import org.qapi4j.codegen.model.Command;
import org.qapi4j.codegen.model.ObjectType;

/**
 * The server side of commands: an argument record per command whose arguments are written in
 * place, the handler interface {@code QmpCommands} with one method per command (so a command
 * added to the schema is a compile error in every handler until it is implemented), and its
 * dispatcher, which decodes arguments strictly with QEMU's errors before a handler sees them.
 *
 * <p>The dispatcher is nested in the handler interface on purpose: it calls deprecated
 * handler methods, and javac does not warn about uses within the same top-level class.
 */
final class CommandEmitter {
    private final GenerationContext context;
    private final RecordShape shape;

    CommandEmitter(GenerationContext context) {
        this.context = context;
        this.shape = new RecordShape(context);
    }

    /** How one command looks in Java. */
    record JavaCommand(Command command, String method, TypeName arguments, TypeName result,
            boolean deprecated, boolean unstable) {

        boolean raw() {
            return !command.gen();
        }
    }

    List<JavaCommand> javaCommands(List<Command> commands) {
        NameScope methods = new NameScope(false).reserve("dispatcher");
        List<JavaCommand> result = new ArrayList<>();
        for (Command command : commands) {
            result.add(new JavaCommand(
                    command,
                    methods.allocate(JavaNames.memberName(command.name())),
                    argumentsType(command),
                    resultType(command),
                    context.deprecated(command.features()),
                    context.unstable(command.features())));
        }
        return result;
    }

    /** The Java type a handler receives its arguments as; null when there are none. */
    private TypeName argumentsType(Command command) {
        if (!command.gen()) {
            return RuntimeTypes.OBJECT_NODE;
        }
        ObjectType args = command.argType();
        if (args == null || (args.isImplicit() && args.members().isEmpty() && args.branches() == null)) {
            return null;
        }
        if (args.isImplicit()) {
            return context.names().arguments(command.name());
        }
        return context.names().type(args.name());
    }

    /** The Java type a command answers with. */
    TypeName resultType(Command command) {
        if (!command.gen()) {
            return RuntimeTypes.JSON_NODE;
        }
        if (command.retType() == null) {
            return ClassName.get(Void.class);
        }
        return context.mapping().javaType(command.retType(), true);
    }

    List<JavaFile> emit(List<Command> commands) {
        List<JavaFile> files = new ArrayList<>();
        for (Command command : commands) {
            ClassName arguments = context.names().arguments(command.name());
            if (arguments != null && command.gen() && !command.argType().members().isEmpty()) {
                files.add(argumentsRecord(command, arguments));
            }
        }
        files.add(handlers(javaCommands(commands)));
        return files;
    }

    private JavaFile argumentsRecord(Command command, ClassName name) {
        List<JavaMember> members = StructEmitter.members(context, command.argType().members());
        TypeSpec.Builder record = TypeSpec.recordBuilder(name)
                .addModifiers(Modifier.PUBLIC)
                .addSuperinterface(RuntimeTypes.QAPI_OBJECT)
                .addJavadoc("The arguments of {@code $L}.\n\n$L", command.name(), paramDocs(members));
        shape.addObjectMembers(record, name, members);
        return context.file(record.build(), command);
    }

    private static String paramDocs(List<JavaMember> members) {
        StringBuilder docs = new StringBuilder();
        for (JavaMember member : members) {
            docs.append("@param ").append(member.javaName()).append(' ')
                    .append(member.doc() != null ? member.doc() : "the {@code " + member.wireName() + "} argument")
                    .append('\n');
        }
        return docs.append(StructEmitter.UNKNOWN_MEMBERS_PARAM).toString();
    }

    private JavaFile handlers(List<JavaCommand> commands) {
        ClassName type = context.names().commands();
        TypeSpec.Builder spec = TypeSpec.interfaceBuilder(type)
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("The commands of this schema, as a server implements them: one method per command.\n"
                        + "<p>Each method answers with a {@code CompletionStage} (already complete for a command that\n"
                        + "answers at once), fails by throwing a {@code QmpException} with QEMU's error class and text,\n"
                        + "and reaches its monitor and the event channel through its {@code CommandContext}; see\n"
                        + "{@link $T} for the whole contract (threads, out-of-band commands, events).\n"
                        + "{@link #dispatcher} serves an implementation.\n", RuntimeTypes.COMMAND_CONTEXT);
        for (JavaCommand command : commands) {
            spec.addMethod(handlerMethod(command));
        }
        spec.addMethod(MethodSpec.methodBuilder("dispatcher")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addJavadoc("A dispatcher serving the commands of this schema with {@code handlers}.\n")
                .returns(RuntimeTypes.COMMAND_DISPATCHER)
                .addParameter(type, "handlers")
                .addStatement("return new Dispatcher(handlers)")
                .build());
        spec.addType(dispatcher(type, commands));
        return context.file(spec.build(), null);
    }

    private MethodSpec handlerMethod(JavaCommand command) {
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
        String returns = returnsDoc(command.command());
        params.append("@return ").append(returns != null ? returns : "when the command is done").append('\n');
        method.addJavadoc(commandJavadoc(command, params.toString()));
        annotate(method, command);
        return method.build();
    }

    String returnsDoc(Command command) {
        if (command.doc() == null || command.doc().returns() == null) {
            return null;
        }
        return Javadocs.text(command.doc().returns().text());
    }

    /** The command's documentation, with its flags spelled out and {@code tags} at the end. */
    CodeBlock commandJavadoc(JavaCommand command, String tags) {
        CodeBlock base = context.javadoc(command.command(), List.of(), "");
        String text = base.toString();
        int tagStart = text.indexOf("\n@");
        String body = tagStart >= 0 ? text.substring(0, tagStart) : text.strip();
        String rest = tagStart >= 0 ? text.substring(tagStart + 1) : "";
        StringBuilder doc = new StringBuilder();
        doc.append(body.isBlank() ? "The command {@code " + command.command().name() + "}." : body.strip()).append('\n');
        List<String> flags = new ArrayList<>();
        if (command.command().allowOob()) {
            flags.add("may run out-of-band");
        }
        if (command.command().allowPreconfig()) {
            flags.add("allowed before the machine is configured");
        }
        if (!command.command().successResponse()) {
            flags.add("sends no reply on success");
        }
        if (!flags.isEmpty()) {
            doc.append("<p>Wire name {@code ").append(command.command().name()).append("}; ")
                    .append(String.join(", ", flags)).append(".\n");
        }
        doc.append('\n').append(tags).append(rest);
        if (command.deprecated()) {
            doc.append("@deprecated the schema deprecates this command\n");
        }
        return CodeBlock.of("$L", doc.toString());
    }

    static void annotate(MethodSpec.Builder method, JavaCommand command) {
        if (command.deprecated()) {
            method.addAnnotation(GenerationContext.deprecatedAnnotation());
        }
        if (command.unstable()) {
            method.addAnnotation(GenerationContext.unstableAnnotation());
        }
    }

    // ---- the dispatcher ---------------------------------------------------------------------

    private TypeSpec dispatcher(ClassName handlersType, List<JavaCommand> commands) {
        TypeName specs = ParameterizedTypeName.get(RuntimeTypes.MAP, ClassName.get(String.class), RuntimeTypes.COMMAND_SPEC);
        TypeName answer = ParameterizedTypeName.get(RuntimeTypes.COMPLETION_STAGE, RuntimeTypes.JSON_NODE);
        TypeSpec.Builder spec = TypeSpec.classBuilder("Dispatcher")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addSuperinterface(RuntimeTypes.COMMAND_DISPATCHER)
                .addJavadoc("Serves {@link $T}: decodes arguments strictly, calls the handler, encodes its answer.\n",
                        handlersType)
                .addField(FieldSpec.builder(specs, "COMMANDS", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                        .initializer("commandSpecs()").build())
                .addField(handlersType, "handlers", Modifier.PRIVATE, Modifier.FINAL)
                .addMethod(MethodSpec.constructorBuilder()
                        .addParameter(handlersType, "handlers")
                        .addStatement("this.handlers = $T.requireNonNull(handlers, $S)", RuntimeTypes.OBJECTS, "handlers")
                        .build());

        MethodSpec.Builder specsMethod = MethodSpec.methodBuilder("commandSpecs")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(specs)
                .addStatement("$T commands = new $T<>()", specs, RuntimeTypes.LINKED_HASH_MAP);
        for (JavaCommand command : commands) {
            Command c = command.command();
            specsMethod.addStatement("commands.put($S, new $T($S, $L, $L, $L, $L, $L, $L))", c.name(),
                    RuntimeTypes.COMMAND_SPEC, c.name(), c.allowOob(), c.allowPreconfig(), c.successResponse(),
                    c.coroutine(), command.deprecated(), command.unstable());
        }
        spec.addMethod(specsMethod.addStatement("return $T.unmodifiableMap(commands)", RuntimeTypes.COLLECTIONS).build());

        spec.addMethod(MethodSpec.methodBuilder("commands")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(specs)
                .addStatement("return COMMANDS")
                .build());

        MethodSpec.Builder dispatch = MethodSpec.methodBuilder("dispatch")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(answer)
                .addParameter(String.class, "name")
                .addParameter(RecordShape.nullable(RuntimeTypes.OBJECT_NODE), "arguments")
                .addParameter(RuntimeTypes.COMMAND_CONTEXT, "context")
                .addStatement("$T args = arguments != null ? arguments : $T.object()", RuntimeTypes.OBJECT_NODE, RuntimeTypes.JSON)
                .beginControlFlow("switch (name)");
        for (JavaCommand command : commands) {
            dispatch.addCode("case $S:\n", command.command().name())
                    .addStatement("$>return $L(args, context)$<", command.method());
        }
        dispatch.addCode("default:\n")
                .addStatement("$>throw new $T($T.COMMAND_NOT_FOUND, \"The command \" + name + \" has not been found\")$<",
                        RuntimeTypes.QMP_EXCEPTION, RuntimeTypes.ERROR_CLASS)
                .endControlFlow();
        spec.addMethod(dispatch.build());

        for (JavaCommand command : commands) {
            spec.addMethod(dispatchOne(command, answer));
        }
        return spec.build();
    }

    /** Decodes one command's arguments, calls its handler, encodes the answer. */
    private MethodSpec dispatchOne(JavaCommand command, TypeName answer) {
        Command c = command.command();
        MethodSpec.Builder method = MethodSpec.methodBuilder(command.method())
                .addModifiers(Modifier.PRIVATE)
                .returns(answer)
                .addParameter(RuntimeTypes.OBJECT_NODE, "arguments")
                .addParameter(RuntimeTypes.COMMAND_CONTEXT, "context");
        CodeBlock call;
        if (command.raw()) {
            call = CodeBlock.of("handlers.$L(context, arguments)", command.method());
        } else {
            method.addStatement("$T in = $T.strict(arguments, context.compatPolicy())", RuntimeTypes.QAPI_READER,
                    RuntimeTypes.QAPI_READER);
            if (command.arguments() == null) {
                // No arguments: any member given is unexpected, as in QEMU.
                method.addStatement("in.beginObject(null)").addStatement("in.endObject()");
                call = CodeBlock.of("handlers.$L(context)", command.method());
            } else {
                method.addStatement("$T args = $T.decode(in, null)", command.arguments(), command.arguments());
                call = CodeBlock.of("handlers.$L(context, args)", command.method());
            }
        }
        method.addStatement("return $L.<$T>thenApply($L)", call, RuntimeTypes.JSON_NODE, encodeResult(command));
        return method.build();
    }

    private CodeBlock encodeResult(JavaCommand command) {
        Command c = command.command();
        if (command.raw()) {
            return CodeBlock.of("result -> result");
        }
        if (c.retType() == null) {
            return CodeBlock.of("done -> $T.object()", RuntimeTypes.JSON);
        }
        return CodeBlock.of("result -> $L", context.mapping().write(c.retType(), CodeBlock.of("result")));
    }
}

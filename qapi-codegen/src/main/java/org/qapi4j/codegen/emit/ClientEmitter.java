package org.qapi4j.codegen.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;
import org.qapi4j.codegen.model.ArrayType;
import org.qapi4j.codegen.model.Command;
import org.qapi4j.codegen.model.ObjectType;

/**
 * The client side of commands: {@code QmpClient}, one asynchronous method per command over a
 * {@code QmpTransport}. Answers are decoded tolerantly, so that a server newer or older than the
 * schema does not fail the call: its additions (members, enum values, union branches) reach the
 * caller, and mandatory members it did not send are named in {@code missingMembers()}. A command
 * whose arguments are all optional can also be called without any.
 */
final class ClientEmitter {
    private final GenerationContext context;
    private final CommandEmitter commands;

    ClientEmitter(GenerationContext context, CommandEmitter commands) {
        this.context = context;
        this.commands = commands;
    }

    JavaFile emit(List<CommandEmitter.JavaCommand> javaCommands) {
        ClassName client = context.names().client();
        TypeSpec.Builder spec = TypeSpec.classBuilder(client)
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addJavadoc("Typed, asynchronous calls of the commands of this schema over a QMP connection.\n"
                        + "<p>Each method sends one command and completes with its decoded answer, or exceptionally\n"
                        + "with a {@code QmpException} carrying the server's error class and text.\n"
                        + "<p>Answers are read tolerantly, as a server newer or older than this schema sends them:\n"
                        + "what the schema does not know is kept ({@code unknownMembers()}, the {@code Unknown}\n"
                        + "enum values, union branches and alternatives), and mandatory members the server did not\n"
                        + "send are named in {@code missingMembers()}. Which QEMU the schema is from:\n"
                        + "{@link $T#origin()}.\n",
                        context.names().introspection())
                .addField(RuntimeTypes.QMP_TRANSPORT, "transport", Modifier.PRIVATE, Modifier.FINAL)
                .addMethod(MethodSpec.constructorBuilder()
                        .addModifiers(Modifier.PUBLIC)
                        .addJavadoc("A client sending its commands through {@code transport}, a negotiated connection.\n")
                        .addParameter(RuntimeTypes.QMP_TRANSPORT, "transport")
                        .addStatement("this.transport = $T.requireNonNull(transport, $S)", RuntimeTypes.OBJECTS, "transport")
                        .build());
        for (CommandEmitter.JavaCommand command : javaCommands) {
            spec.addMethod(call(command));
            MethodSpec withoutArguments = callWithoutArguments(command);
            if (withoutArguments != null) {
                spec.addMethod(withoutArguments);
            }
        }
        return context.file(spec.build(), null);
    }

    private MethodSpec.Builder method(CommandEmitter.JavaCommand command) {
        MethodSpec.Builder method = MethodSpec.methodBuilder(command.method())
                .addModifiers(Modifier.PUBLIC)
                .returns(ParameterizedTypeName.get(RuntimeTypes.COMPLETABLE_FUTURE, command.result()));
        CommandEmitter.annotate(method, command);
        return method;
    }

    private MethodSpec call(CommandEmitter.JavaCommand command) {
        MethodSpec.Builder method = method(command);
        CodeBlock arguments;
        StringBuilder tags = new StringBuilder();
        if (command.arguments() != null) {
            method.addParameter(command.arguments(), "arguments");
            arguments = CodeBlock.of("arguments$L", command.raw() ? "" : ".toJson()");
            tags.append("@param arguments the command's arguments\n");
        } else {
            arguments = CodeBlock.of("$T.object()", RuntimeTypes.JSON);
        }
        String returns = commands.returnsDoc(command.command());
        tags.append("@return ").append(returns != null ? returns : "completes when the command is done").append('\n');
        method.addJavadoc(commands.commandJavadoc(command, tags.toString()));
        if (!command.command().successResponse()) {
            method.addStatement("return transport.executeWithoutReply($S, $L)", command.command().name(), arguments);
        } else {
            method.addStatement("return transport.execute($S, $L)$L", command.command().name(), arguments, decodeAnswer(command));
        }
        return method.build();
    }

    /** {@code .thenApply(...)} turning the answer into the result type. */
    private CodeBlock decodeAnswer(CommandEmitter.JavaCommand command) {
        Command c = command.command();
        if (command.raw()) {
            return CodeBlock.of("");
        }
        if (c.retType() == null) {
            return CodeBlock.of("\n.thenApply(result -> null)");
        }
        return CodeBlock.of("\n.thenApply(result -> $T.read(result, false, $L))", RuntimeTypes.QAPI_READER, decoder(c));
    }

    /** A {@code Decoder} of the answer: a method reference where one exists. */
    private CodeBlock decoder(Command command) {
        if (command.retType() instanceof ArrayType) {
            return CodeBlock.of("(in, name) -> $L", context.mapping().read(command.retType(), CodeBlock.of("name")));
        }
        return context.mapping().decoder(command.retType());
    }

    /** For a command whose arguments are all optional: a call without them. */
    private MethodSpec callWithoutArguments(CommandEmitter.JavaCommand command) {
        if (command.raw() || command.arguments() == null) {
            return null;
        }
        ObjectType args = command.command().argType();
        if (!args.isImplicit()) {
            return null;
        }
        List<JavaMember> members = StructEmitter.members(context, args.members());
        if (members.isEmpty() || members.stream().anyMatch(member -> !member.optional())) {
            return null;
        }
        List<CodeBlock> nulls = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            nulls.add(CodeBlock.of("null"));
        }
        MethodSpec.Builder method = method(command);
        method.addJavadoc("Calls {@code $L} without arguments.\n\n@return as {@link #$L($T)}\n",
                command.command().name(), command.method(), command.arguments());
        method.addStatement("return $L(new $T($L))", command.method(), command.arguments(), CodeBlock.join(nulls, ", "));
        return method.build();
    }
}

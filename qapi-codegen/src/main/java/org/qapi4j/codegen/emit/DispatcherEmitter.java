package org.qapi4j.codegen.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.List;
import javax.lang.model.element.Modifier;
import org.qapi4j.codegen.emit.CommandEmitter.JavaCommand;
import org.qapi4j.codegen.model.Command;

/**
 * The dispatcher of a handler interface: serves its commands by name, decodes arguments
 * strictly with QEMU's errors, calls the handler, encodes its answer; any other name is
 * {@code CommandNotFound}.
 */
final class DispatcherEmitter {
    /** The dispatcher's simple name, nested in its handler interface. */
    static final String NAME = "Dispatcher";

    private final GenerationContext context;

    DispatcherEmitter(GenerationContext context) {
        this.context = context;
    }

    TypeSpec dispatcher(ClassName handlersType, List<JavaCommand> commands) {
        TypeName specs = HandlerEmitter.commandSpecs();
        TypeName answer = ParameterizedTypeName.get(RuntimeTypes.COMPLETION_STAGE, RuntimeTypes.JSON_NODE);
        TypeSpec.Builder spec = TypeSpec.classBuilder(NAME)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addSuperinterface(RuntimeTypes.COMMAND_DISPATCHER)
                .addJavadoc("Serves {@link $T}: decodes arguments strictly, calls the handler, encodes its answer.\n",
                        handlersType)
                .addField(FieldSpec.builder(specs, "COMMANDS", Modifier.STATIC, Modifier.FINAL)
                        .addJavadoc("The commands served, in definition order. Not private: {@code $L} puts every\n"
                                + "module's together, so that each spec is written once.\n",
                                context.names().introspection().simpleName())
                        .initializer("commandSpecs()").build())
                .addField(handlersType, "handlers", Modifier.PRIVATE, Modifier.FINAL)
                .addMethod(MethodSpec.constructorBuilder()
                        .addParameter(handlersType, "handlers")
                        .addStatement("this.handlers = $T.requireNonNull(handlers, $S)", RuntimeTypes.OBJECTS, "handlers")
                        .build());

        spec.addMethod(HandlerEmitter.commandSpecsMethod(commands));

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

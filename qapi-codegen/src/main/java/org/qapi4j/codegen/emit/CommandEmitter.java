package org.qapi4j.codegen.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;
import org.qapi4j.codegen.model.Command;
import org.qapi4j.codegen.model.Module;
import org.qapi4j.codegen.model.ObjectType;

/**
 * Commands in Java: how each looks ({@link JavaCommand}: its method name, allocated once for
 * the whole schema, and its argument and result types), what the handler interfaces
 * ({@link HandlerEmitter}) and the client share of its documentation, and an argument record
 * per command whose arguments are written in place.
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

    /** The commands in Java, in the order given; method names are unique among all of them. */
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

    /** The argument records of {@code commands}. */
    List<JavaFile> argumentRecords(List<Command> commands) {
        List<JavaFile> files = new ArrayList<>();
        for (Command command : commands) {
            ClassName arguments = context.names().arguments(command.name());
            if (arguments != null && command.gen() && !command.argType().members().isEmpty()) {
                files.add(argumentsRecord(command, arguments));
            }
        }
        return files;
    }

    /** {@code javaCommands} (all of a selection's) grouped by module as {@code selection} groups them. */
    static Map<Module, List<JavaCommand>> byModule(List<JavaCommand> javaCommands, Selection selection) {
        Map<Command, JavaCommand> java = new HashMap<>();
        for (JavaCommand command : javaCommands) {
            java.put(command.command(), command);
        }
        Map<Module, List<JavaCommand>> byModule = new LinkedHashMap<>();
        selection.commandsByModule().forEach((module, commands) ->
                byModule.put(module, commands.stream().map(java::get).toList()));
        return byModule;
    }

    private JavaFile argumentsRecord(Command command, ClassName name) {
        List<JavaMember> members = StructEmitter.members(context, command.argType().members());
        TypeSpec.Builder record = TypeSpec.recordBuilder(name)
                .addModifiers(Modifier.PUBLIC)
                .addSuperinterface(RuntimeTypes.QAPI_OBJECT)
                .addJavadoc("The arguments of {@code $L}.\n\n$L", command.name(), Javadocs.recordParams(members, "argument"));
        shape.addObjectMembers(record, name, members);
        return context.file(record.build(), command);
    }

    String returnsDoc(Command command) {
        if (command.doc() == null || command.doc().returns() == null) {
            return null;
        }
        return Javadocs.text(command.doc().returns().text());
    }

    /** The command's documentation, with its flags spelled out and {@code tags} at the end. */
    CodeBlock commandJavadoc(JavaCommand command, String tags) {
        CodeBlock base = context.javadoc(command.command(), "");
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
}

package org.qapi4j.codegen.emit;

import com.palantir.javapoet.JavaFile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.qapi4j.codegen.model.AlternateType;
import org.qapi4j.codegen.model.Command;
import org.qapi4j.codegen.model.Definition;
import org.qapi4j.codegen.model.EnumType;
import org.qapi4j.codegen.model.Event;
import org.qapi4j.codegen.model.ObjectType;
import org.qapi4j.codegen.model.Schema;

/**
 * Turns a checked schema into Java: one file per definition plus the command handler
 * interface with its dispatcher, the client, the event type and the introspection data.
 *
 * <p>The pipeline: pick the definitions this build keeps (conditions), allocate every Java
 * name ({@link TypeNames}), then let one emitter per kind write its files. The output is a pure
 * function of the schema and the options, byte for byte, so builds are reproducible and an
 * unchanged schema rewrites nothing.
 */
public final class JavaGenerator {
    private JavaGenerator() {}

    /** Everything the schema generates, sorted by path. */
    public static List<GeneratedFile> generate(Schema schema, GeneratorOptions options) {
        Selection selection = Selection.of(schema, options.conditions());
        List<Definition> definitions = selection.definitions();
        GenerationContext context = new GenerationContext(schema, options, new TypeNames(options.packageName(), selection));

        EnumEmitter enums = new EnumEmitter(context);
        StructEmitter structs = new StructEmitter(context);
        UnionEmitter unions = new UnionEmitter(context);
        AlternateEmitter alternates = new AlternateEmitter(context);
        // Emitters only read the model and the names allocated above, so types are emitted on
        // all cores; the stream keeps the schema's order.
        List<JavaFile> sources = new ArrayList<>(definitions.parallelStream()
                .map(definition -> {
                    // Definition is sealed: these are its kinds with a file of their own; built-in
                    // and array types map to library types, commands and events are emitted below.
                    if (definition instanceof EnumType type) {
                        return enums.emit(type);
                    } else if (definition instanceof ObjectType type) {
                        return type.isImplicit() ? null : type.branches() == null ? structs.emit(type) : unions.emit(type);
                    } else if (definition instanceof AlternateType type) {
                        return alternates.emit(type);
                    }
                    return null;
                })
                .filter(java.util.Objects::nonNull)
                .toList());
        List<Event> events = new ArrayList<>();
        for (Definition definition : definitions) {
            if (definition instanceof Event event) {
                events.add(event);
            }
        }
        sources.add(new EventEmitter(context).emit(events));
        List<Command> commands = selection.commands();
        CommandEmitter commandEmitter = new CommandEmitter(context);
        List<CommandEmitter.JavaCommand> javaCommands = commandEmitter.javaCommands(commands);
        sources.addAll(commandEmitter.argumentRecords(commands));
        sources.addAll(new HandlerEmitter(context, commandEmitter)
                .emit(CommandEmitter.byModule(javaCommands, selection)));
        sources.add(new ClientEmitter(context, commandEmitter).emit(javaCommands));
        IntrospectionEmitter introspection = new IntrospectionEmitter(context, options.unmaskIntrospection());
        sources.add(introspection.loader(selection.commandsByModule(), definitions, options.qemuVersion()));

        // Rendering (JavaPoet's two passes over each file) is most of the work; files are
        // independent, so they render on all cores. Order is restored by the sort below.
        List<GeneratedFile> files = new ArrayList<>(sources.parallelStream()
                .map(source -> new GeneratedFile(GeneratedFile.Kind.SOURCE,
                        source.packageName().replace('.', '/') + "/" + source.typeSpec().name() + ".java",
                        source.toString()))
                .toList());
        files.add(new GeneratedFile(GeneratedFile.Kind.RESOURCE,
                options.packageName().replace('.', '/') + "/" + IntrospectionEmitter.RESOURCE_NAME,
                introspection.resource()));
        files.sort(Comparator.comparing(GeneratedFile::relativePath));
        return files;
    }
}

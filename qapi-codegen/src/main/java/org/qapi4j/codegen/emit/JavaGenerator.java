package org.qapi4j.codegen.emit;

import com.palantir.javapoet.JavaFile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.qapi4j.codegen.model.AlternateType;
import org.qapi4j.codegen.model.Definition;
import org.qapi4j.codegen.model.EnumType;
import org.qapi4j.codegen.model.Entity;
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
        List<Definition> definitions = new ArrayList<>();
        for (Entity entity : schema.entities()) {
            if (entity instanceof Definition && options.conditions().holds(((Definition) entity).ifCond())) {
                definitions.add((Definition) entity);
            }
        }
        GenerationContext context = new GenerationContext(schema, options, new TypeNames(options.packageName(), definitions));

        List<JavaFile> sources = new ArrayList<>();
        EnumEmitter enums = new EnumEmitter(context);
        StructEmitter structs = new StructEmitter(context);
        for (Definition definition : definitions) {
            if (definition instanceof EnumType) {
                sources.add(enums.emit((EnumType) definition));
            } else if (definition instanceof ObjectType && !definition.isImplicit()) {
                ObjectType object = (ObjectType) definition;
                if (object.branches() == null) {
                    sources.add(structs.emit(object));
                }
            } else if (definition instanceof AlternateType) {
                continue;
            }
        }

        List<GeneratedFile> files = new ArrayList<>();
        for (JavaFile source : sources) {
            files.add(new GeneratedFile(GeneratedFile.Kind.SOURCE,
                    source.packageName().replace('.', '/') + "/" + source.typeSpec().name() + ".java",
                    source.toString()));
        }
        files.sort(Comparator.comparing(GeneratedFile::relativePath));
        return files;
    }
}

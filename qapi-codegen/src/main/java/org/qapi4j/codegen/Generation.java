package org.qapi4j.codegen;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.qapi4j.codegen.ast.DocStyle;
import org.qapi4j.codegen.diag.SchemaException;
import org.qapi4j.codegen.emit.GeneratedFile;
import org.qapi4j.codegen.emit.GeneratorOptions;
import org.qapi4j.codegen.emit.JavaGenerator;
import org.qapi4j.codegen.model.Schema;
import org.qapi4j.codegen.output.OutputWriter;
import org.qapi4j.codegen.output.WriteResult;

/**
 * One generation run, as {@code qapi-gen} and the Maven plugin both do it: load and check the
 * schema ({@link FrontEnd}), generate Java ({@link JavaGenerator}), write what changed
 * ({@link OutputWriter}).
 */
public final class Generation {
    private Generation() {}

    /**
     * What to generate, and where.
     *
     * @param baseDir what relative file names are relative to
     * @param schemaFile the schema's main file, as messages and headers name it
     * @param style how strictly documentation is checked
     * @param options the generator's options
     * @param writer where the files go
     */
    public record Request(Path baseDir, String schemaFile, DocStyle style, GeneratorOptions options,
            OutputWriter writer) {
        public Request {
            Objects.requireNonNull(baseDir, "baseDir");
            Objects.requireNonNull(schemaFile, "schemaFile");
            Objects.requireNonNull(style, "style");
            Objects.requireNonNull(options, "options");
            Objects.requireNonNull(writer, "writer");
        }
    }

    /**
     * What a run did.
     *
     * @param schema the checked schema (its files are the run's inputs)
     * @param files every file generated, sorted by path
     * @param written what writing them changed on disk
     */
    public record Result(Schema schema, List<GeneratedFile> files, WriteResult written) {
        /**
         * What the run did, in the words {@code qapi-gen} and the plugin both print: {@code
         * 12 files generated (3 written, 9 unchanged, 0 deleted)}.
         */
        public String summary() {
            return files.size() + " files generated (" + written + ")";
        }
    }

    /**
     * Loads, checks, generates and writes.
     *
     * @throws SchemaException when the schema cannot be read or is not valid; nothing is written
     * @throws IOException when the output cannot be written
     */
    public static Result run(Request request) throws IOException {
        Schema schema = FrontEnd.load(request.baseDir(), request.schemaFile(), request.style());
        List<GeneratedFile> files = JavaGenerator.generate(schema, request.options());
        WriteResult written = request.writer().write(files);
        return new Result(schema, files, written);
    }
}

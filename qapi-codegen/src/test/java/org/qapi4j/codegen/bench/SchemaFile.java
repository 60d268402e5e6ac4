package org.qapi4j.codegen.bench;

import java.nio.file.Path;
import java.util.Locale;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.qapi4j.codegen.FrontEnd;
import org.qapi4j.codegen.ast.DocStyle;
import org.qapi4j.codegen.model.Schema;

/**
 * The schema a benchmark works on, and how to load it: JMH parameters {@code schema} (the main
 * file; the bench scripts pass QEMU's) and {@code docStyle}, shared by the benchmarks here.
 */
@State(Scope.Benchmark)
public class SchemaFile {
    @Param("../shared/qemu/qapi-master/qapi-schema.json")
    public String schema;

    @Param("strict")
    public String docStyle;

    private Path directory;
    private String fileName;
    private DocStyle style;

    @Setup
    public void locate() {
        Path file = Path.of(schema).toAbsolutePath().normalize();
        directory = file.getParent();
        fileName = file.getFileName().toString();
        style = DocStyle.valueOf(docStyle.toUpperCase(Locale.ROOT));
    }

    /** Parses and checks the schema, as the front end does for every run. */
    public Schema load() {
        return FrontEnd.load(directory, fileName, style);
    }
}

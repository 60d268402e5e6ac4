package org.qapi4j.codegen.bench;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.qapi4j.codegen.FrontEnd;
import org.qapi4j.codegen.ast.DocStyle;

/**
 * Parse + check of a whole schema, warm, in one process: what an IDE, a Maven build that
 * regenerates, or a long-running tool pays per schema. {@code bin/bench-frontend} runs it next
 * to the cold {@code bin/qapi-gen} process and to QEMU's own generator.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FrontEndBenchmark {
    /** The schema's main file; bin/bench-frontend passes QEMU's master and 7.2 schemas. */
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
        style = DocStyle.valueOf(docStyle.toUpperCase(java.util.Locale.ROOT));
    }

    @Benchmark
    public Object parseAndCheck() {
        return FrontEnd.load(directory, fileName, style);
    }
}

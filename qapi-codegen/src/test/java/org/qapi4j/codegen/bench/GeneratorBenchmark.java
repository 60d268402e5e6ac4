package org.qapi4j.codegen.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.qapi4j.codegen.emit.GeneratedFile;
import org.qapi4j.codegen.emit.GeneratorOptions;
import org.qapi4j.codegen.emit.JavaGenerator;
import org.qapi4j.codegen.output.OutputWriter;

/**
 * Generating Java for a whole schema, warm, in one process: parse, check, generate, and write
 * into an empty directory, as a long-running build (or an IDE) pays it. {@code bin/bench-codegen}
 * prints it next to the cold {@code bin/qapi-gen} process and QEMU's {@code qapi-gen.py}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class GeneratorBenchmark {
    private Path output;
    private final List<Path> outputs = new ArrayList<>();

    /**
     * A new empty directory for each invocation, all removed at the end: removing one just before
     * the next invocation writes its files would make ext4 skip the just-freed inodes one by one
     * while it allocates new ones, which measured half a second an invocation, a cost of the
     * benchmark, not of the generator (see bin/bench-codegen).
     */
    @Setup(Level.Invocation)
    public void emptyOutput() throws IOException {
        output = Files.createTempDirectory("qapi-bench");
        outputs.add(output);
    }

    @TearDown(Level.Trial)
    public void removeOutputs() throws IOException {
        for (Path root : outputs) {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        outputs.clear();
    }

    @Benchmark
    public Object generateIntoEmptyDirectory(SchemaFile schema) {
        List<GeneratedFile> files = JavaGenerator.generate(schema.load(), GeneratorOptions.defaults());
        try {
            return OutputWriter.singleRoot(output).write(files);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Benchmark
    public Object generateInMemory(SchemaFile schema) {
        return JavaGenerator.generate(schema.load(), GeneratorOptions.defaults());
    }
}

package org.qapi4j.codegen.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parse + check of a whole schema, warm, in one process: what an IDE, a Maven build that
 * regenerates, or a long-running tool pays per schema. {@code bin/bench-frontend} runs it next
 * to the cold {@code bin/qapi-gen} process and to QEMU's own generator.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FrontEndBenchmark {
    @Benchmark
    public Object parseAndCheck(SchemaFile schema) {
        return schema.load();
    }
}

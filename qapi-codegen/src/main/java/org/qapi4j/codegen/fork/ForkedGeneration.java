package org.qapi4j.codegen.fork;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.Locale;
import org.qapi4j.codegen.Generation;
import org.qapi4j.codegen.GenerationDefines;
import org.qapi4j.codegen.ast.DocStyle;
import org.qapi4j.codegen.emit.GeneratorOptions;
import org.qapi4j.codegen.output.OutputWriter;
import org.qapi4j.codegen.diag.Diagnostic;
import org.qapi4j.codegen.diag.SchemaException;
import org.qapi4j.codegen.output.InputStamp;

/**
 * A generation run in a JVM of its own, started with flags that suit a short batch job.
 *
 * <p>Why: a build tool's JVM (Maven's) runs with the JIT compilers' defaults, tuned for long-lived
 * servers. Generating Java for QEMU's whole schema executes a lot of code exactly once, and in
 * that JVM C2 spends several seconds of CPU compiling JavaPoet's largest methods (measured: 9.5 s
 * of compilation in a 6 s {@code mvn generate-sources} on two cores, against 2.6 s when generation
 * is skipped) on the same cores the generator needs, for code that has finished by the time it is
 * compiled. A child JVM limited to C1 ({@link #JVM_OPTIONS}) does the same work in about half
 * the time, its own start-up included. See {@code bin/bench-codegen} for the figures.
 *
 * <p>The parent ({@link #run}) passes a {@link Request} as arguments; the child ({@link #main})
 * runs {@link Generation#run} and answers on standard output, a record per line, tab-separated
 * ({@link Record}): the summary and the schema's source files on success, or the diagnostic
 * (its rendered lines and its location) when the schema is invalid. Anything else the child
 * prints reaches the parent's {@code otherOutput}.
 */
public final class ForkedGeneration {

    /** The child JVM's flags: C1 only (no C2 compile of run-once code), the serial collector. */
    public static final List<String> JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Xshare:auto");

    private ForkedGeneration() {}

    /**
     * What the child does: {@link Generation#run} on this request.
     *
     * @param definesGiven whether any define was given ({@code GenerationDefines.conditions})
     */
    public record Request(Path baseDir, String schemaFile, String docStyle, String packageName, boolean definesGiven,
            List<String> defines, boolean unmaskIntrospection, Path sourcesRoot, Path resourcesRoot) {

        List<String> arguments() {
            List<String> args = new ArrayList<>(List.of(baseDir.toString(), schemaFile, docStyle, packageName,
                    String.valueOf(definesGiven), String.valueOf(unmaskIntrospection), sourcesRoot.toString(),
                    resourcesRoot.toString()));
            args.addAll(defines);
            return args;
        }

        /** The same run, in process. */
        Generation.Request toGeneration() {
            GeneratorOptions options = new GeneratorOptions(packageName,
                    GenerationDefines.conditions(definesGiven, defines), unmaskIntrospection);
            return new Generation.Request(baseDir, schemaFile, DocStyle.valueOf(docStyle.toUpperCase(Locale.ROOT)),
                    options, new OutputWriter(sourcesRoot, resourcesRoot));
        }

        static Request parse(String[] args) {
            if (args.length < 8) {
                throw new IllegalArgumentException("expected at least 8 arguments, got " + args.length);
            }
            return new Request(Path.of(args[0]), args[1], args[2], args[3], Boolean.parseBoolean(args[4]),
                    List.of(args).subList(8, args.length), Boolean.parseBoolean(args[5]), Path.of(args[6]),
                    Path.of(args[7]));
        }
    }

    /** What a successful child reported: {@link Generation.Result#summary()} and the schema's files. */
    public record Outcome(String summary, List<Path> sourceFiles) {}

    /** The schema is invalid: the diagnostic as the child rendered it, and where it points. */
    public static final class InvalidSchema extends Exception {
        private static final long serialVersionUID = 1L;
        private final List<String> renderedLines;
        private final Location location;

        InvalidSchema(List<String> renderedLines, Location location) {
            super(String.join("\n", renderedLines));
            this.renderedLines = List.copyOf(renderedLines);
            this.location = location;
        }

        /** QEMU's rendering: include chain, enclosing definition, {@code FILE:LINE[:COL]: message}. */
        public List<String> renderedLines() {
            return renderedLines;
        }

        /** Where the diagnostic points, or null when it concerns no file. */
        public Location location() {
            return location;
        }
    }

    /** A diagnostic's file (relative to the request's base directory, as the front end names it). */
    public record Location(String fileName, int line, int column, String message) {}

    /**
     * Runs {@code request} in a child JVM.
     *
     * @param java the {@code java} launcher
     * @param classpath qapi-codegen and its dependencies
     * @param otherOutput receives any line the child prints besides its answer
     * @throws InvalidSchema when the schema is invalid; nothing was written
     * @throws IOException when the child could not run or failed otherwise (its message says why)
     */
    public static Outcome run(Path java, List<Path> classpath, Request request, Consumer<String> otherOutput)
            throws IOException, InvalidSchema, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(JVM_OPTIONS);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classpath.stream().map(Path::toString).toList()));
        command.add(ForkedGeneration.class.getName());
        command.addAll(request.arguments());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.PIPE).start();
        process.getOutputStream().close();
        String summary = null;
        String failure = null;
        List<Path> sources = new ArrayList<>();
        List<String> rendered = new ArrayList<>();
        Location location = null;
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                Record record = Record.parse(line);
                if (record == null) {
                    otherOutput.accept(line);
                    continue;
                }
                switch (record.kind()) {
                    case Record.SUMMARY -> summary = record.field(0);
                    case Record.SOURCE -> sources.add(Path.of(record.field(0)));
                    case Record.RENDERED -> rendered.add(record.field(0));
                    case Record.LOCATION -> location = new Location(record.field(0),
                            Integer.parseInt(record.field(1)), Integer.parseInt(record.field(2)), record.field(3));
                    case Record.FAILURE -> failure = record.field(0);
                    default -> otherOutput.accept(line);
                }
            }
        }
        int exit = process.waitFor();
        if (!rendered.isEmpty()) {
            throw new InvalidSchema(rendered, location);
        }
        if (exit != 0 || summary == null) {
            throw new IOException(failure != null ? failure : "the generator's process exited with status " + exit);
        }
        return new Outcome(summary, sources);
    }

    /** The child: one generation, answered on standard output. */
    public static void main(String[] args) throws IOException {
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        int status = answer(Request.parse(args), out);
        out.flush();
        System.exit(status);
    }

    static int answer(Request request, PrintStream out) {
        try {
            Generation.Result result = Generation.run(request.toGeneration());
            out.println(Record.line(Record.SUMMARY, result.summary()));
            for (Path source : InputStamp.sourceFiles(result.schema(), request.baseDir())) {
                out.println(Record.line(Record.SOURCE, source.toString()));
            }
            return 0;
        } catch (SchemaException e) {
            Diagnostic diagnostic = e.diagnostic();
            for (String line : diagnostic.render().split("\n")) {
                out.println(Record.line(Record.RENDERED, line));
            }
            if (diagnostic.info() != null) {
                out.println(Record.line(Record.LOCATION, diagnostic.info().fileName(),
                        String.valueOf(diagnostic.info().line()), String.valueOf(diagnostic.column()),
                        diagnostic.message()));
            }
            return 1;
        } catch (IOException | RuntimeException e) {
            out.println(Record.line(Record.FAILURE, e.toString()));
            return 2;
        }
    }
}

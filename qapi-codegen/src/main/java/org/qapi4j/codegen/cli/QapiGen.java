package org.qapi4j.codegen.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import javax.lang.model.SourceVersion;
import org.qapi4j.codegen.FrontEnd;
import org.qapi4j.codegen.Generation;
import org.qapi4j.codegen.GenerationDefines;
import org.qapi4j.codegen.GenerationDefines.InvalidDefinesException;
import org.qapi4j.codegen.ast.DocStyle;
import org.qapi4j.codegen.diag.SchemaException;
import org.qapi4j.codegen.emit.GeneratorOptions;
import org.qapi4j.codegen.model.SchemaDumper;
import org.qapi4j.codegen.output.OutputWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code qapi-gen}: checks a QAPI schema and generates Java from it.
 *
 * <p>The options follow QEMU's {@code qapi-gen.py} where they apply, so that a build that runs
 * one can run the other. A schema error (an unreadable schema file included) is printed exactly
 * as QEMU prints it and exits 1; every other error is one line {@code qapi-gen: ...} on standard
 * error: a bad invocation exits 2, as Python's argparse does, and output that cannot be written
 * exits 1.
 *
 * <p>Output goes below {@code -o DIR} (default: the working directory, as {@code qapi-gen.py}),
 * sources and resources alike, through {@link OutputWriter}: unchanged files are not rewritten,
 * and files an earlier run generated there and this one does not are deleted. A run that
 * generated prints one line on standard output: how many files, how many of them written,
 * unchanged and deleted, and where.
 */
@Command(
        name = "qapi-gen",
        mixinStandardHelpOptions = true,
        version = "qapi-gen (qapi4j) 0.1.0",
        description = "Check a QAPI schema and generate Java from it.",
        sortOptions = false)
public final class QapiGen implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SCHEMA", description = "The schema's main file.")
    private String schema;

    @Option(names = {"-o", "--output-dir"}, paramLabel = "DIR",
            description = "Write output to DIR (default: the current directory).")
    private Path outputDir;

    @Option(names = "--package", paramLabel = "PKG", defaultValue = GeneratorOptions.DEFAULT_PACKAGE,
            description = "Java package of the generated code (default: ${DEFAULT-VALUE}).")
    private String packageName;

    @Option(names = {"-D", "--define"}, paramLabel = "SYMBOL",
            description = "Define SYMBOL for the schema's 'if' conditions; repeatable. "
                    + "Without any symbol, defines file or preset, every condition holds and everything "
                    + "is generated.")
    private List<String> defines = new ArrayList<>();

    @Option(names = "--defines-file", paramLabel = "FILE",
            description = "Define the symbols FILE lists, one a line ('#' starts a comment line); repeatable.")
    private List<String> definesFiles = new ArrayList<>();

    @Option(names = "--defines-preset", paramLabel = "NAME",
            description = "Define the symbols of a preset shipped with qapi-gen; repeatable. "
                    + "qemu-7.2-x86_64: Debian 12's qemu-system-x86_64 (QEMU 7.2).")
    private List<String> definesPresets = new ArrayList<>();

    @Option(names = {"-p", "--prefix"}, paramLabel = "PREFIX", defaultValue = "",
            description = "Prefix for generated names (as qapi-gen.py).")
    private String prefix;

    @Option(names = {"-b", "--builtins"}, description = "Also generate code for built-in types.")
    private boolean builtins;

    @Option(names = {"-u", "--unmask-non-abi-names"}, description = "Expose non-ABI names in introspection.")
    private boolean unmask;

    @Option(names = "--dump",
            description = "Print the checked schema model in the format of QEMU's schema tests, generate nothing.")
    private boolean dump;

    @Option(names = "--doc-style", paramLabel = "STYLE", defaultValue = "strict",
            converter = DocStyleConverter.class,
            description = "strict (QEMU's current documentation rules, the default) or relaxed "
                    + "(read doc comments, enforce none of their rules; what QEMU 7.2's schema needs).")
    private DocStyle docStyle;

    private final Path workingDirectory;
    private final PrintWriter out;
    private final PrintWriter err;

    private QapiGen(Path workingDirectory, PrintWriter out, PrintWriter err) {
        this.workingDirectory = workingDirectory;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(Path.of(""), out, err, args));
    }

    /**
     * Runs the tool as the command line does, in-process.
     *
     * @param workingDirectory what relative paths are relative to
     * @return the exit status: 0 success, 1 schema or I/O error, 2 bad invocation
     */
    public static int run(Path workingDirectory, PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(new QapiGen(workingDirectory, out, err));
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setParameterExceptionHandler((e, arguments) -> {
            err.println("qapi-gen: " + e.getMessage() + " (see qapi-gen --help)");
            return 2;
        });
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            err.println("qapi-gen: " + e);
            return 1;
        });
        int status = commandLine.execute(args);
        out.flush();
        err.flush();
        return status;
    }

    @Override
    public Integer call() {
        String invalid = invalidOptions();
        if (invalid != null) {
            err.println("qapi-gen: " + invalid + " (see qapi-gen --help)");
            return 2;
        }
        GeneratorOptions options;
        try {
            options = generatorOptions();
        } catch (InvalidDefinesException e) {
            err.println("qapi-gen: " + e.getMessage());
            return 2;
        }
        String funny = invalidPrefixCharacter(prefix);
        if (funny != null) {
            err.println("qapi-gen: funny character '" + funny + "' in argument of --prefix");
            return 1;
        }
        Path target = workingDirectory.resolve(outputDir != null ? outputDir : Path.of(""));
        try {
            if (dump) {
                out.print(SchemaDumper.dump(FrontEnd.load(workingDirectory, schema, docStyle)));
            } else {
                Generation.Result result = Generation.run(new Generation.Request(workingDirectory, schema, docStyle,
                        options, OutputWriter.singleRoot(target)));
                String where = outputDir != null ? outputDir.toString() : ".";
                out.println("qapi-gen: " + schema + ": " + result.summary() + " in " + where);
            }
        } catch (SchemaException e) {
            err.println(e.diagnostic().render());
            return 1;
        } catch (IOException e) {
            err.println("qapi-gen: can't write output to '" + target + "': " + e);
            return 1;
        }
        return 0;
    }

    /** The options of a generation run; the defines are -D's, the files' and the presets' together. */
    private GeneratorOptions generatorOptions() throws InvalidDefinesException {
        Set<String> symbols = new TreeSet<>(defines);
        for (String preset : definesPresets) {
            symbols.addAll(GenerationDefines.preset(preset));
        }
        for (String file : definesFiles) {
            symbols.addAll(GenerationDefines.file(workingDirectory.resolve(file), file));
        }
        boolean given = !defines.isEmpty() || !definesPresets.isEmpty() || !definesFiles.isEmpty();
        return new GeneratorOptions(packageName, GenerationDefines.conditions(given, symbols), unmask);
    }

    /** Option values picocli cannot check by type; a message for the first bad one, or null. */
    private String invalidOptions() {
        if (!SourceVersion.isName(packageName)) {
            return "invalid package name '" + packageName + "'";
        }
        for (String symbol : defines) {
            if (!GenerationDefines.isSymbol(symbol)) {
                return "invalid condition symbol '" + symbol + "'";
            }
        }
        return null;
    }

    /** The first character QEMU refuses in a prefix, or null. */
    private static String invalidPrefixCharacter(String prefix) {
        for (int i = 0; i < prefix.length(); i++) {
            char ch = prefix.charAt(i);
            boolean letter = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || ch == '_' || ch == '.' || ch == '-';
            boolean digit = ch >= '0' && ch <= '9';
            if (!letter && !(digit && i > 0)) {
                return String.valueOf(ch);
            }
        }
        return null;
    }

    /** Accepts {@code strict} and {@code relaxed}, case-insensitively. */
    static final class DocStyleConverter implements CommandLine.ITypeConverter<DocStyle> {
        @Override
        public DocStyle convert(String value) {
            for (DocStyle style : DocStyle.values()) {
                if (style.name().equalsIgnoreCase(value)) {
                    return style;
                }
            }
            throw new CommandLine.TypeConversionException(
                    "invalid doc style '" + value + "': expected strict or relaxed");
        }
    }
}

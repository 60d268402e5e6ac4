package org.qapi4j.tests;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.qapi4j.codegen.FrontEnd;
import org.qapi4j.codegen.ast.DocStyle;
import org.qapi4j.codegen.model.Conditions;
import org.qapi4j.codegen.emit.GeneratedFile;
import org.qapi4j.codegen.emit.GeneratedNames;
import org.qapi4j.codegen.emit.GeneratorOptions;
import org.qapi4j.codegen.emit.JavaGenerator;
import org.qapi4j.codegen.model.Schema;

/**
 * A schema turned into loaded classes: generated into a temporary directory, compiled in this
 * JVM with the system compiler (every warning is a failure, as {@code -Xlint:all} in a user's
 * build would show it), resources copied next to the classes, all loaded in a fresh
 * {@link URLClassLoader} whose parent is the test's loader (so the runtime's classes are
 * shared with the test code).
 *
 * <p>Compiling is the slow part (seconds for QEMU's schema), so each schema is compiled once
 * per JVM and shared by all test classes.
 */
public final class GeneratedCode {
    private static final Map<String, GeneratedCode> CACHE = new ConcurrentHashMap<>();

    private final Schema schema;
    private final GeneratorOptions options;
    private final GeneratedNames names;
    private final URLClassLoader loader;
    private final int sourceCount;

    private GeneratedCode(Schema schema, GeneratorOptions options, URLClassLoader loader, int sourceCount) {
        this.schema = schema;
        this.options = options;
        this.names = new GeneratedNames(schema, options);
        this.loader = loader;
        this.sourceCount = sourceCount;
    }

    /** The schema {@code fileName} below {@code baseDir}, generated into {@code packageName} and compiled. */
    public static GeneratedCode of(Path baseDir, String fileName, DocStyle style, String packageName) {
        String key = baseDir.toAbsolutePath() + "|" + fileName + "|" + style + "|" + packageName;
        return CACHE.computeIfAbsent(key, k -> {
            Schema schema = FrontEnd.load(baseDir, fileName, style);
            return compile(schema, new GeneratorOptions(packageName, Conditions.all(), false));
        });
    }

    /** Generates and compiles {@code schema}; fails with every diagnostic javac gave. */
    public static GeneratedCode compile(Schema schema, GeneratorOptions options) {
        List<GeneratedFile> files = JavaGenerator.generate(schema, options);
        try {
            Path root = Files.createTempDirectory("qapi4j-roundtrip-");
            Path sources = Files.createDirectories(root.resolve("src"));
            Path classes = Files.createDirectories(root.resolve("classes"));
            List<Path> javaFiles = new ArrayList<>();
            for (GeneratedFile file : files) {
                Path target = (file.kind() == GeneratedFile.Kind.SOURCE ? sources : classes).resolve(file.relativePath());
                Files.createDirectories(target.getParent());
                Files.writeString(target, file.content(), StandardCharsets.UTF_8);
                if (file.kind() == GeneratedFile.Kind.SOURCE) {
                    javaFiles.add(target);
                }
            }
            List<String> problems = javac(javaFiles, classes);
            if (!problems.isEmpty()) {
                throw new AssertionError("generated code of " + schema.rootFileName() + " (in " + sources
                        + ") does not compile cleanly: " + problems.size() + " diagnostics\n"
                        + problems.stream().limit(50).collect(Collectors.joining("\n")));
            }
            URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                    GeneratedCode.class.getClassLoader());
            return new GeneratedCode(schema, options, loader, javaFiles.size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Compiles {@code javaFiles} into {@code classes}: the errors and warnings, empty when none. */
    private static List<String> javac(List<Path> javaFiles, Path classes) throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new AssertionError("no system Java compiler: the tests need a JDK, not a JRE");
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fileManager = compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options = List.of(
                    "-Xlint:all", "-proc:none", "-encoding", "UTF-8",
                    "-classpath", classPath(),
                    "-d", classes.toString());
            Boolean ok = compiler.getTask(null, fileManager, diagnostics, options, null,
                    fileManager.getJavaFileObjectsFromPaths(javaFiles)).call();
            List<String> problems = new ArrayList<>();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() != Diagnostic.Kind.NOTE && d.getKind() != Diagnostic.Kind.OTHER) {
                    problems.add(d.getKind() + " " + (d.getSource() != null ? d.getSource().getName() : "")
                            + ":" + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT));
                }
            }
            if (!ok && problems.isEmpty()) {
                problems.add("javac failed without a diagnostic");
            }
            return problems;
        }
    }

    /** The test JVM's class path, without entries that do not exist ({@code -Xlint:path} warns of them). */
    private static String classPath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.isEmpty() && new File(entry).exists())
                .collect(Collectors.joining(File.pathSeparator));
    }

    public Schema schema() {
        return schema;
    }

    public GeneratorOptions options() {
        return options;
    }

    public GeneratedNames names() {
        return names;
    }

    public ClassLoader loader() {
        return loader;
    }

    public int sourceCount() {
        return sourceCount;
    }

    /** The generated class with binary name {@code binaryName}. */
    public Class<?> load(String binaryName) {
        try {
            return Class.forName(binaryName, true, loader);
        } catch (ClassNotFoundException e) {
            throw new AssertionError("generated class " + binaryName + " missing", e);
        }
    }
}

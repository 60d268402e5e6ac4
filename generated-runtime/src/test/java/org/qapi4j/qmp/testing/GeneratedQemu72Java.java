package org.qapi4j.qmp.testing;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Assumptions;
import org.qapi4j.codegen.FrontEnd;
import org.qapi4j.codegen.ast.DocStyle;
import org.qapi4j.codegen.emit.GeneratedFile;
import org.qapi4j.codegen.emit.GeneratorOptions;
import org.qapi4j.codegen.emit.JavaGenerator;
import org.qapi4j.codegen.model.Conditions;
import org.qapi4j.codegen.model.Schema;

/**
 * QEMU 7.2's schema as the generator turns it into Java, compiled and loaded in this JVM, for
 * the tests that compare our server side and our client with a real QEMU 7.2.
 *
 * <p>The schema is {@code shared/qemu/qapi-7.2/qapi-schema.json} (relaxed doc style); the
 * {@code 'if'} symbols are those of Debian 12's {@code qemu-system-x86_64}
 * ({@code qemu-7.2-x86_64.defines}, kept with the generator's introspection tests, which prove
 * it against the binary's {@code query-qmp-schema}).
 */
public final class GeneratedQemu72Java {
    private static final Path DEFINES = Path.of("..", "qapi-codegen", "src", "test", "resources",
            "org", "qapi4j", "codegen", "introspect", "qemu-7.2-x86_64.defines");

    private GeneratedQemu72Java() {}

    /** Why the code cannot be generated here (the reference data is absent), or null. */
    public static String missing() {
        if (schemaDir() == null) {
            return "QEMU 7.2's schema (shared/qemu/qapi-7.2, or -Dqapi4j.shared.dir) was not found";
        }
        if (!Files.isRegularFile(DEFINES)) {
            return DEFINES.toAbsolutePath().normalize() + " was not found";
        }
        return null;
    }

    /**
     * Skips the calling test when the code cannot be generated here (counted as skipped, see
     * {@link CountedSkips}), saying so once.
     */
    public static void assumePresent() {
        String missing = missing();
        if (missing != null) {
            String message = missing + "; the tests against QEMU 7.2's generated code are skipped";
            if (!TOLD.getAndSet(true)) {
                System.out.println("SKIPPED: " + message);
            }
            Assumptions.abort(message);
        }
    }

    private static final AtomicBoolean TOLD = new AtomicBoolean();

    /** The folder of QEMU 7.2's schema, or null when it is not there. */
    public static Path schemaDir() {
        String configured = System.getProperty("qapi4j.shared.dir");
        Path shared = configured != null && !configured.isBlank() ? Path.of(configured) : Path.of("..", "..", "shared");
        Path dir = shared.resolve("qemu").resolve("qapi-7.2").toAbsolutePath().normalize();
        return Files.isRegularFile(dir.resolve("qapi-schema.json")) ? dir : null;
    }

    /**
     * Generates the schema into package {@code packageName}, compiles it together with
     * {@code extraSources} (path below the source root → Java text), and loads it.
     *
     * @param parent the loader of the test, which has the runtime
     */
    public static ClassLoader compile(String packageName, Map<String, String> extraSources, ClassLoader parent)
            throws IOException {
        Schema schema = FrontEnd.load(schemaDir(), "qapi-schema.json", DocStyle.RELAXED);
        List<GeneratedFile> files = JavaGenerator.generate(schema,
                new GeneratorOptions(packageName, Conditions.defined(defines()), false));

        Path root = Files.createTempDirectory("qemu72-java");
        root.toFile().deleteOnExit();
        Path sources = root.resolve("src");
        Path classes = root.resolve("classes");
        List<File> javaFiles = new ArrayList<>();
        for (GeneratedFile file : files) {
            Path target = (file.kind() == GeneratedFile.Kind.SOURCE ? sources : classes).resolve(file.relativePath());
            write(target, file.content());
            if (file.kind() == GeneratedFile.Kind.SOURCE) {
                javaFiles.add(target.toFile());
            }
        }
        for (Map.Entry<String, String> extra : extraSources.entrySet()) {
            Path target = sources.resolve(extra.getKey());
            write(target, extra.getValue());
            javaFiles.add(target.toFile());
        }
        Files.createDirectories(classes);

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no system Java compiler: run the tests on a JDK, not a JRE");
        }
        StringWriter diagnostics = new StringWriter();
        try (StandardJavaFileManager fileManager = javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8)) {
            Iterable<? extends JavaFileObject> units = fileManager.getJavaFileObjectsFromFiles(javaFiles);
            List<String> options = List.of("--release", "17", "-proc:none", "-nowarn",
                    "-classpath", testClassPath(), "-d", classes.toString());
            Boolean ok = javac.getTask(diagnostics, fileManager, null, options, null, units).call();
            if (!Boolean.TRUE.equals(ok)) {
                throw new IllegalStateException("the generated QEMU 7.2 code (or a test source with it) does not compile:\n"
                        + diagnostics);
            }
        }
        return new URLClassLoader(new URL[] {classes.toUri().toURL()}, parent);
    }

    private static void write(Path target, String content) throws IOException {
        Files.createDirectories(target.getParent());
        Files.writeString(target, content, StandardCharsets.UTF_8);
    }

    /**
     * The test JVM's class path. Surefire may start the JVM from a manifest-only jar, whose
     * {@code java.class.path} is that jar alone; it then names the real path in
     * {@code surefire.test.class.path}.
     */
    private static String testClassPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    /** The symbols of the defines file: one a line, {@code #} comments. */
    private static Set<String> defines() throws IOException {
        Set<String> symbols = new LinkedHashSet<>();
        for (String line : Files.readAllLines(DEFINES, StandardCharsets.UTF_8)) {
            String symbol = line.strip();
            if (!symbol.isEmpty() && !symbol.startsWith("#")) {
                symbols.add(symbol);
            }
        }
        return symbols;
    }
}

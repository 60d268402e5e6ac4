package org.qapi4j.qmp.client;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.qapi4j.codegen.FrontEnd;
import org.qapi4j.codegen.ast.DocStyle;
import org.qapi4j.codegen.emit.Conditions;
import org.qapi4j.codegen.emit.GeneratedFile;
import org.qapi4j.codegen.emit.GeneratorOptions;
import org.qapi4j.codegen.emit.JavaGenerator;
import org.qapi4j.codegen.model.Schema;

/**
 * QEMU 7.2's schema generated into Java (package {@value #PACKAGE}: the typed {@code QmpClient},
 * {@code Event}, {@code SchemaInfo}...), compiled in this JVM together with the
 * {@link QemuScenario}s that use it, as the conformance tests do for the server side: schema
 * {@code shared/qemu/qapi-7.2/qapi-schema.json} in the relaxed doc style, {@code 'if'} symbols
 * of Debian 12's {@code qemu-system-x86_64}. Once per test JVM.
 */
final class GeneratedQemu72Client {
    static final String PACKAGE = "org.qapi4j.qmp.client.qemu72";
    /** Scenario sources, in the test resources beside where the generated package would be. */
    static final List<String> SCENARIOS = List.of("BasicsScenario", "MigrationScenario");

    private static final Path DEFINES = Path.of("..", "qapi-codegen", "src", "test", "resources",
            "org", "qapi4j", "codegen", "introspect", "qemu-7.2-x86_64.defines");

    private static ClassLoader loader;

    private GeneratedQemu72Client() {}

    /** Why the generated client cannot be built here, or null when it can. */
    static String missing() {
        if (schemaDir() == null) {
            return "QEMU 7.2's schema (shared/qemu/qapi-7.2, or -Dqapi4j.shared.dir) was not found";
        }
        if (!Files.isRegularFile(DEFINES)) {
            return DEFINES.toAbsolutePath().normalize() + " was not found";
        }
        return null;
    }

    static synchronized QemuScenario scenario(String name) throws ReflectiveOperationException {
        if (loader == null) {
            try {
                long start = System.nanoTime();
                loader = build();
                System.out.printf("[real QEMU] QEMU 7.2's schema generated and compiled with the scenarios in %d ms%n",
                        (System.nanoTime() - start) / 1_000_000);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return (QemuScenario) Class.forName(PACKAGE + "." + name, true, loader).getConstructor().newInstance();
    }

    static Path schemaDir() {
        String configured = System.getProperty("qapi4j.shared.dir");
        Path shared = configured != null && !configured.isBlank() ? Path.of(configured) : Path.of("..", "..", "shared");
        Path dir = shared.resolve("qemu").resolve("qapi-7.2").toAbsolutePath().normalize();
        return Files.isRegularFile(dir.resolve("qapi-schema.json")) ? dir : null;
    }

    private static ClassLoader build() throws IOException {
        Schema schema = FrontEnd.load(schemaDir(), "qapi-schema.json", DocStyle.RELAXED);
        List<GeneratedFile> files = JavaGenerator.generate(schema,
                new GeneratorOptions(PACKAGE, Conditions.defined(defines(DEFINES)), false));

        Path root = Files.createTempDirectory("qemu72-client");
        root.toFile().deleteOnExit();
        Path sources = root.resolve("src");
        Path classes = root.resolve("classes");
        List<File> javaFiles = new ArrayList<>();
        for (GeneratedFile file : files) {
            Path target = (file.kind() == GeneratedFile.Kind.SOURCE ? sources : classes).resolve(file.relativePath());
            Files.createDirectories(target.getParent());
            Files.writeString(target, file.content(), StandardCharsets.UTF_8);
            if (file.kind() == GeneratedFile.Kind.SOURCE) {
                javaFiles.add(target.toFile());
            }
        }
        Path scenarioDir = sources.resolve(PACKAGE.replace('.', '/'));
        Files.createDirectories(scenarioDir);
        for (String name : SCENARIOS) {
            String resource = "/" + PACKAGE.replace('.', '/') + "/" + name + ".java";
            try (InputStream in = GeneratedQemu72Client.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IOException("scenario source " + resource + " missing from the test resources");
                }
                Path target = scenarioDir.resolve(name + ".java");
                Files.write(target, in.readAllBytes());
                javaFiles.add(target.toFile());
            }
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
                throw new IllegalStateException("the generated QEMU 7.2 client or a scenario does not compile:\n" + diagnostics);
            }
        }
        return new URLClassLoader(new URL[] {classes.toUri().toURL()}, GeneratedQemu72Client.class.getClassLoader());
    }

    /** Surefire may name the real class path in {@code surefire.test.class.path}. */
    private static String testClassPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    private static Set<String> defines(Path file) throws IOException {
        Set<String> symbols = new LinkedHashSet<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String symbol = line.strip();
            if (!symbol.isEmpty() && !symbol.startsWith("#")) {
                symbols.add(symbol);
            }
        }
        return symbols;
    }
}

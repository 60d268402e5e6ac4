package org.qapi4j.qmp.conformance;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Assumptions;
import org.qapi4j.codegen.FrontEnd;
import org.qapi4j.codegen.ast.DocStyle;
import org.qapi4j.codegen.emit.Conditions;
import org.qapi4j.codegen.emit.GeneratedFile;
import org.qapi4j.codegen.emit.GeneratorOptions;
import org.qapi4j.codegen.emit.JavaGenerator;
import org.qapi4j.codegen.model.Schema;
import org.qapi4j.qmp.dispatch.CommandDispatcher;

/**
 * QEMU 7.2's schema as the generator turns it into Java, compiled and loaded in this JVM: the
 * server side that conformance tests compare with a real QEMU 7.2.
 *
 * <p>The schema is {@code shared/qemu/qapi-7.2/qapi-schema.json}; the {@code 'if'} symbols are
 * those of Debian 12's {@code qemu-system-x86_64} ({@code qemu-7.2-x86_64.defines}, kept with
 * the generator's introspection tests, which prove it against the binary's
 * {@code query-qmp-schema}). Generation and compilation take a few seconds and happen once per
 * test JVM. When the schema or the defines are absent, the calling test is skipped with a
 * message that says so.
 */
final class GeneratedQemu72 {
    static final String PACKAGE = "org.qapi4j.conformance.qemu72";

    private static final Path DEFINES = Path.of("..", "qapi-codegen", "src", "test", "resources",
            "org", "qapi4j", "codegen", "introspect", "qemu-7.2-x86_64.defines");

    private static GeneratedQemu72 instance;

    private final Class<?> handlersType;
    private final Method dispatcherFactory;

    private GeneratedQemu72(Class<?> handlersType) throws NoSuchMethodException {
        this.handlersType = handlersType;
        this.dispatcherFactory = handlersType.getMethod("dispatcher", handlersType);
    }

    /** The compiled schema; skips the calling test when QEMU's reference data is absent. */
    static synchronized GeneratedQemu72 get() {
        if (instance == null) {
            Path schemaDir = schemaDir();
            Path defines = DEFINES.toAbsolutePath().normalize();
            if (schemaDir == null || !Files.isRegularFile(defines)) {
                String message = "SKIPPED: QEMU 7.2 schema (shared/qemu/qapi-7.2, or -Dqapi4j.shared.dir) or "
                        + defines + " not found; QEMU 7.2 argument conformance tests did not run";
                System.out.println(message);
                Assumptions.abort(message);
            }
            try {
                instance = build(schemaDir, defines);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return instance;
    }

    static Path schemaDir() {
        String configured = System.getProperty("qapi4j.shared.dir");
        Path shared = configured != null ? Path.of(configured) : Path.of("..", "..", "shared");
        Path dir = shared.resolve("qemu").resolve("qapi-7.2").toAbsolutePath().normalize();
        return Files.isRegularFile(dir.resolve("qapi-schema.json")) ? dir : null;
    }

    private static GeneratedQemu72 build(Path schemaDir, Path definesFile)
            throws IOException, ReflectiveOperationException {
        Schema schema = FrontEnd.load(schemaDir, "qapi-schema.json", DocStyle.RELAXED);
        List<GeneratedFile> files = JavaGenerator.generate(schema,
                new GeneratorOptions(PACKAGE, Conditions.defined(defines(definesFile)), false));

        Path root = Files.createTempDirectory("qemu72-java");
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
                throw new IllegalStateException("the generated QEMU 7.2 code does not compile:\n" + diagnostics);
            }
        }
        URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                GeneratedQemu72.class.getClassLoader());
        return new GeneratedQemu72(Class.forName(PACKAGE + ".QmpCommands", true, loader));
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

    static Set<String> defines(Path file) throws IOException {
        Set<String> symbols = new LinkedHashSet<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String symbol = line.strip();
            if (!symbol.isEmpty() && !symbol.startsWith("#")) {
                symbols.add(symbol);
            }
        }
        return symbols;
    }

    /**
     * A dispatcher over handlers that should never run: every call is reported to
     * {@code onCall} (handler method name, arguments as decoded), then answered with a completed
     * stage of null. Arguments that reach a handler are arguments decoding accepted.
     */
    CommandDispatcher dispatcher(BiConsumer<String, Object[]> onCall) {
        InvocationHandler handler = (proxy, method, args) -> {
            switch (method.getName()) {
                case "toString":
                    if (method.getParameterCount() == 0) {
                        return "QEMU 7.2 handlers (test double)";
                    }
                    break;
                case "hashCode":
                    if (method.getParameterCount() == 0) {
                        return System.identityHashCode(proxy);
                    }
                    break;
                case "equals":
                    if (method.getParameterCount() == 1) {
                        return proxy == args[0];
                    }
                    break;
                default:
                    break;
            }
            // args[0] is the CommandContext; the rest are the decoded arguments.
            onCall.accept(method.getName(), args == null ? new Object[0] : Arrays.copyOfRange(args, 1, args.length));
            return CompletableFuture.completedStage(null);
        };
        Object handlers = Proxy.newProxyInstance(handlersType.getClassLoader(), new Class<?>[] {handlersType}, handler);
        try {
            return (CommandDispatcher) dispatcherFactory.invoke(null, handlers);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A dispatcher whose handlers fail the test if called: for arguments that must not decode. */
    CommandDispatcher rejectingDispatcher() {
        return dispatcher((method, args) -> {
            throw new AssertionError("handler " + method + " was called with " + Arrays.deepToString(args)
                    + ": decoding accepted arguments that QEMU rejects");
        });
    }
}

package org.qapi4j.qmp.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.qapi4j.qmp.testing.GeneratedQemu72Java;

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

    private static ClassLoader loader;

    private GeneratedQemu72Client() {}

    /** Why the generated client cannot be built here, or null when it can. */
    static String missing() {
        return GeneratedQemu72Java.missing();
    }

    static synchronized QemuScenario scenario(String name) throws ReflectiveOperationException {
        if (loader == null) {
            try {
                long start = System.nanoTime();
                loader = GeneratedQemu72Java.compile(PACKAGE, scenarioSources(), GeneratedQemu72Client.class.getClassLoader());
                System.out.printf("[real QEMU] QEMU 7.2's schema generated and compiled with the scenarios in %d ms%n",
                        (System.nanoTime() - start) / 1_000_000);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return (QemuScenario) Class.forName(PACKAGE + "." + name, true, loader).getConstructor().newInstance();
    }

    /** The scenario sources from the test resources, by their path below a source root. */
    private static Map<String, String> scenarioSources() throws IOException {
        Map<String, String> sources = new LinkedHashMap<>();
        for (String name : SCENARIOS) {
            String path = PACKAGE.replace('.', '/') + "/" + name + ".java";
            try (InputStream in = GeneratedQemu72Client.class.getResourceAsStream("/" + path)) {
                if (in == null) {
                    throw new IOException("scenario source " + path + " missing from the test resources");
                }
                sources.put(path, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return sources;
    }
}

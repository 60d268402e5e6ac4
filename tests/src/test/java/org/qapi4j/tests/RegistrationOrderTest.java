package org.qapi4j.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.qapi4j.codegen.FrontEnd;
import org.qapi4j.codegen.ast.DocStyle;
import org.qapi4j.codegen.model.Conditions;
import org.qapi4j.codegen.emit.GeneratorOptions;
import org.qapi4j.qmp.dispatch.QmpSchema;
import org.qapi4j.qmp.json.Json;
import org.qapi4j.qmp.types.QemuVersion;
import org.qapi4j.qmp.types.SchemaOrigin;
import tools.jackson.databind.JsonNode;

/**
 * {@code SchemaIntrospection.schema().commands()} lists the commands in the order QEMU registers
 * them: generated from QEMU 7.2's schema with the symbols Debian's x86_64 build defines, its
 * reverse is what a real QEMU 7.2 answers to {@code query-commands}. And its {@code origin()}
 * recognises that QEMU's {@code query-qmp-schema} answer as its own schema.
 *
 * <p>Skipped, saying so, without QEMU's reference data ({@code ../shared/qemu}); the comparison
 * with a real QEMU also when {@code qemu-system-x86_64} is not on the {@code PATH} or is not 7.2.
 */
class RegistrationOrderTest {
    private static final String BINARY = "qemu-system-x86_64";
    /** The 26 symbols of Debian 12's qemu-system-x86_64, kept with the introspection comparison. */
    private static final Path DEFINES = Path.of("..", "qapi-codegen", "src", "test", "resources",
            "org", "qapi4j", "codegen", "introspect", "qemu-7.2-x86_64.defines");

    private static QmpSchema qemu72;
    private static SchemaOrigin origin72;

    /** QEMU 7.2's schema generated for Debian's x86_64 build, compiled and loaded once. */
    private static synchronized QmpSchema qemu72() throws Exception {
        if (qemu72 == null) {
            Path dir = Schemas.shared().resolve("qemu/qapi-7.2");
            Schemas.assumePresent(dir.resolve("qapi-schema.json"));
            GeneratedCode code = GeneratedCode.compile(FrontEnd.load(dir, "qapi-schema.json", DocStyle.RELAXED),
                    new GeneratorOptions("org.qapi4j.tests.qemu72x86", Conditions.defined(defines()), false));
            Class<?> introspection = code.load("org.qapi4j.tests.qemu72x86.SchemaIntrospection");
            qemu72 = (QmpSchema) introspection.getMethod("schema").invoke(null);
            origin72 = (SchemaOrigin) introspection.getMethod("origin").invoke(null);
        }
        return qemu72;
    }

    @Test
    void reverseRegistrationOrderBeginsAsQemu72sQueryCommands() throws Exception {
        List<String> reversed = reversedCommands(qemu72());
        // What a real QEMU 7.2 answers, checked once by hand; the full comparison is below.
        assertThat(reversed).startsWith("device_add", "x-query-virtio-queue-element", "x-query-virtio-vhost-queue-status")
                .containsSubsequence("query-stats-schemas", "query-stats", "query-pci", "query-acpi-ospm-status",
                        "query-sgx-capabilities");
        assertThat(qemu72().schemaInfo()).isNotNull().hasSize(1051);
    }

    @Test
    void reverseRegistrationOrderIsWhatQemu72AnswersToQueryCommands() throws Exception {
        QmpSchema schema = qemu72();
        Path qemu = onPath(BINARY);
        if (qemu == null) {
            skip(BINARY + " is not on the PATH (install Debian 12's qemu-system-x86 to run this comparison)");
        }
        List<String> theirs = new ArrayList<>();
        answers(qemu, "query-commands").get(0).forEach(command -> theirs.add(command.get("name").asString()));
        assertThat(theirs).hasSizeGreaterThan(200).startsWith("device_add");
        assertThat(reversedCommands(schema)).containsExactlyElementsOf(theirs);
    }

    @Test
    void theOriginRecognisesQemu72sQueryQmpSchemaAsItsOwn() throws Exception {
        qemu72();
        assertThat(origin72.schemaFile()).isEqualTo("qapi-schema.json");
        assertThat(origin72.newestSince()).isEqualTo(QemuVersion.of(7, 2));
        assertThat(origin72.declaredVersion()).isNull();
        assertThat(origin72.matches(qemu72.schemaInfo())).isTrue();
        Path qemu = onPath(BINARY);
        if (qemu == null) {
            skip(BINARY + " is not on the PATH (install Debian 12's qemu-system-x86 to run this comparison)");
        }
        JsonNode theirs = answers(qemu, "query-qmp-schema").get(0);
        assertThat(SchemaOrigin.digest(theirs)).isEqualTo(origin72.schemaDigest());
        assertThat(origin72.matches(theirs)).isTrue();
        // One entry less, and the schema is another.
        ((tools.jackson.databind.node.ArrayNode) theirs).remove(0);
        assertThat(origin72.matches(theirs)).isFalse();
    }

    private static List<String> reversedCommands(QmpSchema schema) {
        List<String> names = new ArrayList<>(schema.commands().keySet());
        java.util.Collections.reverse(names);
        return names;
    }

    /**
     * Runs QEMU with no machine, its monitor on standard input and output; its answers to
     * {@code commands} (argument-less), in order.
     */
    private static List<JsonNode> answers(Path qemu, String... commands) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(qemu.toString(), "-M", "none", "-nodefaults", "-display", "none",
                "-qmp", "stdio")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            StringBuilder requests = new StringBuilder("{\"execute\":\"qmp_capabilities\"}\n");
            for (String command : commands) {
                requests.append("{\"execute\":\"").append(command).append("\"}\n");
            }
            try (OutputStream in = process.getOutputStream()) {
                in.write(requests.append("{\"execute\":\"quit\"}\n").toString().getBytes(StandardCharsets.UTF_8));
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("QEMU did not quit in 30 s");
            }
            List<JsonNode> messages = new ArrayList<>();
            for (String line : output.split("\r?\n")) {
                if (!line.isBlank()) {
                    messages.add(Json.parse(line));
                }
            }
            assertThat(messages).as(output).isNotEmpty();
            JsonNode version = messages.get(0).path("QMP").path("version").path("qemu");
            String found = version.path("major").asInt() + "." + version.path("minor").asInt();
            if (!found.equals("7.2")) {
                skip("the QEMU on the PATH is " + found + ", this test compares with QEMU 7.2's schema");
            }
            // The greeting, qmp_capabilities' answer, then one answer per command.
            List<JsonNode> answers = new ArrayList<>();
            for (JsonNode message : messages.subList(Math.min(2, messages.size()), messages.size())) {
                if (message.has("return") && answers.size() < commands.length) {
                    answers.add(message.get("return"));
                }
            }
            assertThat(answers).as("answers to %s in QEMU's output:%n%s", List.of(commands), output)
                    .hasSize(commands.length);
            return answers;
        } finally {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static Set<String> defines() throws IOException {
        Set<String> symbols = new TreeSet<>();
        for (String line : Files.readAllLines(DEFINES)) {
            String symbol = line.strip();
            if (!symbol.isEmpty() && !symbol.startsWith("#")) {
                symbols.add(symbol);
            }
        }
        assertThat(symbols).as("symbols in " + DEFINES).hasSize(26);
        return symbols;
    }

    private static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = dir.isEmpty() ? null : Path.of(dir, name);
            if (candidate != null && Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static void skip(String why) {
        String message = "SKIPPED: " + why + "; the registration order comparison with QEMU 7.2 did not run";
        System.out.println("[qapi4j-tests] " + message);
        Assumptions.abort(message);
    }
}

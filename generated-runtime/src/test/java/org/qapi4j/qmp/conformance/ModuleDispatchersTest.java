package org.qapi4j.qmp.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.qapi4j.qmp.client.QemuLab;
import org.qapi4j.qmp.dispatch.CommandDispatcher;
import org.qapi4j.qmp.dispatch.QmpSchema;
import org.qapi4j.qmp.json.Json;
import org.qapi4j.qmp.server.QmpServer;
import org.qapi4j.qmp.testing.GeneratedQemu72Java;
import org.qapi4j.qmp.testing.LineClient;
import tools.jackson.databind.JsonNode;

/**
 * A server made of two module dispatchers of QEMU 7.2's schema (run state and migration), as
 * a machine that implements only those modules would be: it answers every other command of
 * the schema with QEMU's {@code CommandNotFound}, before looking at the arguments; its
 * {@code query-commands} lists exactly what it serves, in QEMU 7.2's order, and its
 * {@code query-qmp-schema} is QEMU 7.2's answer byte for byte (both compared with a real
 * QEMU 7.2 when one is installed).
 */
class ModuleDispatchersTest {
    private static final String PACKAGE = "org.qapi4j.conformance.qemu72modules";
    private static final Set<String> BUILT_IN = Set.of("qmp_capabilities", "query-commands", "query-qmp-schema");

    private static Path dir;
    private static QmpServer server;
    private static QmpSchema schema;
    private static Set<String> served;

    @BeforeAll
    static void startServer() throws Exception {
        GeneratedQemu72Java.assumePresent();
        ClassLoader loader = GeneratedQemu72Java.compile(PACKAGE, Map.of(), ModuleDispatchersTest.class.getClassLoader());
        schema = (QmpSchema) loader.loadClass(PACKAGE + ".SchemaIntrospection").getMethod("schema").invoke(null);
        CommandDispatcher runState = moduleDispatcher(loader, "RunStateCommands");
        CommandDispatcher migration = moduleDispatcher(loader, "MigrationCommands");
        served = new LinkedHashSet<>(runState.commands().keySet());
        served.addAll(migration.commands().keySet());
        assertThat(served).contains("query-status", "migrate", "query-migrate").doesNotContain("stop", "query-name");
        dir = Files.createTempDirectory("qmp-modules");
        server = QmpServer.builder(schema).serve(runState).serve(migration).unix(dir.resolve("qmp.sock")).start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
            Files.deleteIfExists(dir);
        }
    }

    /** The dispatcher of a generated module interface, over handlers that answer nothing. */
    private static CommandDispatcher moduleDispatcher(ClassLoader loader, String interfaceName) throws Exception {
        Class<?> type = loader.loadClass(PACKAGE + "." + interfaceName);
        Object handlers = Proxy.newProxyInstance(loader, new Class<?>[] {type},
                (proxy, method, args) -> method.getDeclaringClass() == Object.class
                        ? (method.getName().equals("equals") ? proxy == args[0] : method.getName().equals("hashCode")
                                ? System.identityHashCode(proxy) : interfaceName)
                        : CompletableFuture.completedStage(null));
        return (CommandDispatcher) type.getMethod("dispatcher", type).invoke(null, handlers);
    }

    @Test
    void everyOtherCommandOfTheSchemaIsNotFoundBeforeItsArgumentsAreLookedAt() throws Exception {
        int notServed = 0;
        try (LineClient client = LineClient.negotiated(dir.resolve("qmp.sock"))) {
            for (String command : schema.commands().keySet()) {
                String reply = client.call("{\"execute\": \"" + command + "\", \"arguments\": {\"no-such-argument\": 1}, \"id\": 7}");
                String notFound = "{\"id\": 7, \"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command "
                        + command + " has not been found\"}}";
                if (served.contains(command) || BUILT_IN.contains(command)) {
                    // Served: the arguments are checked (and found wanting).
                    assertThat(reply).as(command).startsWith("{\"id\": 7, \"error\": {\"class\": \"GenericError\", \"desc\": \"Parameter '");
                } else {
                    assertThat(reply).as(command).isEqualTo(notFound);
                    notServed++;
                }
            }
            // A name outside the schema gets the same answer.
            assertThat(client.call("{\"execute\": \"no-such-command\", \"id\": 7}")).isEqualTo(
                    "{\"id\": 7, \"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command no-such-command has not been found\"}}");
        }
        assertThat(notServed).isGreaterThan(150);
    }

    @Test
    void queryCommandsListsWhatIsServedInQemusOrder() throws Exception {
        List<String> listed;
        try (LineClient client = LineClient.negotiated(dir.resolve("qmp.sock"))) {
            listed = names(Json.parse(client.call("{\"execute\": \"query-commands\"}")).get("return"));
        }
        Set<String> expected = new LinkedHashSet<>(served);
        expected.addAll(BUILT_IN);
        assertThat(listed).containsExactlyInAnyOrderElementsOf(expected);

        Path qemu = QemuLab.binary();
        Assumptions.assumeTrue(qemu != null, () -> skip(QemuLab.BINARY + " is not on the PATH; the order was not compared with QEMU's"));
        List<String> qemus = new ArrayList<>();
        for (String name : names(Json.parse(askQemu(qemu, "{\"execute\": \"query-commands\"}")).get("return"))) {
            if (expected.contains(name)) {
                qemus.add(name);
            }
        }
        assertThat(listed).isEqualTo(qemus);
    }

    @Test
    void queryQmpSchemaIsQemusAnswerByteForByte() throws Exception {
        String ours;
        try (LineClient client = LineClient.negotiated(dir.resolve("qmp.sock"))) {
            ours = client.call("{\"execute\": \"query-qmp-schema\"}");
        }
        assertThat(ours).startsWith("{\"return\": [{");
        Path qemu = QemuLab.binary();
        Assumptions.assumeTrue(qemu != null, () -> skip(QemuLab.BINARY + " is not on the PATH; query-qmp-schema was not compared with QEMU's"));
        assertThat(ours).isEqualTo(askQemu(qemu, "{\"execute\": \"query-qmp-schema\"}"));
    }

    private static String askQemu(Path qemu, String request) throws Exception {
        try (QemuLab lab = new QemuLab(qemu)) {
            Path socket = lab.start("qemu", "-M", "none", "-nodefaults", "-display", "none");
            try (LineClient client = LineClient.negotiated(socket)) {
                return client.call(request);
            }
        }
    }

    private static List<String> names(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.forEach(entry -> names.add(entry.get("name").stringValue()));
        return names;
    }

    private static String skip(String why) {
        String message = "SKIPPED: " + why;
        System.out.println(message);
        return message;
    }
}

package org.qapi4j.maven.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.qmp.dispatch.CommandContext;
import org.qapi4j.qmp.dispatch.CommandDispatcher;
import org.qapi4j.qmp.dispatch.Monitor;
import org.qapi4j.qmp.json.Json;
import org.qapi4j.qmp.types.QmpEvent;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The workflow of a schema author, as the README describes it, in a real Maven project: add a
 * command to the schema, regenerate, and the compiler names every handler that must change;
 * implement it, and the generated dispatcher serves it.
 */
class SchemaExtensionWorkflowIT {
    private static final String SCHEMA_V1 = """
            { 'struct': 'Pong', 'data': { 'count': 'int' } }
            { 'command': 'ping', 'returns': 'Pong' }
            """;
    private static final String ADDED_COMMAND = """
            { 'struct': 'Echo', 'data': { 'text': 'str' } }
            { 'command': 'echo', 'data': { 'text': 'str', '*times': 'uint8' }, 'returns': 'Echo' }
            """;
    private static final String HANDLERS_V1 = """
            package org.example.vmm;

            import java.util.concurrent.CompletionStage;
            import org.example.qmp.Pong;
            import org.example.qmp.QmpCommands;
            import org.qapi4j.qmp.dispatch.CommandContext;
            import org.qapi4j.qmp.dispatch.Replies;

            public class Handlers implements QmpCommands {
                private long pings;

                @Override
                public CompletionStage<Pong> ping(CommandContext context) {
                    return Replies.done(new Pong(++pings));
                }
            %s}
            """;
    private static final String ECHO_HANDLER = """

                @Override
                public CompletionStage<org.example.qmp.Echo> echo(CommandContext context,
                        org.example.qmp.EchoArguments arguments) {
                    int times = arguments.times() != null ? arguments.times() : 1;
                    return Replies.done(new org.example.qmp.Echo(arguments.text().repeat(times)));
                }
            """;

    @Test
    void addedCommandIsACompileErrorUntilImplementedThenServed() throws Exception {
        ScratchProject project = ScratchProject.create("extension")
                .writeFile("src/main/qapi/schema.json", SCHEMA_V1)
                .writeFile("src/main/java/org/example/vmm/Handlers.java", HANDLERS_V1.formatted(""))
                .writePom("<schema>src/main/qapi/schema.json</schema>\n<packageName>org.example.qmp</packageName>",
                        "-Xlint:all", "-Werror");
        ScratchProject.Result v1 = project.mvn("compile");
        assertThat(v1.exitCode()).as(v1.output()).isZero();

        // Add a command: the handler no longer compiles, and the compiler says what is missing.
        project.writeFile("src/main/qapi/schema.json", SCHEMA_V1 + ADDED_COMMAND);
        ScratchProject.Result added = project.mvn("compile");
        assertThat(added.exitCode()).isNotZero();
        assertThat(added.output())
                .contains("Handlers.java")
                .contains("org.example.vmm.Handlers is not abstract and does not override abstract method echo(")
                .contains("org.example.qmp.EchoArguments) in org.example.qmp.SchemaCommands");

        // Implement it: it compiles, and the dispatcher serves the new command.
        project.writeFile("src/main/java/org/example/vmm/Handlers.java", HANDLERS_V1.formatted(ECHO_HANDLER));
        ScratchProject.Result implemented = project.mvn("compile");
        assertThat(implemented.exitCode()).as(implemented.output()).isZero();

        try (URLClassLoader classes = new URLClassLoader(
                new URL[] {project.path("target/classes").toUri().toURL()}, getClass().getClassLoader())) {
            Object handlers = classes.loadClass("org.example.vmm.Handlers").getConstructor().newInstance();
            CommandDispatcher dispatcher = (CommandDispatcher) classes.loadClass("org.example.qmp.QmpCommands")
                    .getMethod("dispatcher", classes.loadClass("org.example.qmp.QmpCommands"))
                    .invoke(null, handlers);

            assertThat(dispatcher.commands()).containsOnlyKeys("ping", "echo");
            assertThat(answer(dispatcher, "echo", "{\"text\": \"la\", \"times\": 3}")).isEqualTo("{\"text\":\"lalala\"}");
            assertThat(answer(dispatcher, "ping", "{}")).isEqualTo("{\"count\":1}");
            assertThatThrownBy(() -> answer(dispatcher, "echo", "{\"times\": 3}"))
                    .isInstanceOfSatisfying(QmpException.class, e ->
                            assertThat(e.error().description()).isEqualTo("Parameter 'text' is missing"));
            assertThatThrownBy(() -> answer(dispatcher, "echo", "{\"text\": \"x\", \"times\": 300}"))
                    .isInstanceOfSatisfying(QmpException.class, e ->
                            assertThat(e.error().description()).isEqualTo("Parameter 'times' expects uint8_t"));
        }
    }

    /** Hands the dispatcher a JSON request's arguments; returns the JSON of its answer. */
    private static String answer(CommandDispatcher dispatcher, String command, String arguments) throws Exception {
        JsonNode result = dispatcher.dispatch(command, (ObjectNode) Json.parse(arguments), new TestContext())
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        return Json.write(result);
    }

    /** A command context with no server behind it: this test only dispatches. */
    private static final class TestContext implements CommandContext {
        @Override
        public Monitor monitor() {
            return new Monitor() {
                @Override
                public String id() {
                    return "test";
                }

                @Override
                public boolean oobEnabled() {
                    return false;
                }
            };
        }

        @Override
        public boolean outOfBand() {
            return false;
        }

        @Override
        public void emit(QmpEvent event) {
            throw new AssertionError("no events expected");
        }
    }
}

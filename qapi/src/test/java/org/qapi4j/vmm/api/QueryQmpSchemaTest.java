package org.qapi4j.vmm.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.qapi4j.qmp.codec.QapiReader;
import org.qapi4j.qmp.dispatch.CommandContext;
import org.qapi4j.qmp.json.Json;
import org.qapi4j.qmp.monitor.InProcessMonitor;
import org.qapi4j.qmp.monitor.MonitorHub;
import tools.jackson.databind.JsonNode;

/**
 * A server built on our schema ({@code MonitorHub.builder(SchemaIntrospection.schema())}, as the
 * VMM builds its own) answers {@code query-qmp-schema} by itself, now that qapi/introspect.json
 * declares the command: the generated SchemaIntrospection, with type names masked as QEMU masks
 * them, and readable with the generated SchemaInfo types.
 */
class QueryQmpSchemaTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** The names QEMU's introspection keeps for built-in types (every integer type is "int"). */
    private static final Set<String> BUILTINS = Set.of("str", "int", "number", "bool", "null", "any");
    private static final Pattern MASKED = Pattern.compile("[0-9]+");
    private static final Pattern ARRAY = Pattern.compile("\\[(.+)\\]");

    private MonitorHub hub;
    private InProcessMonitor qmp;

    @BeforeEach
    void connect() throws Exception {
        // A handler the machine wrote for query-qmp-schema is never called: the runtime answers.
        IntrospectCommands neverCalled = new IntrospectCommands() {
            @Override
            public CompletionStage<List<SchemaInfo>> queryQmpSchema(CommandContext context) {
                throw new AssertionError("the hub answers query-qmp-schema itself");
            }
        };
        hub = MonitorHub.builder(SchemaIntrospection.schema())
                .serve(IntrospectCommands.dispatcher(neverCalled))
                .build();
        qmp = InProcessMonitor.connect(hub);
        assertTrue(next().has("QMP"), "greeting");
        qmp.send("{\"execute\": \"qmp_capabilities\"}");
        assertEquals(Json.parse("{\"return\": {}}"), next());
    }

    @AfterEach
    void close() {
        if (qmp != null) {
            qmp.close();
        }
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void answersWithTheGeneratedSchemaInfo() throws Exception {
        JsonNode answer = call("query-qmp-schema");
        assertTrue(answer.isArray(), "a list");
        assertEquals(SchemaIntrospection.schemaInfo(), answer);

        List<SchemaInfo> entries = decode(answer);
        Map<String, SchemaInfo.Command> commands = new LinkedHashMap<>();
        for (SchemaInfo entry : entries) {
            if (entry instanceof SchemaInfo.Command command) {
                commands.put(command.name(), command);
            }
        }
        assertTrue(commands.containsKey("query-status"), "query-status listed: " + commands.keySet());
        assertTrue(commands.containsKey("query-qmp-schema"), "query-qmp-schema lists itself: " + commands.keySet());
        assertEquals(SchemaIntrospection.schema().commands().keySet(), commands.keySet(),
                "every command of the schema, and no other");
    }

    @Test
    void typeNamesAreMaskedAsQemuMasksThem() throws Exception {
        List<SchemaInfo> entries = decode(call("query-qmp-schema"));
        Map<String, SchemaInfo> byName = new LinkedHashMap<>();
        for (SchemaInfo entry : entries) {
            assertNull(byName.put(entry.name(), entry), "names are unique: " + entry.name());
        }
        Set<String> schemaTypeNames = new HashSet<>(List.of("SchemaInfo", "SchemaMetaType", "RunState",
                "StatusInfo", "MigrationInfo", "q_empty", "SchemaInfoList"));
        for (SchemaInfo entry : entries) {
            String name = entry.name();
            assertFalse(schemaTypeNames.contains(name), "a schema type name shows: " + name);
            if (entry instanceof SchemaInfo.Command || entry instanceof SchemaInfo.Event) {
                // Commands and events keep their wire names.
                assertFalse(MASKED.matcher(name).matches(), name);
            } else if (entry instanceof SchemaInfo.Builtin) {
                // Built-in types keep theirs.
                assertTrue(BUILTINS.contains(name), name);
            } else if (entry instanceof SchemaInfo.Array array) {
                // An array is named after its element: "[str]", "[12]".
                Matcher element = ARRAY.matcher(name);
                assertTrue(element.matches(), name);
                assertEquals(array.elementType(), element.group(1), name);
                assertTrue(byName.containsKey(array.elementType()), name);
            } else {
                // Every other type is a number.
                assertTrue(MASKED.matcher(name).matches(), entry.metaType().wireName() + " " + name);
            }
        }

        // query-qmp-schema returns a list of the (masked) SchemaInfo union, as in QEMU 7.2.
        SchemaInfo.Command self = (SchemaInfo.Command) byName.get("query-qmp-schema");
        assertNull(self.allowOob());
        Matcher list = ARRAY.matcher(self.retType());
        assertTrue(list.matches(), self.retType());
        assertTrue(MASKED.matcher(list.group(1)).matches(), self.retType());
        SchemaInfo.Object schemaInfo = assertInstanceOf(SchemaInfo.Object.class, byName.get(list.group(1)));
        assertEquals("meta-type", schemaInfo.tag());
        assertEquals(List.of("name", "meta-type", "features"),
                schemaInfo.members().stream().map(SchemaInfoObjectMember::name).toList());
        assertEquals(List.of("builtin", "enum", "array", "object", "alternate", "command", "event"),
                schemaInfo.variants().stream().map(SchemaInfoObjectVariant::case_).toList());
        SchemaInfo.Object noArguments = assertInstanceOf(SchemaInfo.Object.class, byName.get(self.argType()));
        assertTrue(noArguments.members().isEmpty(), "query-qmp-schema takes no arguments");

        // The enum SchemaMetaType, as the tag's type: its values, each as a member.
        SchemaInfoObjectMember tag = schemaInfo.members().get(1);
        SchemaInfo.Enum metaType = assertInstanceOf(SchemaInfo.Enum.class, byName.get(tag.type()));
        assertEquals(List.of("builtin", "enum", "array", "object", "alternate", "command", "event"),
                metaType.members().stream().map(SchemaInfoEnumMember::name).toList());
    }

    @Test
    void queryCommandsListsIt() throws Exception {
        JsonNode answer = call("query-commands");
        Set<String> listed = new HashSet<>();
        answer.forEach(command -> listed.add(command.get("name").asString()));
        assertTrue(listed.contains("query-qmp-schema"), "listed: " + listed);
    }

    // --- helpers

    private JsonNode call(String command) throws Exception {
        qmp.send("{\"execute\": \"" + command + "\", \"id\": \"" + command + "\"}");
        JsonNode reply = next();
        assertEquals(command, reply.path("id").asString(), "answer to " + command + ": " + reply);
        JsonNode result = reply.get("return");
        assertNotNull(result, "answer to " + command + ": " + reply);
        return result;
    }

    private JsonNode next() throws Exception {
        String line = qmp.nextLine(WAIT);
        assertNotNull(line, "no line within " + WAIT);
        return Json.parse(line);
    }

    /** Read as a client generated from our schema reads it, strictly: nothing unknown, nothing missing. */
    private static List<SchemaInfo> decode(JsonNode answer) {
        List<SchemaInfo> entries = QapiReader.read(answer, true, (in, name) -> in.readList(name, SchemaInfo::decode));
        assertNotNull(entries);
        for (SchemaInfo entry : entries) {
            assertFalse(entry instanceof SchemaInfo.Unknown, "unknown meta-type: " + entry);
        }
        return entries;
    }
}

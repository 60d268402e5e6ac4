package org.qapi4j.vmm.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.qapi4j.codegen.FrontEnd;
import org.qapi4j.codegen.ast.DocStyle;
import org.qapi4j.codegen.model.EnumType;
import org.qapi4j.codegen.model.Schema;
import org.qapi4j.codegen.model.SchemaDumper;
import org.qapi4j.qmp.ErrorClass;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.qmp.dispatch.CommandContext;
import org.qapi4j.qmp.dispatch.CommandDispatcher;
import org.qapi4j.qmp.dispatch.Monitor;
import org.qapi4j.qmp.dispatch.Replies;
import org.qapi4j.qmp.types.QmpEvent;
import tools.jackson.databind.JsonNode;

/**
 * The generated VMM API keeps QEMU 7.2's wire shapes, and each schema module has a handler
 * interface of its own.
 */
class VmmApiTest {
    /** QEMU 7.2's RunState, in its order (qapi/run-state.json of v7.2.0). */
    private static final List<String> QEMU_72_RUN_STATES = List.of(
            "debug", "inmigrate", "internal-error", "io-error", "paused",
            "postmigrate", "prelaunch", "finish-migrate", "restore-vm",
            "running", "save-vm", "shutdown", "suspended", "watchdog",
            "guest-panicked", "colo");

    /**
     * What qapi/introspect.json defines, as QEMU's dump names it (implicit base and array types
     * included): each must be compared with QEMU 7.2's, without a deviation.
     */
    private static final List<String> INTROSPECTION = List.of(
            "array SchemaInfoList", "command query-qmp-schema", "enum SchemaMetaType",
            "object q_obj_SchemaInfo-base", "object SchemaInfo", "object SchemaInfoBuiltin",
            "enum JSONType", "array SchemaInfoEnumMemberList", "object SchemaInfoEnum",
            "object SchemaInfoEnumMember", "object SchemaInfoArray",
            "array SchemaInfoObjectMemberList", "array SchemaInfoObjectVariantList",
            "object SchemaInfoObject", "object SchemaInfoObjectMember", "object SchemaInfoObjectVariant",
            "array SchemaInfoAlternateMemberList", "object SchemaInfoAlternate",
            "object SchemaInfoAlternateMember", "object SchemaInfoCommand", "object SchemaInfoEvent");

    @Test
    void runStateHasQemu72sValuesInOrder() {
        assertEquals(QEMU_72_RUN_STATES, wireNames(RunState.Known.values()));
        assertEquals(RunState.COLO, RunState.fromWire("colo"));
    }

    @Test
    void runStateIsTheEnumOfQemu72sSchema() {
        Schema qemu = qemu72Schema();
        EnumType runState = (EnumType) qemu.lookupType("RunState");
        assertEquals(runState.memberNames(), wireNames(RunState.Known.values()));
    }

    /**
     * Every definition our schema shares with QEMU 7.2's (by kind and name, implicit argument
     * types and arrays included) has 7.2's exact shape in QEMU's own dump of the model: members,
     * their types and optional-ness, enum values and their order, features, command flags.
     * The deviations are the ones qapi/migration.json documents, and no others.
     */
    @Test
    void sharedDefinitionsHaveQemu72sShape() {
        Map<String, List<String>> qemu = shapes(qemu72Schema());
        Map<String, List<String>> ours = shapes(FrontEnd.load(moduleDir(), "qapi-schema.json", DocStyle.STRICT));

        Map<String, List<String>> expected = new LinkedHashMap<>();
        // Left out: what our VMM has nothing to report in. Added: qapi4j's own COLO statistics.
        expected.put("object MigrationInfo", without(qemu.get("object MigrationInfo"),
                "    member disk: MigrationStats optional=True",
                "    member vfio: VfioStats optional=True",
                "    member xbzrle-cache: XBZRLECacheStats optional=True",
                "    member compression: CompressionStats optional=True",
                "    member socket-address: SocketAddressList optional=True"));
        expected.get("object MigrationInfo").add("    member colo: COLOCheckpointStats optional=True");
        // zstd without QEMU's condition: we use no 'if'.
        expected.put("enum MultiFDCompression", without(qemu.get("enum MultiFDCompression"),
                "        if CONFIG_ZSTD"));

        List<String> ourOwn = new ArrayList<>();
        List<String> compared = new ArrayList<>();
        for (Map.Entry<String, List<String>> entry : ours.entrySet()) {
            String key = entry.getKey();
            if (!qemu.containsKey(key)) {
                ourOwn.add(key);
                continue;
            }
            assertEquals(expected.getOrDefault(key, qemu.get(key)), entry.getValue(), key);
            compared.add(key);
        }
        assertEquals(List.of("object COLOCheckpointStats"), ourOwn,
                "definitions QEMU 7.2 does not have (only qapi4j's documented extension may be)");
        // Introspection is QEMU's exactly: every definition compared, none with a deviation.
        assertTrue(compared.containsAll(INTROSPECTION), "introspection definitions compared: " + compared);
        for (String key : INTROSPECTION) {
            assertFalse(expected.containsKey(key), key + " deviates from QEMU 7.2");
        }
    }

    @Test
    void eachModuleHasItsOwnHandlerInterface() {
        assertEquals(List.of("query-migrate", "migrate-set-capabilities", "query-migrate-capabilities",
                        "migrate-set-parameters", "query-migrate-parameters", "migrate-start-postcopy",
                        "migrate_cancel", "migrate", "migrate-incoming"),
                served(MigrationCommands.dispatcher(unused(MigrationCommands.class))));
        assertEquals(List.of("query-colo-status", "x-colo-lost-heartbeat"),
                served(ColoCommands.dispatcher(unused(ColoCommands.class))));
        assertEquals(List.of("query-status", "stop", "cont", "system_reset", "system_powerdown"),
                served(RunStateCommands.dispatcher(unused(RunStateCommands.class))));
        assertEquals(List.of("query-name", "query-uuid", "pmemsave"),
                served(MachineCommands.dispatcher(unused(MachineCommands.class))));
        assertEquals(List.of("qmp_capabilities", "query-version", "query-commands", "quit"),
                served(ControlCommands.dispatcher(unused(ControlCommands.class))));
        assertEquals(List.of("query-qmp-schema"),
                served(IntrospectCommands.dispatcher(unused(IntrospectCommands.class))));

        // Migration and COLO are implemented apart: neither interface is part of the other.
        assertFalse(MigrationCommands.class.isAssignableFrom(ColoCommands.class));
        assertFalse(ColoCommands.class.isAssignableFrom(MigrationCommands.class));
        assertEquals(Set.of(ControlCommands.class, IntrospectCommands.class, RunStateCommands.class,
                        MachineCommands.class, MigrationCommands.class, ColoCommands.class),
                Set.of(QmpCommands.class.getInterfaces()));
    }

    @Test
    void coloDispatcherServesColoAndNothingElse() throws Exception {
        ColoCommands colo = new ColoCommands() {
            @Override
            public CompletionStage<COLOStatus> queryColoStatus(CommandContext context) {
                return Replies.done(new COLOStatus(COLOMode.SECONDARY, COLOMode.NONE, COLOExitReason.NONE));
            }

            @Override
            public CompletionStage<Void> xColoLostHeartbeat(CommandContext context) {
                return Replies.done();
            }
        };
        CommandDispatcher dispatcher = ColoCommands.dispatcher(colo);

        JsonNode status = dispatcher.dispatch("query-colo-status", null, CONTEXT).toCompletableFuture().get();
        assertEquals("secondary", status.get("mode").asString());
        assertEquals("none", status.get("last-mode").asString());
        assertEquals("none", status.get("reason").asString());

        QmpException notHere = assertThrows(QmpException.class,
                () -> dispatcher.dispatch("migrate", null, CONTEXT));
        assertEquals(ErrorClass.COMMAND_NOT_FOUND, notHere.error().errorClass());
        assertTrue(dispatcher.commands().get("x-colo-lost-heartbeat") != null);
    }

    // --- helpers

    private static List<String> wireNames(RunState.Known[] values) {
        return Stream.of(values).map(RunState::wireName).toList();
    }

    private static List<String> served(CommandDispatcher dispatcher) {
        return List.copyOf(dispatcher.commands().keySet());
    }

    /** A handler that only lets the dispatcher be built: no test calls it. */
    private static <T> T unused(Class<T> handlerInterface) {
        return handlerInterface.cast(Proxy.newProxyInstance(handlerInterface.getClassLoader(),
                new Class<?>[] {handlerInterface}, (proxy, method, args) -> {
                    throw new AssertionError("not called: " + method.getName());
                }));
    }

    private static final CommandContext CONTEXT = new CommandContext() {
        @Override
        public Monitor monitor() {
            throw new UnsupportedOperationException("no monitor in this test");
        }

        @Override
        public boolean outOfBand() {
            return false;
        }

        @Override
        public void emit(QmpEvent event) {
            throw new UnsupportedOperationException("no events in this test");
        }
    };

    private static List<String> without(List<String> lines, String... removed) {
        List<String> result = new ArrayList<>(lines);
        for (String line : removed) {
            assertTrue(result.remove(line), "QEMU 7.2 has no line '" + line + "' to leave out");
        }
        return result;
    }

    /**
     * The model as QEMU's schema test harness prints it, one entry per definition ("object
     * MigrationInfo" to its lines); documentation, modules and includes left out.
     */
    private static Map<String, List<String>> shapes(Schema schema) {
        Map<String, List<String>> shapes = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : SchemaDumper.dump(schema).split("\n")) {
            if (line.startsWith("doc ")) {
                break; // the harness prints documentation after every definition
            }
            if (line.startsWith(" ")) {
                if (current != null) {
                    current.add(line);
                }
            } else if (line.startsWith("module ") || line.startsWith("include ")) {
                current = null;
            } else {
                String[] words = line.split(" ");
                current = new ArrayList<>();
                current.add(line);
                shapes.put(words[0] + " " + words[1], current);
            }
        }
        return shapes;
    }

    private static Path moduleDir() {
        return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    }

    private static final AtomicBoolean TOLD = new AtomicBoolean();

    private static Schema qemu72Schema() {
        String configured = System.getProperty("qapi4j.shared.dir");
        Path shared = configured != null ? Path.of(configured) : moduleDir().resolve("../../shared");
        Path qapi72 = shared.resolve("qemu/qapi-7.2").toAbsolutePath().normalize();
        if (!Files.isRegularFile(qapi72.resolve("qapi-schema.json"))) {
            String message = "QEMU 7.2's schema not found at " + qapi72 + " (../shared/qemu beside the project, or "
                    + "-Dqapi4j.shared.dir): the comparisons with QEMU 7.2 are skipped";
            if (!TOLD.getAndSet(true)) {
                System.out.println("SKIPPED: " + message); // once, as the other modules say it
            }
            Assumptions.abort(message);
        }
        return FrontEnd.load(qapi72, "qapi-schema.json", DocStyle.RELAXED);
    }
}

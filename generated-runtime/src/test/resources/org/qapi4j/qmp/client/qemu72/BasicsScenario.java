package org.qapi4j.qmp.client.qemu72;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.qapi4j.qmp.ErrorClass;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.qmp.client.QemuLab;
import org.qapi4j.qmp.client.QemuScenario;
import org.qapi4j.qmp.client.QmpBlockingClient;
import org.qapi4j.qmp.client.QmpConnection;
import org.qapi4j.qmp.client.QmpEventListener;
import org.qapi4j.qmp.json.Json;
import tools.jackson.databind.node.ObjectNode;

/**
 * One QEMU 7.2 with no machine ({@code -M none -nodefaults}), through the generated typed
 * client over a {@link QmpConnection}: greeting and negotiation (oob enabled), query-status,
 * stop/cont with typed STOP/RESUME events, query-qmp-schema decoded into {@link SchemaInfo},
 * migration capabilities and parameters, QEMU's errors as typed exceptions, pipelining, quit.
 * Compiled at test time against the generated code (see GeneratedQemu72Client).
 */
public final class BasicsScenario implements QemuScenario {

    @Override
    public void run(QemuLab lab) throws Exception {
        Path socket = lab.start("basics", "-M", "none", "-nodefaults", "-display", "none");
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        List<String> rawNames = new CopyOnWriteArrayList<>();
        try (QmpConnection qmp = lab.connect(socket).enableOob(true)
                .eventListener(QmpEventListener.typed(Event::decode, events::add))
                .eventListener(e -> rawNames.add(e.name() + "@" + e.timestamp()))
                .connect().get(15, TimeUnit.SECONDS)) {
            QmpBlockingClient blocking = new QmpBlockingClient(qmp);
            QmpClient client = new QmpClient(qmp);

            // Greeting and negotiation.
            assertThat(qmp.greeting().major()).isEqualTo(7);
            assertThat(qmp.greeting().minor()).isEqualTo(2);
            assertThat(qmp.greeting().capabilities()).containsExactly("oob");
            assertThat(qmp.oobEnabled()).isTrue();
            lab.report("greeting: QEMU %s (package '%s'), capabilities %s, oob enabled",
                    qmp.greeting().version(), qmp.greeting().packageName(), qmp.greeting().capabilities());

            // query-status, stop and cont: STOP and RESUME come before the replies, so they
            // have reached the listener when the futures complete.
            StatusInfo status = blocking.await(client.queryStatus());
            assertThat(status.status()).isEqualTo(RunState.RUNNING);
            assertThat(status.running()).isTrue();
            blocking.await(client.stop());
            assertThat(events.poll()).as("STOP delivered before stop's reply").isInstanceOf(Event.Stop.class);
            assertThat(blocking.await(client.queryStatus()).status()).isEqualTo(RunState.PAUSED);
            blocking.await(client.cont());
            assertThat(events.poll()).as("RESUME delivered before cont's reply").isInstanceOf(Event.Resume.class);
            StatusInfo resumed = blocking.await(client.queryStatus());
            assertThat(resumed.status()).isEqualTo(RunState.RUNNING);
            lab.report("query-status: %s; stop -> STOP, paused; cont -> RESUME, %s", status.status().wireName(),
                    resumed.status().wireName());

            // The schema, typed: QEMU 7.2 answers 1,051 entries in about 207 KB.
            long start = System.nanoTime();
            List<SchemaInfo> schema = blocking.await(client.queryQmpSchema());
            long schemaMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(schema).hasSize(1051);
            Map<String, Integer> byKind = new TreeMap<>();
            for (SchemaInfo info : schema) {
                byKind.merge(info.getClass().getSimpleName(), 1, Integer::sum);
            }
            assertThat(byKind).doesNotContainKey("Unknown");
            assertThat(schema).filteredOn(i -> i instanceof SchemaInfo.Command c && c.name().equals("query-status"))
                    .hasSize(1);
            assertThat(schema).filteredOn(i -> i instanceof SchemaInfo.Event e && e.name().equals("STOP")).hasSize(1);
            assertThat(schema).filteredOn(i -> i instanceof SchemaInfo.Command c && Boolean.TRUE.equals(c.allowOob()))
                    .extracting(SchemaInfo::name).contains("migrate-pause", "migrate-recover");
            int bytes = Json.write(qmp.execute("query-qmp-schema", Json.object()).get(30, TimeUnit.SECONDS)).length();
            lab.report("query-qmp-schema: %d entries decoded into SchemaInfo (%s), %,d bytes as compact JSON, %d ms round trip + decode",
                    schema.size(), byKind, bytes, schemaMillis);

            // Migration capabilities and parameters.
            blocking.await(client.migrateSetCapabilities(new MigrateSetCapabilitiesArguments(
                    List.of(new MigrationCapabilityStatus(MigrationCapability.X_COLO, true)))));
            List<MigrationCapabilityStatus> capabilities = blocking.await(client.queryMigrateCapabilities());
            assertThat(capabilities).filteredOn(c -> c.capability().equals(MigrationCapability.X_COLO))
                    .extracting(MigrationCapabilityStatus::state).containsExactly(true);
            MigrationParameters parameters = blocking.await(client.queryMigrateParameters());
            assertThat(parameters.downtimeLimit()).isEqualTo(300L);
            assertThat(parameters.maxBandwidth()).isEqualTo(134217728L);
            assertThat(parameters.xCheckpointDelay()).isEqualTo(20000L);
            lab.report("migrate-set-capabilities x-colo: on (of %d capabilities); query-migrate-parameters: downtime-limit %d, "
                    + "max-bandwidth %d, x-checkpoint-delay %d", capabilities.size(), parameters.downtimeLimit(),
                    parameters.maxBandwidth(), parameters.xCheckpointDelay());

            // QEMU's errors, as typed exceptions with QEMU's class and text.
            List<String> errors = new ArrayList<>();
            expect(errors, () -> blocking.execute("no-such-command"), ErrorClass.COMMAND_NOT_FOUND,
                    "The command no-such-command has not been found");
            expect(errors, () -> blocking.await(client.migrate(MigrateArguments.builder().uri("bogus:xyz").build())),
                    ErrorClass.GENERIC_ERROR, "Parameter 'uri' expects a valid migration protocol");
            ObjectNode badCapability = (ObjectNode) Json.parse(
                    "{\"capabilities\": [{\"capability\": \"no-such-cap\", \"state\": true}]}");
            expect(errors, () -> blocking.execute("migrate-set-capabilities", badCapability), ErrorClass.GENERIC_ERROR,
                    "Parameter 'capability' does not accept value 'no-such-cap'");
            expect(errors, () -> blocking.execute("query-status", (ObjectNode) Json.parse("{\"x\": 1}")),
                    ErrorClass.GENERIC_ERROR, "Parameter 'x' is unexpected");
            expect(errors, () -> blocking.await(client.qmpCapabilities()), ErrorClass.COMMAND_NOT_FOUND,
                    "Capabilities negotiation is already complete, command ignored");
            expect(errors, () -> blocking.await(qmp.executeOob("query-status", null)), ErrorClass.GENERIC_ERROR,
                    "The command query-status does not support OOB");
            // The future fails with the same exception the blocking facade throws.
            assertThatThrownBy(() -> client.queryMigrate().thenCompose(i -> qmp.execute("no-such-command", Json.object()))
                    .get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(QmpException.class);
            errors.forEach(e -> lab.report("error: %s", e));

            // Pipelining: many commands in flight at once, replies matched by id.
            int n = 500;
            start = System.nanoTime();
            List<CompletableFuture<StatusInfo>> many = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                many.add(client.queryStatus());
            }
            CompletableFuture.allOf(many.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
            long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
            for (CompletableFuture<StatusInfo> f : many) {
                assertThat(f.join().status()).isEqualTo(RunState.RUNNING);
            }
            lab.report("%d query-status pipelined: %d ms, %.0f commands/s", n, micros / 1000, n * 1e6 / micros);

            // Nothing else arrived as an event; nothing an event was taken for a reply.
            assertThat(events).isEmpty();
            assertThat(rawNames).hasSize(2);
            lab.report("events seen: %s", rawNames);

            // quit: SHUTDOWN, the reply, then QEMU closes the connection.
            blocking.await(client.quit());
            Event shutdown = events.poll(5, TimeUnit.SECONDS);
            assertThat(shutdown).isInstanceOf(Event.Shutdown.class);
            assertThat(((Event.Shutdown) shutdown).reason()).isEqualTo(ShutdownCause.HOST_QMP_QUIT);
            qmp.closeFuture().get(10, TimeUnit.SECONDS);
            assertThat(qmp.isOpen()).isFalse();
            lab.report("quit: %s, then the connection closed (%s)", shutdown, qmp.closeCause().getMessage());
        }
    }

    private static void expect(List<String> seen, Runnable call, ErrorClass errorClass, String description) {
        try {
            call.run();
        } catch (QmpException e) {
            assertThat(e.error().errorClass()).isEqualTo(errorClass);
            assertThat(e.error().description()).isEqualTo(description);
            seen.add(errorClass + ": " + description);
            return;
        }
        throw new AssertionError("no error; expected " + errorClass + ": " + description);
    }
}

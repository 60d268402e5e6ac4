package org.qapi4j.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qapi4j.codegen.model.Command;
import org.qapi4j.codegen.model.Entity;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.qmp.client.QmpConnection;
import org.qapi4j.qmp.client.QmpGreeting;
import org.qapi4j.qmp.client.QmpTransport;
import org.qapi4j.qmp.json.Json;
import org.qapi4j.qmp.types.QapiValue;
import org.qapi4j.qmp.types.QemuVersion;
import org.qapi4j.qmp.types.SchemaOrigin;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A client generated from QEMU master's schema against a real QEMU 7.2 (Debian 12's
 * {@code qemu-system-x86_64}), a PC with a virtio disk (a raw image the test creates), a NIC,
 * a USB tablet, a balloon and a serial port: every {@code query-*} command of master's schema
 * that can be sent without arguments goes through the generated {@code QmpClient}. Each reply
 * must decode, and re-encode to the JSON value QEMU sent; an error reply (a command 7.2 does not
 * have, or cannot answer for this machine) is a reply too, and is reported. Skipped, saying why,
 * without QEMU 7.2 or QEMU's schema.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class RealQemuQueriesTest {
    /** The replies of QEMU 7.2 that a master binding could not decode before missing members were tolerated. */
    private static final Map<String, String> ONCE_FATAL = Map.of(
            "query-block", "BlockDeviceInfo.children",
            "query-cpus-fast", "CpuInfoFast.qom-type",
            "query-machines", "MachineInfo.acpi",
            "query-dirty-rate", "DirtyRateInfo.calc-time-unit");

    /** What the client sent through, with each successful reply as the server sent it. */
    private static final class Recording implements QmpTransport {
        final QmpTransport connection;
        final Map<String, JsonNode> replies = new ConcurrentHashMap<>();

        Recording(QmpTransport connection) {
            this.connection = connection;
        }

        @Override
        public CompletableFuture<JsonNode> execute(String command, ObjectNode arguments) {
            return connection.execute(command, arguments).thenApply(reply -> {
                replies.put(command, reply);
                return reply;
            });
        }

        @Override
        public CompletableFuture<Void> executeWithoutReply(String command, ObjectNode arguments) {
            return connection.executeWithoutReply(command, arguments);
        }
    }

    @Test
    void aMasterBindingDecodesEveryArgumentLessQueryOfQemu72() throws Exception {
        Path binary = RealQemu.binary();
        if (binary == null) {
            skip(RealQemu.BINARY + " is not on the PATH (install Debian 12's qemu-system-x86)");
        }
        GeneratedCode master = Schemas.qemuMaster();
        try (RealQemu qemu = new RealQemu(binary)) {
            Path disk = qemu.dir().resolve("disk.raw");
            try (RandomAccessFile image = new RandomAccessFile(disk.toFile(), "rw")) {
                image.setLength(8 << 20);
            }
            Path socket = qemu.start("-M", "pc", "-S", "-nodefaults", "-display", "none", "-m", "128",
                    "-drive", "file=" + disk + ",format=raw,if=virtio,id=disk0",
                    "-netdev", "user,id=net0", "-device", "virtio-net-pci,netdev=net0,id=nic0",
                    "-usb", "-device", "usb-tablet,id=tablet0", "-device", "virtio-balloon-pci,id=balloon0",
                    "-chardev", "null,id=serial0", "-serial", "chardev:serial0");
            try (QmpConnection qmp = QmpConnection.builder().unix(socket).connectTimeout(Duration.ofSeconds(10))
                    .commandTimeout(Duration.ofSeconds(60)).connect().get(30, TimeUnit.SECONDS)) {
                run(master, qmp);
            }
        }
    }

    private static void run(GeneratedCode master, QmpConnection qmp) throws Exception {
        QmpGreeting greeting = qmp.greeting();
        if (!greeting.qemuVersion().isAtLeast(7, 2) || greeting.qemuVersion().isAtLeast(7, 3)) {
            skip("the QEMU on the PATH is " + greeting.version() + "; this test runs master's binding against QEMU 7.2");
        }
        Recording recording = new Recording(qmp);
        Class<?> clientClass = master.load(master.names().client());
        Object client = clientClass.getConstructor(QmpTransport.class).newInstance(recording);
        SchemaOrigin origin = (SchemaOrigin) master.load(master.names().introspection()).getMethod("origin").invoke(null);

        List<String> decoded = new ArrayList<>();
        Map<String, String> errors = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        Map<String, Tolerated> kept = new LinkedHashMap<>();
        int withArguments = 0;
        for (Command command : queries(master)) {
            Method call = argumentLess(clientClass, master.names().clientMethod(command.name()));
            if (call == null) {
                withArguments++;
                continue;
            }
            Object value;
            try {
                value = ((CompletableFuture<?>) Catalog.invoke(call, client)).get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (recording.replies.containsKey(command.name())) {
                    failures.add(command.name() + ": the reply did not decode: " + e.getCause());
                } else if (e.getCause() instanceof QmpException error) {
                    errors.put(command.name(), error.error().errorClass() + ": " + error.error().description());
                } else {
                    throw e;
                }
                continue;
            }
            JsonNode reply = recording.replies.get(command.name());
            JsonNode again = json(value);
            if (again != null && !Json.parse(Json.write(again)).equals(Json.parse(Json.write(reply)))) {
                failures.add(command.name() + ": re-encoded " + Json.write(again) + "\n  QEMU sent " + Json.write(reply));
            }
            Tolerated tolerated = new Tolerated();
            tolerated.count(value);
            kept.put(command.name(), tolerated);
            decoded.add(command.name());
        }

        report("QEMU %s (package '%s') with a binding of %s (newest Since: %s); its query-qmp-schema is %s",
                greeting.qemuVersion(), greeting.packageName(), origin.schemaFile(), origin.newestSince(),
                origin.matches(recording.replies.get("query-qmp-schema")) ? "this binding's" : "another schema");
        report("%d query-* commands in master's schema: %d take arguments, %d sent without: %d replies decoded and "
                + "re-encoded to what QEMU sent, %d error replies, %d failures", decoded.size() + errors.size()
                + failures.size() + withArguments, withArguments, decoded.size() + errors.size() + failures.size(),
                decoded.size(), errors.size(), failures.size());
        // The details per command in a report file, the failures in the build's output too.
        List<String> details = new ArrayList<>();
        kept.forEach((command, tolerated) -> {
            if (!tolerated.missing.isEmpty() || tolerated.unknownMembers + tolerated.unknownEnumValues
                    + tolerated.unknownBranches > 0) {
                details.add(String.format("%s: %s%s", command, tolerated,
                        tolerated.missing.isEmpty() ? "" : ": " + String.join(", ", tolerated.missing)));
            }
        });
        errors.forEach((command, error) -> details.add(String.format("error reply to %s: %s", command, error)));
        failures.forEach(failure -> details.add("FAILED " + failure));
        report("  what each reply kept, and the error replies: %s", TestReports.write("real-qemu-queries", details));
        failures.forEach(failure -> report("  FAILED %s", failure));

        assertThat(failures).as("replies of QEMU 7.2 that master's binding did not decode or re-encode").isEmpty();
        assertThat(origin.version()).isEqualTo(origin.newestSince()).isEqualTo(QemuVersion.of(10, 2));
        assertThat(origin.matches(recording.replies.get("query-qmp-schema"))).isFalse();
        ONCE_FATAL.forEach((command, missing) -> assertThat(kept.get(command).missing).as(command).contains(missing));
        if (kept.containsKey("query-sev")) {
            assertThat(kept.get("query-sev").missing).contains("SevInfo.sev-type");
        }
        assertThat(decoded).hasSizeGreaterThan(40);
    }

    /** The {@code query-*} commands of {@code code}'s schema that generate code, in schema order. */
    private static List<Command> queries(GeneratedCode code) {
        List<Command> commands = new ArrayList<>();
        for (Entity entity : code.schema().entities()) {
            if (entity instanceof Command command && command.name().startsWith("query-") && command.gen()) {
                commands.add(command);
            }
        }
        return commands;
    }

    /** The client's method {@code name} without parameters, or null when it needs arguments. */
    private static Method argumentLess(Class<?> client, String name) {
        try {
            return client.getMethod(name);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    /** The JSON of a decoded reply: a value, a list of them, a scalar; null for a command that returns nothing. */
    private static JsonNode json(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof QapiValue typed) {
            return typed.toJson();
        }
        if (value instanceof List<?> list) {
            ArrayNode array = Json.array();
            list.forEach(element -> array.add(json(element)));
            return array;
        }
        if (value instanceof JsonNode node) {
            return node;
        }
        if (value instanceof String text) {
            return Json.string(text);
        }
        if (value instanceof Boolean bool) {
            return Json.bool(bool);
        }
        if (value instanceof Double number) {
            return Json.number(number);
        }
        return Json.integer(((Number) value).longValue());
    }

    private static void report(String format, Object... args) {
        System.out.println("[real QEMU] " + String.format(format, args));
    }

    private static void skip(String why) {
        String message = "SKIPPED: " + why + "; master's binding was not tried against QEMU 7.2";
        System.out.println("[qapi4j-tests] " + message);
        Assumptions.abort(message);
    }
}

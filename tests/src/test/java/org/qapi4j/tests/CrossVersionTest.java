package org.qapi4j.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.qapi4j.codegen.model.AlternateType;
import org.qapi4j.codegen.model.Definition;
import org.qapi4j.codegen.model.EnumType;
import org.qapi4j.codegen.model.Event;
import org.qapi4j.codegen.model.ObjectType;
import org.qapi4j.codegen.model.Schema;
import org.qapi4j.codegen.model.SchemaType;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.qmp.json.Json;
import org.qapi4j.qmp.types.QmpEvent;
import tools.jackson.databind.JsonNode;

/**
 * Every type and event that QEMU 7.2's schema and master's share by name, across the two: values
 * that one schema allows ({@link Documents} makes them from its model) decode tolerantly with the
 * other's generated code and re-encode to the same JSON, whatever the two changed in between:
 * members added and removed, enum values, union branches and alternatives added, a struct become
 * a union. What tolerance had to keep is counted ({@link Tolerated}) and printed.
 *
 * <p>One change tolerance does not bridge, because it changes a member's JSON type: master's
 * {@code MigrationParameters} allows {@code null} for {@code tls-creds}, {@code tls-hostname}
 * and {@code tls-authz} (7.2: a string). QEMU master never answers {@code null} there (it
 * stores {@code ""} instead); a 7.2 binding given one fails with the reader's type error, which
 * is what this test expects of such a value. Events a newer QEMU added reach an older binding
 * as {@code Event.Unknown}, with their data.
 */
class CrossVersionTest {
    private static final int DOCUMENTS = 20;
    /** The type error of a value a 7.2 binding cannot hold: see the class comment. */
    private static final Pattern NULL_TLS_OPTION =
            Pattern.compile("Invalid parameter type for '(tls-creds|tls-hostname|tls-authz)', expected: string");
    private static final Map<String, Tolerated> TALLIES = new TreeMap<>();
    private static long typeChanges;

    private static GeneratedCode qemu72;
    private static GeneratedCode master;

    @BeforeAll
    static void compile() {
        qemu72 = Schemas.qemu72();
        master = Schemas.qemuMaster();
    }

    @TestFactory
    Stream<DynamicTest> newerRepliesDecodeWithA72Binding() {
        return across(master, qemu72, "QEMU master's values, QEMU 7.2's binding");
    }

    @TestFactory
    Stream<DynamicTest> olderRepliesDecodeWithAMasterBinding() {
        return across(qemu72, master, "QEMU 7.2's values, QEMU master's binding");
    }

    private static Stream<DynamicTest> across(GeneratedCode server, GeneratedCode client, String label) {
        Catalog serverCatalog = new Catalog(server);
        Catalog clientCatalog = new Catalog(client);
        Map<String, Definition> clientDefinitions = shared(client.schema());
        Tolerated tally = new Tolerated();
        synchronized (TALLIES) {
            TALLIES.put(label, tally);
        }
        List<DynamicTest> tests = new ArrayList<>();
        shared(server.schema()).forEach((name, definition) -> {
            Definition counterpart = clientDefinitions.get(name);
            if (counterpart == null || (counterpart instanceof Event) != (definition instanceof Event)) {
                return;
            }
            tests.add(DynamicTest.dynamicTest(name, () -> {
                Documents documents = new Documents(new Instances(serverCatalog, name.hashCode(), false));
                for (int i = 0; i < DOCUMENTS; i++) {
                    JsonNode json;
                    try {
                        json = definition instanceof Event event ? documents.object(event.argType(), 0)
                                : documents.value((SchemaType) definition, 0);
                    } catch (Documents.Impossible e) {
                        continue;
                    }
                    String text = Json.write(json);
                    Object value;
                    try {
                        value = definition instanceof Event ? clientCatalog.decodeEvent(name, json)
                                : SchemaHistoryTest.decode(clientCatalog, name, json, false);
                    } catch (QmpException e) {
                        assertThat(name).as("%s: %s", text, e.getMessage()).isEqualTo("MigrationParameters");
                        assertThat(e.error().description()).matches(NULL_TLS_OPTION);
                        synchronized (TALLIES) {
                            typeChanges++;
                        }
                        continue;
                    }
                    JsonNode again = value instanceof QmpEvent event ? event.toJson() : RoundTrips.toJson(value);
                    assertThat(Json.parse(Json.write(again))).as("%s decoded to %s", text, value)
                            .isEqualTo(Json.parse(text));
                    Tolerated kept = new Tolerated();
                    kept.count(value);
                    synchronized (tally) {
                        tally.add(kept);
                    }
                }
            }));
        });
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> eventsOnlyANewerQemuSendsReachA72BindingAsUnknown() {
        Catalog masterCatalog = new Catalog(master);
        Catalog catalog72 = new Catalog(qemu72);
        Map<String, Definition> known72 = shared(qemu72.schema());
        List<DynamicTest> tests = new ArrayList<>();
        shared(master.schema()).forEach((name, definition) -> {
            if (definition instanceof Event event && !known72.containsKey(name)) {
                tests.add(DynamicTest.dynamicTest(name, () -> {
                    JsonNode data = new Documents(new Instances(masterCatalog, name.hashCode(), false))
                            .object(event.argType(), 0);
                    QmpEvent decoded = (QmpEvent) catalog72.decodeEvent(name, data);
                    assertThat(decoded.getClass().getSimpleName()).isEqualTo("Unknown");
                    assertThat(decoded.eventName()).isEqualTo(name);
                    assertThat(decoded.toJson()).isEqualTo(data);
                }));
            }
        });
        assertThat(tests).as("events QEMU added after 7.2").isNotEmpty();
        return tests.stream();
    }

    /** The named types and the events of {@code schema}, by name: what two schemas can share. */
    private static Map<String, Definition> shared(Schema schema) {
        Map<String, Definition> definitions = new TreeMap<>();
        for (var entity : schema.entities()) {
            if (entity instanceof EnumType || entity instanceof AlternateType || entity instanceof Event
                    || (entity instanceof ObjectType type && !type.isImplicit())) {
                definitions.put(((Definition) entity).name(), (Definition) entity);
            }
        }
        return definitions;
    }

    @AfterAll
    static void report() {
        synchronized (TALLIES) {
            TALLIES.forEach((label, tally) -> System.out.println("[qapi4j-tests] " + label + ": " + DOCUMENTS
                    + " values of each shared type and event kept " + tally));
            System.out.println("[qapi4j-tests] values a binding cannot hold (a member's JSON type changed): " + typeChanges);
        }
    }
}

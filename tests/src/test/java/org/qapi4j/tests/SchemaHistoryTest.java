package org.qapi4j.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.qapi4j.codegen.model.ObjectType;
import org.qapi4j.codegen.model.Schema;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.qmp.codec.QapiReader;
import org.qapi4j.qmp.json.Json;
import org.qapi4j.qmp.types.QapiObject;
import tools.jackson.databind.JsonNode;

/**
 * Bindings of one QEMU's schema decode replies of a QEMU with another schema, tested with QEMU's
 * published schema history: 7.2's and master's (10.2.50). {@link SchemaHistory} finds the
 * mandatory members one has that the other lacks; for each, replies shaped by the other schema
 * (its model makes them, {@link Documents}, without that member) are decoded tolerantly by the
 * first one's generated code: the value is typed, names the member in {@code missingMembers()},
 * and re-encodes to the same JSON; a strict decode still rejects it. {@link
 * CrossVersionTest} does the same for every type and event the two schemas share.
 */
class SchemaHistoryTest {
    /** Mandatory members of QEMU 7.2's schema that master's does not have at all. */
    static final List<String> REMOVED = List.of("MigrationStats.skipped", "SevInfo.policy", "SevInfo.handle",
            "StatusInfo.singlestep", "TraceEventInfo.vcpu");
    /** Mandatory members of master's schema that QEMU 7.2's does not have at all. */
    static final List<String> ADDED = List.of("BlockDeviceInfo.children", "BlockDeviceInfo.active",
            "BlockDeviceStats.zone_append_bytes", "BlockDeviceStats.zone_append_operations",
            "BlockDeviceStats.zone_append_total_time_ns", "BlockDeviceStats.zone_append_merged",
            "BlockDeviceStats.failed_zone_append_operations", "BlockDeviceStats.invalid_zone_append_operations",
            "BlockDeviceTimedStats.min_zone_append_latency_ns", "BlockDeviceTimedStats.max_zone_append_latency_ns",
            "BlockDeviceTimedStats.avg_zone_append_latency_ns", "BlockDeviceTimedStats.avg_zone_append_queue_depth",
            "CpuInfoFast.qom-type", "DirtyRateInfo.calc-time-unit", "MachineInfo.acpi", "MapEntry.compressed",
            "QCryptoBlockInfoLUKS.detached-header", "SevInfo.sev-type");
    /** Tries at a document of the other schema that lacks the member (a union branch may have it). */
    private static final int TRIES = 200;

    private static GeneratedCode qemu72;
    private static GeneratedCode master;

    @BeforeAll
    static void compile() {
        qemu72 = Schemas.qemu72();
        master = Schemas.qemuMaster();
    }

    @Test
    void theHistoryHasTheChangesThatBrokeReplies() {
        assertThat(absent(SchemaHistory.mandatoryOnlyIn(qemu72.schema(), master.schema())))
                .containsExactlyInAnyOrderElementsOf(REMOVED);
        assertThat(absent(SchemaHistory.mandatoryOnlyIn(master.schema(), qemu72.schema())))
                .containsExactlyInAnyOrderElementsOf(ADDED);
        // Mandatory in one, optional in the other: tested below all the same.
        assertThat(optional(SchemaHistory.mandatoryOnlyIn(qemu72.schema(), master.schema())))
                .containsExactly("BlockdevCreateOptionsLUKS.file");
        assertThat(optional(SchemaHistory.mandatoryOnlyIn(master.schema(), qemu72.schema())))
                .containsExactly("BlockDeviceInfo.node-name");
    }

    private static List<String> absent(List<SchemaHistory.Change> changes) {
        return changes.stream().filter(SchemaHistory.Change::absent).map(Object::toString).toList();
    }

    private static List<String> optional(List<SchemaHistory.Change> changes) {
        return changes.stream().filter(change -> !change.absent()).map(Object::toString).toList();
    }

    @TestFactory
    Stream<DynamicTest> aClientOf72DecodesRepliesOfANewerQemu() {
        return missingIn(qemu72, master);
    }

    @TestFactory
    Stream<DynamicTest> aClientOfMasterDecodesRepliesOfQemu72() {
        return missingIn(master, qemu72);
    }

    /** One test per mandatory member of {@code client}'s schema that {@code server}'s may leave out. */
    private static Stream<DynamicTest> missingIn(GeneratedCode client, GeneratedCode server) {
        List<DynamicTest> tests = new ArrayList<>();
        for (SchemaHistory.Change change : SchemaHistory.mandatoryOnlyIn(client.schema(), server.schema())) {
            tests.add(DynamicTest.dynamicTest(change + " missing", () -> decodeWithout(client, server, change)));
        }
        return tests.stream();
    }

    private static void decodeWithout(GeneratedCode client, GeneratedCode server, SchemaHistory.Change change) {
        JsonNode reply = replyWithout(server, change);
        String text = Json.write(reply);
        Catalog catalog = new Catalog(client);
        QapiObject value = (QapiObject) decode(catalog, change.type(), reply, false);
        assertThat(value.missingMembers()).as("missing members of %s decoded from %s", change.type(), text)
                .contains(change.member());
        assertThat(Json.parse(Json.write(value.toJson()))).as("%s re-encoded", text).isEqualTo(Json.parse(text));
        assertThatThrownBy(() -> decode(catalog, change.type(), reply, true))
                .as("a strict reader rejects %s", text)
                .isInstanceOf(QmpException.class);
        DECODED.add(String.format("%s client, %s from %s's schema without %s: missing %s, unknown %s",
                label(client), change.type(), label(server), change.member(), value.missingMembers(),
                value.unknownMembers() == null ? "none" : Json.write(value.unknownMembers())));
    }

    /** What each decode kept: in a report file, not the build's output. */
    private static final List<String> DECODED = Collections.synchronizedList(new ArrayList<>());

    @AfterAll
    static void report() {
        if (!DECODED.isEmpty()) {
            System.out.println("[qapi4j-tests] replies without a member the other schema has: " + DECODED.size()
                    + " decoded, what each kept in " + TestReports.write("schema-history", DECODED));
        }
    }

    /** A value of {@code change.type()} that {@code server}'s schema allows, without the member. */
    private static JsonNode replyWithout(GeneratedCode server, SchemaHistory.Change change) {
        ObjectType type = SchemaHistory.objectTypes(server.schema()).get(change.type());
        Documents documents = new Documents(new Instances(new Catalog(server), change.toString().hashCode(), false));
        for (int i = 0; i < TRIES; i++) {
            JsonNode reply = documents.object(type, 0);
            if (!reply.has(change.member())) {
                return reply;
            }
        }
        throw new AssertionError(label(server) + "'s " + change.type() + " had " + change.member() + " in " + TRIES + " tries");
    }

    /** The value of type {@code typeName} in {@code json}, decoded by {@code catalog}'s code. */
    static Object decode(Catalog catalog, String typeName, JsonNode json, boolean strict) {
        try {
            return Catalog.invoke(catalog.typeClass(typeName).getMethod("decode", QapiReader.class, String.class), null,
                    strict ? QapiReader.strict(json) : QapiReader.tolerant(json), null);
        } catch (NoSuchMethodException e) {
            throw new AssertionError(typeName + ".decode missing", e);
        }
    }

    static String label(GeneratedCode code) {
        return code == qemu72 ? "QEMU 7.2" : "QEMU master";
    }

    static Schema schema72() {
        return qemu72.schema();
    }
}

package org.qapi4j.tests;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * Round trips of every type, event and argument record generated from three schemas: our own
 * (every shape, {@code schemas/roundtrip.json}), QEMU's schema-test schema and QEMU's master
 * schema (both only where QEMU's reference data is, else skipped). See {@link RoundTrips}.
 */
class RoundTripTest {
    private static final List<RoundTrips.Tally> TALLIES = new ArrayList<>();

    private static Stream<DynamicNode> roundTrips(String name, GeneratedCode code) {
        RoundTrips.Tally tally = new RoundTrips.Tally(name + " (" + code.sourceCount() + " generated sources)");
        synchronized (TALLIES) {
            TALLIES.add(tally);
        }
        return new RoundTrips(new Catalog(code), tally).tests();
    }

    @TestFactory
    Stream<DynamicNode> ownSchema() {
        return roundTrips("roundtrip.json", Schemas.own());
    }

    @TestFactory
    Stream<DynamicNode> qemuSchemaTest() {
        return roundTrips("QEMU qapi-schema-test.json", Schemas.qemuTest());
    }

    @TestFactory
    Stream<DynamicNode> qemuMasterSchema() {
        return roundTrips("QEMU master qapi-schema.json", Schemas.qemuMaster());
    }

    @AfterAll
    static void report() {
        synchronized (TALLIES) {
            for (RoundTrips.Tally tally : TALLIES) {
                System.out.println("[qapi4j-tests] round trips of " + tally);
            }
        }
    }
}

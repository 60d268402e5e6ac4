package org.qapi4j.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.qapi4j.codegen.model.AlternateType;
import org.qapi4j.codegen.model.EnumType;
import org.qapi4j.codegen.model.ObjectType;
import org.qapi4j.codegen.model.SchemaType;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.qmp.json.Json;
import org.qapi4j.qmp.types.QapiValue;
import org.qapi4j.qmp.types.QmpEvent;
import tools.jackson.databind.JsonNode;

/**
 * The round trips of one schema's generated code, as dynamic tests: per subject (type, event,
 * argument record) one test of random values and one of random schema-valid JSON.
 *
 * <p>Random values: {@value #STRICT_VALUES} built from what a strict reader accepts, then
 * {@value #TOLERANT_VALUES} that may hold what only a tolerant one keeps; enums, unions and
 * alternates cycle through all their values, branches and alternatives (Unknown included).
 * Each value must come back equal from its own JSON, strictly decoded when it has no unknown
 * parts (and rejected by a strict reader when it has), tolerantly decoded always, and again
 * from its JSON text; the JSON text re-encoded must not change.
 *
 * <p>Schema-valid JSON: {@value #DOCUMENTS} documents made from the model alone must be read by
 * a strict decoder and written back to the same JSON.
 *
 * <p>Seeds are fixed per subject (its label's hash), so a failure repeats.
 */
final class RoundTrips {
    static final int STRICT_VALUES = 10;
    static final int TOLERANT_VALUES = 10;
    static final int DOCUMENTS = 10;

    /** What one schema's round trips covered. */
    static final class Tally {
        final String schema;
        final Map<Catalog.Kind, AtomicLong> subjects = new EnumMap<>(Catalog.Kind.class);
        final AtomicLong values = new AtomicLong();
        final AtomicLong documents = new AtomicLong();
        final AtomicLong assertions = new AtomicLong();
        final AtomicLong failedSubjects = new AtomicLong();

        Tally(String schema) {
            this.schema = schema;
            for (Catalog.Kind kind : Catalog.Kind.values()) {
                subjects.put(kind, new AtomicLong());
            }
        }

        @Override
        public String toString() {
            long total = subjects.values().stream().mapToLong(AtomicLong::get).sum();
            return String.format("%s: %d subjects %s, %d random values, %d schema-valid documents, %d assertions, %d subject tests failed",
                    schema, total, subjects, values.get(), documents.get(), assertions.get(), failedSubjects.get());
        }
    }

    private final Catalog catalog;
    private final Tally tally;

    RoundTrips(Catalog catalog, Tally tally) {
        this.catalog = catalog;
        this.tally = tally;
    }

    Stream<DynamicNode> tests() {
        List<DynamicNode> nodes = new ArrayList<>();
        for (Catalog.Subject subject : catalog.subjects()) {
            tally.subjects.get(subject.kind()).incrementAndGet();
            nodes.add(DynamicContainer.dynamicContainer(subject.label(), Stream.of(
                    DynamicTest.dynamicTest("random values", () -> counted(() -> values(subject))),
                    DynamicTest.dynamicTest("schema-valid JSON", () -> counted(() -> documents(subject))))));
        }
        return nodes.stream();
    }

    private void counted(Runnable test) {
        try {
            test.run();
        } catch (RuntimeException | Error e) {
            tally.failedSubjects.incrementAndGet();
            throw e;
        }
    }

    // ---- random values ----------------------------------------------------------------------

    private void values(Catalog.Subject subject) {
        long seed = subject.label().hashCode();
        Instances strict = new Instances(catalog, seed, false);
        Instances tolerant = new Instances(catalog, seed * 31 + 7, true);
        for (int i = 0; i < STRICT_VALUES + TOLERANT_VALUES; i++) {
            Instances instances = i < STRICT_VALUES ? strict : tolerant;
            instances.reset();
            Object value = instance(subject, instances, i);
            check(subject, value, instances.producedUnknown());
            tally.values.incrementAndGet();
        }
    }

    /** Value {@code i} of {@code subject}: cycling through the choices a sum type has. */
    private Object instance(Catalog.Subject subject, Instances instances, int i) {
        boolean tolerant = i >= STRICT_VALUES;
        switch (subject.kind()) {
            case ENUM: {
                int known = ((EnumType) subject.definition()).members().size();
                return instances.enumValue((EnumType) subject.definition(),
                        known == 0 ? 0 : i % (tolerant ? known + 1 : known));
            }
            case UNION: {
                ObjectType union = (ObjectType) subject.definition();
                int known = ((EnumType) union.branches().tagMember().type()).members().size();
                return instances.union(union, 0, known == 0 ? 0 : i % (tolerant ? known + 1 : known));
            }
            case ALTERNATE: {
                AlternateType alternate = (AlternateType) subject.definition();
                int known = alternate.alternatives().variants().size();
                boolean unknownPossible = tolerant && !AlternateKinds.unknownTo(alternate).isEmpty();
                return instances.alternate(alternate, 0, i % (unknownPossible ? known + 1 : known));
            }
            case STRUCT:
                return instances.struct((ObjectType) subject.definition(), 0);
            default:
                return instances.data(subject);
        }
    }

    private void check(Catalog.Subject subject, Object value, boolean unknownParts) {
        JsonNode json = toJson(value);
        String text = Json.write(json);
        String what = subject.label() + " value " + value + "\n  JSON " + text;
        if (unknownParts) {
            assertThatThrownBy(() -> catalog.decode(subject, json, true))
                    .as("strict decoding must reject what this schema does not know: %s", what)
                    .isInstanceOf(QmpException.class);
        } else {
            Object strict = decode(subject, json, true, what);
            assertThat(strict).as("strict decode of %s", what).isEqualTo(value);
            assertThat(Json.write(toJson(strict))).as("re-encoded %s", what).isEqualTo(text);
        }
        tally.assertions.addAndGet(2);
        Object tolerant = decode(subject, json, false, what);
        assertThat(tolerant).as("tolerant decode of %s", what).isEqualTo(value);
        assertThat(Json.write(toJson(tolerant))).as("re-encoded %s", what).isEqualTo(text);
        // Through the text, as the value travels: the tree differs (parsed numbers have other
        // node classes), the text must not.
        Object reparsed = decode(subject, Json.parse(text), !unknownParts, what);
        assertThat(Json.write(toJson(reparsed))).as("re-encoded from text %s", what).isEqualTo(text);
        tally.assertions.addAndGet(3);
    }

    private Object decode(Catalog.Subject subject, JsonNode json, boolean strict, String what) {
        try {
            return catalog.decode(subject, json, strict);
        } catch (RuntimeException e) {
            throw new AssertionError((strict ? "strict" : "tolerant") + " decoding failed: " + e + "\n  for " + what, e);
        }
    }

    static JsonNode toJson(Object value) {
        if (value instanceof QapiValue) {
            return ((QapiValue) value).toJson();
        }
        return ((QmpEvent) value).toJson();
    }

    // ---- schema-valid JSON ------------------------------------------------------------------

    private void documents(Catalog.Subject subject) {
        Documents documents = new Documents(new Instances(catalog, subject.label().hashCode() * 17L + 3, false));
        for (int i = 0; i < DOCUMENTS; i++) {
            JsonNode json;
            try {
                json = subject.dataType() != null || subject.kind() == Catalog.Kind.EVENT
                        ? documents.object(subject.dataType(), 0)
                        : documents.value((SchemaType) subject.definition(), 0);
            } catch (Documents.Impossible e) {
                continue;
            }
            String text = Json.write(json);
            Object value = decode(subject, json, true, subject.label() + " JSON " + text);
            assertThat(Json.parse(Json.write(toJson(value))))
                    .as("%s: schema-valid JSON %s decoded to %s", subject.label(), text, value)
                    .isEqualTo(Json.parse(text));
            tally.documents.incrementAndGet();
            tally.assertions.incrementAndGet();
        }
    }
}

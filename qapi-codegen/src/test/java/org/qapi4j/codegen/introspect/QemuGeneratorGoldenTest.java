package org.qapi4j.codegen.introspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.qapi4j.codegen.FrontEnd;
import org.qapi4j.codegen.ast.DocStyle;
import org.qapi4j.codegen.model.Conditions;
import org.qapi4j.codegen.model.Schema;

/**
 * Our answer for our own sample schema equals what QEMU's {@code introspect.py} produced for it
 * (see the resources' README): as JSON values, and as text byte for byte (QEMU's entries in the
 * expected files are compact JSON, one a line).
 */
class QemuGeneratorGoldenTest {

    static Stream<Arguments> variants() {
        Path sample = Fixtures.resourceDir().resolve("sample");
        return Stream.of(
                Arguments.of("expected-masked.json", false, Conditions.all()),
                Arguments.of("expected-unmasked.json", true, Conditions.all()),
                Arguments.of("expected-cond.json", false,
                        Conditions.defined(Fixtures.defines(sample.resolve("cond.defines")))),
                Arguments.of("expected-none.json", false, Conditions.defined(Set.of())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void sampleSchemaAsQemuGeneratesIt(String expectedFile, boolean unmask, Conditions conditions) {
        Path sample = Fixtures.resourceDir().resolve("sample");
        Schema schema = FrontEnd.load(sample, "sample.json", DocStyle.STRICT);
        List<Object> ours = Introspection.build(schema, unmask, conditions);
        String expectedText = Fixtures.read(sample.resolve(expectedFile));

        List<?> theirs = (List<?>) JsonReader.parse(expectedText);
        String difference = Fixtures.firstDifference(ours, theirs);
        if (difference != null) {
            fail("our answer differs from QEMU's generator: " + difference);
        }
        assertThat(IntrospectionJson.write(ours)).isEqualTo(expectedText.replace("\n", ""));
    }
}

package org.qapi4j.qmp.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.qapi4j.qmp.ErrorClass;
import org.jspecify.annotations.Nullable;
import org.qapi4j.qmp.QmpError;
import org.qapi4j.qmp.codec.CompatPolicy;
import org.qapi4j.qmp.codec.CompatPolicyInput;
import org.qapi4j.qmp.conformance.ArgumentErrorCases.Case;
import org.qapi4j.qmp.dispatch.CommandDispatcher;

/**
 * Our dispatcher for QEMU 7.2's schema answers every bad-argument case of
 * {@link ArgumentErrorCases} with QEMU 7.2's error class and text, exactly, and never calls a
 * handler for them. The expected answers are QEMU's, recorded in the table, so this holds
 * without a QEMU at hand; {@link RealQemuArgumentErrorsTest} checks the table against the real
 * binary.
 */
class ArgumentErrorsTest {
    private static CommandDispatcher dispatcher;

    @BeforeAll
    static void generate() {
        dispatcher = GeneratedQemu72.get().rejectingDispatcher();
    }

    static Stream<Case> cases() {
        return ArgumentErrorCases.CASES.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersAsQemu(Case c) {
        QmpError error = ArgumentErrorCases.ourError(dispatcher, c);
        assertThat(ArgumentErrorCases.show(error))
                .as("%s %s", c.command(), c.argumentsJson())
                .isEqualTo(c.errorClass() + ": " + c.description());
    }

    static final CompatPolicy REJECT_ALL = new CompatPolicy(CompatPolicyInput.REJECT, CompatPolicyInput.REJECT);

    static Stream<Case> policyCases() {
        return ArgumentErrorCases.POLICY_CASES.stream();
    }

    /** With QEMU's -compat deprecated-input=reject,unstable-input=reject. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("policyCases")
    void refusesDeprecatedAndUnstableInputAsQemuDoesByPolicy(Case c) {
        QmpError error = ArgumentErrorCases.ourError(dispatcher, c, REJECT_ALL);
        assertThat(ArgumentErrorCases.show(error))
                .as("%s %s", c.command(), c.argumentsJson())
                .isEqualTo(c.errorClass() + ": " + c.description());
    }

    /** Without a policy, the same arguments get past the policy (and fail later, or not at all). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("policyCases")
    void acceptsDeprecatedAndUnstableInputByDefault(Case c) {
        String shown = ArgumentErrorCases.show(caught(() -> ArgumentErrorCases.ourError(dispatcher, c)));
        assertThat(shown).doesNotContain("disabled by policy");
    }

    /** The rejecting dispatcher's handlers throw AssertionError when called: that means accepted. */
    private static @Nullable QmpError caught(java.util.function.Supplier<@Nullable QmpError> call) {
        try {
            return call.get();
        } catch (AssertionError handlerCalled) {
            return null;
        }
    }

    /** QEMU names one of several unexpected members; we name the same one. */
    @Test
    void namesTheUnexpectedMemberQemuNames() {
        List<String> differences = new ArrayList<>();
        List<Case> cases = ArgumentErrorCases.unexpectedMemberCases();
        for (Case c : cases) {
            String ours = ArgumentErrorCases.show(ArgumentErrorCases.ourError(dispatcher, c));
            String qemu = c.errorClass() + ": " + c.description();
            if (!ours.equals(qemu)) {
                differences.add(c.argumentsJson() + "\n    QEMU: " + qemu + "\n    ours: " + ours);
            }
        }
        assertThat(cases).hasSize(300);
        assertThat(differences).as("%d of %d differ", differences.size(), cases.size()).isEmpty();
    }

    @Test
    void theTableIsLargeAndItsIdsAreUnique() {
        assertThat(ArgumentErrorCases.CASES).hasSizeGreaterThanOrEqualTo(50);
        assertThat(ArgumentErrorCases.CASES.stream().map(Case::id)).doesNotHaveDuplicates();
    }

    /** The test double is live: arguments that decode do reach the handler, decoded. */
    @Test
    void validArgumentsReachTheHandler() {
        List<String> calls = new ArrayList<>();
        CommandDispatcher accepting = GeneratedQemu72.get().dispatcher(
                (method, args) -> calls.add(method + " " + args.length));
        Case valid = new Case("valid", "migrate-set-capabilities",
                "{'capabilities': [{'capability': 'xbzrle', 'state': true}]}",
                ErrorClass.GENERIC_ERROR, "");
        assertThat(ArgumentErrorCases.ourError(accepting, valid)).isNull();
        Case noArguments = new Case("none", "stop", null, ErrorClass.GENERIC_ERROR, "");
        assertThat(ArgumentErrorCases.ourError(accepting, noArguments)).isNull();
        assertThat(calls).containsExactly("migrateSetCapabilities 1", "stop 0");
    }
}

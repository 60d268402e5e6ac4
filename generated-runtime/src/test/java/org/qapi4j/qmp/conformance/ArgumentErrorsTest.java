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
import org.qapi4j.qmp.conformance.ArgumentErrorCase;
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

    static Stream<ArgumentErrorCase> cases() {
        return ArgumentErrorCases.CASES.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersAsQemu(ArgumentErrorCase c) {
        QmpError error = DirectDispatch.ourError(dispatcher, c);
        assertThat(DirectDispatch.show(error))
                .as("%s %s", c.command(), c.argumentsJson())
                .isEqualTo(c.errorClass() + ": " + c.description());
    }

    static final CompatPolicy REJECT_ALL = new CompatPolicy(CompatPolicyInput.REJECT, CompatPolicyInput.REJECT);

    static Stream<ArgumentErrorCase> policyCases() {
        return ArgumentErrorCases.POLICY_CASES.stream();
    }

    /** With QEMU's -compat deprecated-input=reject,unstable-input=reject. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("policyCases")
    void refusesDeprecatedAndUnstableInputAsQemuDoesByPolicy(ArgumentErrorCase c) {
        QmpError error = DirectDispatch.ourError(dispatcher, c, REJECT_ALL);
        assertThat(DirectDispatch.show(error))
                .as("%s %s", c.command(), c.argumentsJson())
                .isEqualTo(c.errorClass() + ": " + c.description());
    }

    /** Without a policy, the same arguments get past the policy (and fail later, or not at all). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("policyCases")
    void acceptsDeprecatedAndUnstableInputByDefault(ArgumentErrorCase c) {
        String shown = DirectDispatch.show(caught(() -> DirectDispatch.ourError(dispatcher, c)));
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
        List<ArgumentErrorCase> cases = ArgumentErrorCases.unexpectedMemberCases();
        for (ArgumentErrorCase c : cases) {
            String ours = DirectDispatch.show(DirectDispatch.ourError(dispatcher, c));
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
        assertThat(ArgumentErrorCases.CASES.stream().map(ArgumentErrorCase::id)).doesNotHaveDuplicates();
    }

    /** The test double is live: arguments that decode do reach the handler, decoded. */
    @Test
    void validArgumentsReachTheHandler() {
        List<String> calls = new ArrayList<>();
        CommandDispatcher accepting = GeneratedQemu72.get().dispatcher(
                (method, args) -> calls.add(method + " " + args.length));
        ArgumentErrorCase valid = new ArgumentErrorCase("valid", "migrate-set-capabilities",
                "{'capabilities': [{'capability': 'xbzrle', 'state': true}]}",
                ErrorClass.GENERIC_ERROR, "");
        assertThat(DirectDispatch.ourError(accepting, valid)).isNull();
        ArgumentErrorCase noArguments = new ArgumentErrorCase("none", "stop", null, ErrorClass.GENERIC_ERROR, "");
        assertThat(DirectDispatch.ourError(accepting, noArguments)).isNull();
        assertThat(calls).containsExactly("migrateSetCapabilities 1", "stop 0");
    }
}

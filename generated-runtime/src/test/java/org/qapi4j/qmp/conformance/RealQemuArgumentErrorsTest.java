package org.qapi4j.qmp.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.qapi4j.qmp.ErrorClass;
import org.qapi4j.qmp.client.QemuLab;
import org.qapi4j.qmp.QmpError;
import org.qapi4j.qmp.conformance.ArgumentErrorCase;
import org.qapi4j.qmp.dispatch.CommandDispatcher;
import org.qapi4j.qmp.json.Json;
import tools.jackson.databind.JsonNode;

/**
 * The differential proof: every case of {@link ArgumentErrorCases} (the table, and the 300
 * objects with several unexpected members) goes to a real QEMU 7.2
 * ({@code qemu-system-x86_64} from Debian 12) and to our dispatcher for QEMU 7.2's schema, and
 * the two answers must be the same error class and text, exactly; QEMU's answer must also be
 * the one the table records (so {@link ArgumentErrorsTest} pins QEMU's behaviour, not ours).
 *
 * <p>QEMU runs with no machine and no devices ({@code -M none -nodefaults}), its QMP monitor
 * on a unix socket in a private temporary folder (nothing on the network), and is killed
 * afterwards. Every case fails in argument decoding, before a command runs, so the one QEMU
 * serves them all undisturbed. Skipped when {@code qemu-system-x86_64} is not on the
 * {@code PATH}, is not QEMU 7.2, or QEMU's schema data ({@code shared/qemu}) is absent.
 */
class RealQemuArgumentErrorsTest {
    @Test
    void ourDispatcherAnswersBadArgumentsAsQemu72() throws Exception {
        Path qemu = QemuLab.binary();
        Assumptions.assumeTrue(qemu != null, () -> skip(QemuLab.BINARY + " is not on the PATH (install "
                + "Debian 12's qemu-system-x86 to run this comparison)"));
        CommandDispatcher ours = GeneratedQemu72.get().rejectingDispatcher();

        List<String> differences = new ArrayList<>();
        try (QemuLab lab = new QemuLab(qemu)) {
            Path socket = lab.start("q", "-M", "none", "-nodefaults", "-display", "none");
            try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                channel.connect(UnixDomainSocketAddress.of(socket));
                BufferedReader in = new BufferedReader(
                        new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
                OutputStream out = Channels.newOutputStream(channel);

                JsonNode version = Json.parse(in.readLine()).path("QMP").path("version").path("qemu");
                String found = version.path("major").asString() + "." + version.path("minor").asString();
                Assumptions.assumeTrue(found.equals("7.2"), () -> skip("the QEMU on the PATH is "
                        + found + ", the table holds QEMU 7.2's answers"));
                JsonNode negotiated = send(in, out, "{\"execute\": \"qmp_capabilities\"}");
                assertThat(negotiated.has("return")).as("qmp_capabilities: %s", negotiated).isTrue();

                List<ArgumentErrorCase> cases = new ArrayList<>(ArgumentErrorCases.CASES);
                cases.addAll(ArgumentErrorCases.unexpectedMemberCases());
                for (ArgumentErrorCase c : cases) {
                    JsonNode reply = send(in, out, c.request());
                    QmpError theirs = reply.has("error")
                            ? new QmpError(new ErrorClass(reply.get("error").get("class").asString()),
                                    reply.get("error").get("desc").asString())
                            : null;
                    QmpError mine = DirectDispatch.ourError(ours, c);
                    String expected = c.errorClass() + ": " + c.description();
                    String qemuSays = DirectDispatch.show(theirs);
                    String weSay = DirectDispatch.show(mine);
                    if (!qemuSays.equals(weSay) || !qemuSays.equals(expected)) {
                        differences.add(c.id() + " " + c.request() + "\n    QEMU:  " + qemuSays
                                + "\n    ours:  " + weSay + "\n    table: " + expected);
                    }
                    if (theirs == null) {
                        // QEMU ran the command: the case is not a bad-argument case.
                        differences.add(c.id() + ": QEMU accepted and ran it: " + reply);
                    }
                }
            }
        }
        assertThat(differences)
                .as("%d of %d cases differ", differences.size(),
                        ArgumentErrorCases.CASES.size() + ArgumentErrorCases.unexpectedMemberCases().size())
                .isEmpty();
    }


    /**
     * The policy cases against a QEMU 7.2 started with {@code -compat
     * deprecated-input=reject,unstable-input=reject}, and our dispatcher under the same policy.
     */
    @Test
    void ourDispatcherRefusesByPolicyAsQemu72() throws Exception {
        Path qemu = QemuLab.binary();
        Assumptions.assumeTrue(qemu != null, () -> skip(QemuLab.BINARY + " is not on the PATH"));
        CommandDispatcher ours = GeneratedQemu72.get().rejectingDispatcher();
        List<String> differences = new ArrayList<>();
        try (QemuLab lab = new QemuLab(qemu)) {
            Path socket = lab.start("q", "-M", "none", "-nodefaults", "-display", "none",
                    "-compat", "deprecated-input=reject,unstable-input=reject");
            try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                channel.connect(UnixDomainSocketAddress.of(socket));
                BufferedReader in = new BufferedReader(
                        new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
                OutputStream out = Channels.newOutputStream(channel);
                in.readLine();
                send(in, out, "{\"execute\": \"qmp_capabilities\"}");
                for (ArgumentErrorCase c : ArgumentErrorCases.POLICY_CASES) {
                    JsonNode reply = send(in, out, c.request());
                    String qemuSays = reply.has("error")
                            ? reply.get("error").get("class").asString() + ": " + reply.get("error").get("desc").asString()
                            : "(accepted) " + reply;
                    String weSay = DirectDispatch.show(
                            DirectDispatch.ourError(ours, c, ArgumentErrorsTest.REJECT_ALL));
                    String expected = c.errorClass() + ": " + c.description();
                    if (!qemuSays.equals(weSay) || !qemuSays.equals(expected)) {
                        differences.add(c.id() + " " + c.request() + "\n    QEMU:  " + qemuSays
                                + "\n    ours:  " + weSay + "\n    table: " + expected);
                    }
                }
            }
        }
        assertThat(differences).as("policy cases that differ").isEmpty();
    }

    /** Sends one request; returns its reply, skipping events. */
    private static JsonNode send(BufferedReader in, OutputStream out, String request) throws IOException {
        out.write((request + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        while (true) {
            String line = in.readLine();
            if (line == null) {
                throw new AssertionError("QEMU closed the connection after " + request);
            }
            JsonNode reply = Json.parse(line);
            if (!reply.has("event")) {
                return reply;
            }
        }
    }


    private static String skip(String why) {
        String message = "SKIPPED: " + why + "; the real-QEMU argument error comparison did not run";
        System.out.println(message);
        return message;
    }

}

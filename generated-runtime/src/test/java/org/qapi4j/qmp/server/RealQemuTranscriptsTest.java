package org.qapi4j.qmp.server;

import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.qapi4j.qmp.client.QemuLab;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The transcripts tagged {@code @qemu} replayed against a real QEMU 7.2
 * ({@code qemu-system-x86_64 -M none -nodefaults}, QMP on a Unix socket in a private temporary
 * folder, one fresh QEMU per transcript, killed afterwards): proof that their expected text is
 * QEMU's, so that {@link TranscriptTest} holds our server to QEMU's behaviour. Skipped when
 * QEMU is not on the PATH.
 */
class RealQemuTranscriptsTest {
    @TestFactory
    Stream<DynamicTest> qemuAnswersAsTheTranscriptsSay() {
        Path qemu = QemuLab.binary();
        Assumptions.assumeTrue(qemu != null, () -> TranscriptTest.skip(QemuLab.BINARY + " is not on the PATH; "
                + "the transcripts were not checked against QEMU"));
        return Transcript.names().stream()
                .map(Transcript::load)
                .filter(t -> t.tags.contains("qemu"))
                .map(t -> DynamicTest.dynamicTest(t.name, () -> replay(qemu, t)));
    }

    private static void replay(Path qemu, Transcript transcript) throws Exception {
        try (QemuLab lab = new QemuLab(qemu)) {
            // QEMU serves one client per socket: a monitor per connection name, as many as used.
            List<String> args = new java.util.ArrayList<>(List.of("-M", "none", "-nodefaults", "-display", "none"));
            if (transcript.tags.contains("compat-reject")) {
                args.addAll(List.of("-compat", "deprecated-input=reject,unstable-input=reject"));
            }
            if (transcript.tags.contains("preconfig")) {
                args.add("-preconfig");
            }
            lab.start("a", List.of("b", "c"), args.toArray(String[]::new));
            transcript.run(new Transcript.Target() {
                @Override
                public SocketAddress address(String connection) {
                    return UnixDomainSocketAddress.of(lab.dir().resolve(connection + ".sock"));
                }

                @Override
                public void emit(String event, ObjectNode data) {
                    throw new UnsupportedOperationException("QEMU cannot be told to emit " + event);
                }
            });
        }
    }
}

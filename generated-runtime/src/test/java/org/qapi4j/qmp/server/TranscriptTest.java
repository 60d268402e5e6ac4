package org.qapi4j.qmp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.qapi4j.qmp.codec.CompatPolicy;
import org.qapi4j.qmp.codec.CompatPolicyInput;
import org.qapi4j.qmp.event.EventRateLimits;
import org.qapi4j.qmp.loop.MainLoop;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every transcript under {@code transcripts/} replayed against a {@link QmpServer} on a Unix
 * socket, serving {@link TestCommands}, one fresh server per transcript; twice: on the native
 * transport with a main loop that spins when idle (the defaults here), and on NIO with a main
 * loop that sleeps at once, so that neither way of waking it hides an ordering bug. Transcripts tagged
 * {@code @qemu} were recorded from QEMU 7.2 and {@link RealQemuTranscriptsTest} replays them
 * against it too: the expected text is QEMU's.
 */
class TranscriptTest {
    static final Duration TEST_WINDOW = Duration.ofMillis(400);

    @TestFactory
    Stream<DynamicTest> transcripts() {
        List<String> names = Transcript.names();
        assertThat(names).hasSizeGreaterThanOrEqualTo(10);
        if (System.getProperty("os.name").equals("Linux")) {
            assertThat(ServerTransport.best()).as("the native transport loads on Linux").isEqualTo(ServerTransport.EPOLL);
        }
        return names.stream().map(name -> DynamicTest.dynamicTest(name,
                () -> replay(name, ServerTransport.EPOLL, MainLoop.DEFAULT_IDLE_SPIN)));
    }

    @TestFactory
    Stream<DynamicTest> transcriptsOnNioWithThreadsThatSleepAtOnce() {
        return Transcript.names().stream().map(name -> DynamicTest.dynamicTest(name,
                () -> replay(name, ServerTransport.NIO, Duration.ZERO)));
    }

    private static void replay(String name, ServerTransport transport, Duration spin) throws Exception {
        Transcript transcript = Transcript.load(name);
        Path dir = Files.createTempDirectory("qmps");
        TestCommands commands = new TestCommands();
        QmpServerBuilder builder = QmpServer.builder(commands);
        if (transcript.tags.contains("compat-reject")) {
            builder.compatPolicy(new CompatPolicy(CompatPolicyInput.REJECT, CompatPolicyInput.REJECT));
        }
        if (transcript.tags.contains("preconfig")) {
            commands.startInPreconfig();
            builder.machineReady(commands::machineReady);
        }
        QmpServer server = builder
                // One listener per connection name, as QEMU serves one client per socket:
                // a and b on Unix sockets, c on loopback TCP.
                .unix(dir.resolve("a.sock"))
                .unix(dir.resolve("b.sock"))
                .tcp(0)
                .eventRateLimits(EventRateLimits.qemu(TEST_WINDOW))
                .transport(transport)
                .mainLoopSpin(spin)
                .build();
        commands.attach(server);
        server.start();
        try {
            List<SocketAddress> addresses = server.addresses();
            transcript.run(new Transcript.Target() {
                @Override
                public SocketAddress address(String connection) {
                    return addresses.get(connection.charAt(0) - 'a');
                }

                @Override
                public void emit(String event, ObjectNode data) {
                    server.emit(TestCommands.event(event, data));
                }
            });
            assertThat(commands.wrongThread.get()).as("handlers that ran on the wrong thread, or at the same time").isZero();
        } finally {
            server.close();
            assertThat(dir.resolve("a.sock")).as("socket removed on close").doesNotExist();
            Files.deleteIfExists(dir);
        }
    }

    static String skip(String why) {
        String message = "SKIPPED: " + why;
        System.out.println(message);
        return message;
    }
}

package org.qapi4j.qmp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
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
import org.qapi4j.qmp.monitor.InProcessMonitor;
import org.qapi4j.qmp.monitor.MonitorHub;
import org.qapi4j.qmp.monitor.QmpVersion;
import org.qapi4j.qmp.testing.LogCapture;
import org.qapi4j.qmp.transport.Transport;
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
            assertThat(Transport.best()).as("the native transport loads on Linux").isEqualTo(Transport.EPOLL);
        }
        return names.stream().map(name -> DynamicTest.dynamicTest(name,
                () -> replay(name, Transport.EPOLL, MainLoop.DEFAULT_IDLE_SPIN)));
    }

    @TestFactory
    Stream<DynamicTest> transcriptsOnNioWithThreadsThatSleepAtOnce() {
        return Transcript.names().stream().map(name -> DynamicTest.dynamicTest(name,
                () -> replay(name, Transport.NIO, Duration.ZERO)));
    }

    /**
     * The dispatch core without a socket: every transcript against in-process monitors of a
     * hub serving the same commands. The expected bytes are the same: the socket server adds
     * nothing to what a client sees.
     */
    @TestFactory
    Stream<DynamicTest> transcriptsInProcess() {
        return Transcript.names().stream().map(name -> DynamicTest.dynamicTest(name, () -> replayInProcess(name)));
    }

    private static void replayInProcess(String name) throws Exception {
        Transcript transcript = Transcript.load(name);
        TestCommands commands = new TestCommands();
        MonitorHub.Builder builder = MonitorHub.builder().serve(commands).version(QmpVersion.QEMU_7_2).eventRateLimits(EventRateLimits.qemu(TEST_WINDOW));
        if (transcript.tags.contains("compat-reject")) {
            builder.compatPolicy(new CompatPolicy(CompatPolicyInput.REJECT, CompatPolicyInput.REJECT));
        }
        if (transcript.tags.contains("preconfig")) {
            commands.startInPreconfig();
            builder.machineReady(commands::machineReady);
        }
        MonitorHub hub = builder.build();
        commands.attach(hub);
        try (LogCapture log = LogCapture.of("org.qapi4j")) {
            transcript.run(new Transcript.Target() {
                @Override
                public SocketAddress address(String connection) {
                    throw new UnsupportedOperationException("in-process monitors have no address");
                }

                @Override
                public Transcript.Peer open(String connection) {
                    return new InProcessPeer(InProcessMonitor.connect(hub));
                }

                @Override
                public void emit(String event, ObjectNode data) {
                    hub.events().emit(TestCommands.event(event, data));
                }
            });
            assertThat(commands.wrongThread.get()).as("handlers that ran on the wrong thread, or at the same time").isZero();
            checkLog(transcript, log);
        } finally {
            hub.close();
        }
    }

    /** An in-process monitor as a transcript's client. */
    private record InProcessPeer(InProcessMonitor monitor) implements Transcript.Peer {
        @Override
        public void send(byte[] bytes) {
            monitor.send(bytes);
        }

        @Override
        public Object next(long ms) throws InterruptedException {
            byte[] line = monitor.nextOutput(Duration.ofMillis(ms));
            if (line == null) {
                return null;
            }
            if (line.length == 0) {
                return EOF;
            }
            String text = new String(line, StandardCharsets.UTF_8);
            return text.endsWith("\r\n") ? text.substring(0, text.length() - 2) : "!! line not ended by \\r\\n: " + text;
        }

        @Override
        public void close() {
            monitor.close();
        }
    }

    private static void replay(String name, Transport transport, Duration spin) throws Exception {
        Transcript transcript = Transcript.load(name);
        Path dir = Files.createTempDirectory("qmps");
        TestCommands commands = new TestCommands();
        QmpServerBuilder builder = QmpServer.builder(commands).version(QmpVersion.QEMU_7_2);
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
        try (LogCapture log = LogCapture.of("org.qapi4j")) {
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
            checkLog(transcript, log);
        } finally {
            server.close();
            assertThat(dir.resolve("a.sock")).as("socket removed on close").doesNotExist();
            Files.deleteIfExists(dir);
        }
    }

    /**
     * A handler that fails by a bug ({@code x-fail}) is logged with its stack trace, once per
     * call; nothing else in a transcript logs a warning or an error.
     */
    private static void checkLog(Transcript transcript, LogCapture log) {
        long bugs = transcript.steps.stream()
                .filter(step -> step instanceof Transcript.Send send
                        && new String(send.bytes(), StandardCharsets.UTF_8).contains("\"x-fail\""))
                .count();
        assertThat(log.warningTexts()).as("what the runtime logged").hasSize((int) bugs)
                .allMatch(text -> text.startsWith("SEVERE ") && text.endsWith(": handler of x-fail failed"));
    }

    static String skip(String why) {
        String message = "SKIPPED: " + why;
        System.out.println(message);
        return message;
    }
}

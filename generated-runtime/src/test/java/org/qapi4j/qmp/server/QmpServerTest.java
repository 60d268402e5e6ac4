package org.qapi4j.qmp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.qapi4j.qmp.json.Json;
import org.qapi4j.qmp.monitor.QmpVersion;
import tools.jackson.databind.node.ObjectNode;

/** The server's API: listeners, socket permissions, version, oob offer, output bound, close. */
class QmpServerTest {

    @Test
    void listensOnSeveralSocketsOwnerOnlyAndLoopback() throws Exception {
        Path dir = Files.createTempDirectory("qmpa");
        Path socket = dir.resolve("s1.sock");
        QmpServer server = QmpServer.builder(new TestCommands())
                .unix(socket).unix(dir.resolve("s2.sock")).tcp(0)
                
                .version(8, 0, 1, "")
                .start();
        try {
            List<SocketAddress> addresses = server.addresses();
            assertThat(addresses).hasSize(3);
            assertThat(addresses.get(0)).isEqualTo(UnixDomainSocketAddress.of(socket.toAbsolutePath()));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
            assertThat(Files.list(dir).map(p -> p.getFileName().toString()).sorted().toList())
                    .as("no temporary files left").containsExactly("s1.sock", "s2.sock");
            InetSocketAddress tcp = (InetSocketAddress) addresses.get(2);
            assertThat(tcp.getAddress().isLoopbackAddress()).isTrue();
            for (SocketAddress address : addresses) {
                try (Transcript.Connection c = new Transcript.Connection(address)) {
                    assertThat(c.next(5000)).isEqualTo("{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 1, \"minor\": 0, \"major\": 8}, "
                            + "\"package\": \"\"}, \"capabilities\": [\"oob\"]}}");
                    c.send("{\"execute\": \"qmp_capabilities\"}".getBytes());
                    assertThat(c.next(5000)).isEqualTo("{\"return\": {}}");
                    assertThat(server.monitors()).anySatisfy(m -> assertThat(m.id()).startsWith(
                            address instanceof UnixDomainSocketAddress ? "unix:" : "tcp:127.0.0.1:"));
                }
            }
        } finally {
            server.close();
        }
        assertThat(Files.exists(socket)).as("socket removed").isFalse();
        Files.delete(dir);
    }

    @Test
    void greetsAsQapi4jUnlessToldOtherwise() throws Exception {
        Path dir = Files.createTempDirectory("qmpv");
        try (QmpServer ours = QmpServer.builder(new TestCommands()).unix(dir.resolve("a.sock")).start();
                QmpServer told = QmpServer.builder(new TestCommands()).version(8, 0, 1, "ACME 8.0.1-3")
                        .unix(dir.resolve("b.sock")).start();
                Transcript.Connection a = new Transcript.Connection(ours.addresses().get(0));
                Transcript.Connection b = new Transcript.Connection(told.addresses().get(0))) {
            assertThat(a.next(5000)).isEqualTo("{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7}, "
                    + "\"package\": \"" + QmpVersion.QAPI4J.packageVersion() + "\"}, \"capabilities\": [\"oob\"]}}");
            assertThat(QmpVersion.QAPI4J.packageVersion()).startsWith("qapi4j");
            assertThat(b.next(5000)).isEqualTo("{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 1, \"minor\": 0, \"major\": 8}, "
                    + "\"package\": \"ACME 8.0.1-3\"}, \"capabilities\": [\"oob\"]}}");
        } finally {
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void replacesAStaleSocketButNotAFile() throws Exception {
        Path dir = Files.createTempDirectory("qmpb");
        Path socket = dir.resolve("q.sock");
        QmpServer first = QmpServer.builder(new TestCommands()).unix(socket).start();
        // Simulate a crash: the file stays.
        Path kept = dir.resolve("kept.sock");
        Files.createLink(kept, socket);
        first.close();
        Files.move(kept, socket);
        QmpServer second = QmpServer.builder(new TestCommands()).version(QmpVersion.QEMU_7_2).unix(socket).start();
        try (Transcript.Connection c = new Transcript.Connection(second.addresses().get(0))) {
            assertThat(c.next(5000)).isEqualTo(Transcript.GREETING);
        } finally {
            second.close();
        }
        Files.writeString(socket, "precious");
        assertThatThrownBy(() -> QmpServer.builder(new TestCommands()).unix(socket).start())
                .isInstanceOf(IOException.class).hasMessageContaining("not a socket");
        assertThat(Files.readString(socket)).isEqualTo("precious");
        Files.delete(socket);
        Files.delete(dir);
    }

    @Test
    void withoutOobOfferedEnablingItFails() throws Exception {
        Path dir = Files.createTempDirectory("qmpc");
        QmpServer server = QmpServer.builder(new TestCommands()).unix(dir.resolve("q.sock"))
                .offerOob(false).start();
        try (Transcript.Connection c = new Transcript.Connection(server.addresses().get(0))) {
            assertThat((String) c.next(5000)).endsWith("\"capabilities\": []}}");
            c.send("{\"execute\": \"qmp_capabilities\", \"arguments\": {\"enable\": [\"oob\", \"oob\"]}}".getBytes());
            assertThat(c.next(5000)).isEqualTo("{\"error\": {\"class\": \"GenericError\", \"desc\": \"Capability oob, oob not available\"}}");
        } finally {
            server.close();
        }
        Files.delete(dir);
    }

    @Test
    void eventsFromAnyThreadReachNegotiatedMonitorsOnly() throws Exception {
        Path dir = Files.createTempDirectory("qmpd");
        QmpServer server = QmpServer.builder(new TestCommands()).unix(dir.resolve("q.sock"))
                .start();
        try (Transcript.Connection a = new Transcript.Connection(server.addresses().get(0));
                Transcript.Connection b = new Transcript.Connection(server.addresses().get(0))) {
            a.next(5000);
            b.next(5000);
            a.send("{\"execute\": \"qmp_capabilities\"}".getBytes());
            assertThat(a.next(5000)).isEqualTo("{\"return\": {}}");
            ObjectNode data = Json.object();
            data.put("n", 1);
            Thread emitter = new Thread(() -> server.emit(TestCommands.event("MY_EVENT", data)));
            emitter.start();
            emitter.join();
            assertThat(a.nextJson(5000).path("data").path("n").asInt()).isEqualTo(1);
            assertThat(b.next(200)).isNull();
        } finally {
            server.close();
        }
        Files.delete(dir);
    }

    /**
     * A long pipeline read in big chunks: the main loop takes in the commands itself between
     * reads, and exec-oob requests among them (rejected, oob not being enabled) must still be
     * answered in their place, as QEMU reads them only once the command before is answered.
     */
    @Test
    void aLongPipelineWithRejectedOobRequestsIsAnsweredInOrder() throws Exception {
        Path dir = Files.createTempDirectory("qmpd");
        QmpServer server = QmpServer.builder(new TestCommands()).unix(dir.resolve("q.sock")).start();
        int count = 30_000;
        try (Transcript.Connection c = new Transcript.Connection(server.addresses().get(0))) {
            c.next(5000);
            c.send("{\"execute\": \"qmp_capabilities\"}".getBytes());
            assertThat(c.next(5000)).isEqualTo("{\"return\": {}}");
            StringBuilder requests = new StringBuilder();
            for (int id = 0; id < count; id++) {
                requests.append(id % 7 == 3
                        ? "{\"exec-oob\": \"x-echo\", \"id\": " + id + "}"
                        : "{\"execute\": \"query-status\", \"id\": " + id + "}");
            }
            Thread writer = new Thread(() -> {
                try {
                    c.send(requests.toString().getBytes());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            writer.start();
            for (int id = 0; id < count; id++) {
                var reply = c.nextJson(10_000);
                assertThat(reply).as("reply %d", id).isNotNull();
                assertThat(reply.path("id").asInt(-1)).as("id of reply %d", id).isEqualTo(id);
                if (id % 7 == 3) {
                    assertThat(reply.path("error").path("desc").asString())
                            .isEqualTo("QMP input member 'exec-oob' is unexpected");
                } else {
                    assertThat(reply.has("return")).as("reply %d", id).isTrue();
                }
            }
            writer.join();
            assertThat(c.next(100)).isNull();
        } finally {
            server.close();
        }
        Files.delete(dir);
    }
}

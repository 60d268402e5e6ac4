package org.qapi4j.qmp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.qmp.client.QmpConnection;
import org.qapi4j.qmp.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Our client against our server, over a Unix socket and over TCP: each end was tested against
 * QEMU (or recordings of it) alone; this checks they agree with each other.
 */
class ClientServerTest {
    private Path dir;
    private TestCommands commands;
    private QmpServer server;
    private final List<QmpConnection> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        dir = Files.createTempDirectory("qmpcs");
        commands = new TestCommands();
        server = QmpServer.builder(commands).unix(dir.resolve("qmp.sock")).tcp(0).start();
        commands.attach(server);
    }

    @AfterEach
    void stop() throws Exception {
        for (QmpConnection client : clients) {
            client.close();
        }
        server.close();
        Files.deleteIfExists(dir.resolve("qmp.sock"));
        Files.delete(dir);
        assertThat(commands.wrongThread).hasValue(0);
    }

    private QmpConnection connect(String transport, boolean oob, QmpConnection.Builder extra) throws Exception {
        SocketAddress address = server.addresses().get(transport.equals("unix") ? 0 : 1);
        assertThat(address instanceof UnixDomainSocketAddress).isEqualTo(transport.equals("unix"));
        QmpConnection client = extra.address(address).enableOob(oob).commandTimeout(Duration.ofSeconds(20))
                .connect().get(10, TimeUnit.SECONDS);
        clients.add(client);
        return client;
    }

    private static ObjectNode args(String key, Object value) {
        ObjectNode o = Json.object();
        JsonNode node = Json.mapper().valueToTree(value);
        o.set(key, node);
        return o;
    }

    private static JsonNode get(CompletableFuture<JsonNode> future) throws Exception {
        return future.get(20, TimeUnit.SECONDS);
    }

    /**
     * Our server greets the moment it accepts, so the greeting can reach the client before its
     * connect() has returned to the caller; negotiation must not depend on which comes first.
     */
    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void connectsEveryTimeHoweverSoonTheGreetingComes(String transport) throws Exception {
        for (int i = 0; i < 150; i++) {
            try (QmpConnection client = QmpConnection.builder()
                    .address(server.addresses().get(transport.equals("unix") ? 0 : 1))
                    .connect().get(10, TimeUnit.SECONDS)) {
                assertThat(client.greeting().version()).as("connection %d", i).isEqualTo("7.2.0");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void negotiatesAndGetsReturnsAndErrors(String transport) throws Exception {
        QmpConnection client = connect(transport, true, QmpConnection.builder());
        assertThat(client.greeting().version()).isEqualTo("7.2.0");
        assertThat(client.greeting().offers("oob")).isTrue();
        assertThat(client.oobEnabled()).isTrue();
        assertThat(get(client.execute("query-status", Json.object())))
                .isEqualTo(Json.parse("{\"running\":true,\"singlestep\":false,\"status\":\"running\"}"));

        // A handler's error, answered later: class and text as sent.
        assertThatThrownBy(() -> get(client.execute("x-fail-later", Json.object())))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOfSatisfying(QmpException.class, e -> {
                    assertThat(e.error().errorClass().name()).isEqualTo("DeviceNotFound");
                    assertThat(e.error().description()).isEqualTo("Device 'x' not found");
                });
        // The server's own errors.
        assertThatThrownBy(() -> get(client.execute("no-such-command", Json.object())))
                .cause().isInstanceOfSatisfying(QmpException.class, e -> {
                    assertThat(e.error().errorClass().name()).isEqualTo("CommandNotFound");
                    assertThat(e.error().description()).isEqualTo("The command no-such-command has not been found");
                });
        assertThatThrownBy(() -> get(client.execute("stop", args("bogus", 1))))
                .cause().isInstanceOfSatisfying(QmpException.class, e -> {
                    assertThat(e.error().errorClass().name()).isEqualTo("GenericError");
                    assertThat(e.error().description()).isEqualTo("Parameter 'bogus' is unexpected");
                });
        assertThat(client.isOpen()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void eventsComeBeforeTheReplyOfTheCommandThatEmittedThem(String transport) throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        QmpConnection client = connect(transport, false, QmpConnection.builder()
                .eventListener(e -> seen.add(e.name() + " " + e.data())));
        for (int i = 0; i < 20; i++) {
            ObjectNode a = Json.object();
            a.put("event", "X_EVENT");
            a.putObject("data").put("n", i);
            String at = get(client.execute("x-emit", a).thenApply(reply -> {
                // Runs on the callback thread as the reply completes: the event is in already.
                return Json.string(seen.isEmpty() ? "none" : seen.get(seen.size() - 1));
            })).asString();
            assertThat(at).isEqualTo("X_EVENT {\"n\":" + i + "}");
        }
        // stop emits STOP as QEMU does, before its reply.
        get(client.execute("stop", Json.object()).thenApply(r -> Json.string(String.join(",", seen))));
        assertThat(seen.get(seen.size() - 1)).isEqualTo("STOP {}");
        get(client.execute("cont", Json.object()));
        // server.emit from another thread reaches the listener.
        server.emit(TestCommands.event("FROM_SERVER", args("k", "v")));
        get(client.execute("query-status", Json.object()));
        assertThat(seen).contains("RESUME {}", "FROM_SERVER {\"k\":\"v\"}");
        assertThat(seen.indexOf("RESUME {}")).isLessThan(seen.indexOf("FROM_SERVER {\"k\":\"v\"}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void hundredCommandsInFlightAreMatchedById(String transport) throws Exception {
        QmpConnection client = connect(transport, true, QmpConnection.builder());
        List<CompletableFuture<JsonNode>> futures = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            // In-band commands that answer later, interleaved with out-of-band ones answered at
            // once: replies come back out of request order.
            ObjectNode a = args("n", i);
            if (i % 2 == 0) {
                a.put("ms", 5);
                futures.add(client.execute("x-sleep", a));
            } else {
                futures.add(client.executeOob("x-echo", a));
            }
        }
        assertThat(client.inFlight()).isGreaterThan(0);
        for (int i = 0; i < 100; i++) {
            assertThat(get(futures.get(i)).path("n").asInt(-1)).as("reply %d", i).isEqualTo(i);
        }
        assertThat(client.inFlight()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void readsARepliesOfSeveralMebibytes(String transport) throws Exception {
        QmpConnection client = connect(transport, false, QmpConnection.builder());
        int size = 6 << 20;
        JsonNode reply = get(client.execute("x-big", args("size", size)));
        assertThat(reply.isString()).isTrue();
        assertThat(reply.asString()).hasSize(size).matches("x+");
        // And the connection goes on.
        assertThat(get(client.execute("x-count", args("n", 42))).asLong()).isEqualTo(42);
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void seesTheConnectionCloseWhenTheServerShutsDown(String transport) throws Exception {
        QmpConnection client = connect(transport, false, QmpConnection.builder());
        get(client.execute("query-status", Json.object()));
        server.close();
        client.closeFuture().handle((v, t) -> null).get(10, TimeUnit.SECONDS);
        assertThat(client.isOpen()).isFalse();
        assertThat(client.closeCause()).isNotNull();
        assertThatThrownBy(() -> get(client.execute("query-status", Json.object())))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(org.qapi4j.qmp.client.QmpConnectionClosedException.class);
    }
}

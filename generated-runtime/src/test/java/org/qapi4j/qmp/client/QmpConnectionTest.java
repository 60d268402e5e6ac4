package org.qapi4j.qmp.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qapi4j.qmp.ErrorClass;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.qmp.client.ScriptedPeer.Session;
import org.qapi4j.qmp.json.Json;
import org.qapi4j.qmp.testing.LogCapture;
import static org.assertj.core.api.Assertions.assertThat;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The client's replies and events, against a scripted peer that writes exactly the bytes each case needs. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QmpConnectionTest {

    @Test
    void eventsBeforeTheGreetingAndDuringNegotiationAreDelivered() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (ScriptedPeer peer = ScriptedPeer.unix()) {
            CompletableFuture<QmpConnection> connecting = ScriptedPeer.client(peer)
                    .eventListener(e -> seen.add(e.name() + e.data()))
                    .connect();
            try (Session s = peer.accept()) {
                s.send(ScriptedPeer.event("EARLY", "{\"n\": 1}"));
                s.send(ScriptedPeer.GREETING_72);
                JsonNode negotiation = s.read();
                s.send(ScriptedPeer.event("DURING", null));
                s.send("{\"return\": {}, \"id\": " + negotiation.get("id") + "}\r\n");
                try (QmpConnection c = connecting.get(5, TimeUnit.SECONDS)) {
                    // Delivered before the connect completed, in order.
                    assertThat(seen).containsExactly("EARLY{\"n\":1}", "DURING{}");
                    assertThat(c.greeting().version()).isEqualTo("7.2.22");
                }
            }
        }
    }

    @Test
    void eventsBeforeAReplyReachListenersBeforeTheReplyAndNeverTheReplyStream() throws Exception {
        List<String> raw = new CopyOnWriteArrayList<>();
        List<Object> typed = new CopyOnWriteArrayList<>();
        record Typed(String name, JsonNode data) {}
        try (ScriptedPeer peer = ScriptedPeer.unix()) {
            CompletableFuture<QmpConnection> connecting = ScriptedPeer.client(peer)
                    .eventListener(e -> raw.add(e.name() + "@" + e.seconds() + "." + e.microseconds()))
                    .eventListener(QmpEventListener.typed(Typed::new, typed::add))
                    .connect();
            try (Session s = peer.acceptNegotiated(); QmpConnection c = connecting.get(5, TimeUnit.SECONDS)) {
                List<String> atReply = Collections.synchronizedList(new ArrayList<>());
                CompletableFuture<JsonNode> stop = c.execute("stop", Json.object());
                CompletableFuture<List<String>> snapshot = stop.thenApply(r -> List.copyOf(raw));
                JsonNode request = s.read();
                assertThat(request.get("execute").asString()).isEqualTo("stop");
                assertThat(request.has("arguments")).as("empty arguments are left out").isFalse();
                // QEMU's order: the event, then the reply; here also an event it has never heard of,
                // one with extra members and one that carries the id of the request.
                s.send(ScriptedPeer.event("STOP", null) + ScriptedPeer.event("X_FUTURE_EVENT", "{\"a\": [1]}")
                        + "{\"timestamp\": {\"seconds\": 5, \"microseconds\": 6}, \"event\": \"ODD\", \"id\": "
                        + request.get("id") + ", \"more\": 1}\r\n"
                        + "{\"return\": {}, \"id\": " + request.get("id") + "}\r\n");
                assertThat(stop.get(5, TimeUnit.SECONDS).toString()).isEqualTo("{}");
                assertThat(snapshot.get()).containsExactly("STOP@1700000000.123456", "X_FUTURE_EVENT@1700000000.123456", "ODD@5.6");
                assertThat(typed).containsExactly(new Typed("STOP", Json.object()),
                        new Typed("X_FUTURE_EVENT", Json.parse("{\"a\":[1]}")), new Typed("ODD", Json.object()));
                assertThat(atReply).isEmpty();
            }
        }
    }

    @Test
    void aFailingListenerOrDecoderDoesNotStopTheOthers() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (ScriptedPeer peer = ScriptedPeer.unix()) {
            CompletableFuture<QmpConnection> connecting = ScriptedPeer.client(peer)
                    .eventListener(e -> {
                        throw new IllegalStateException("listener bug");
                    })
                    .eventListener(QmpEventListener.typed((name, data) -> {
                        throw new IllegalArgumentException("cannot decode " + name);
                    }, (Object e) -> seen.add("decoded?")))
                    .eventListener(e -> seen.add(e.name()))
                    .connect();
            try (Session s = peer.acceptNegotiated(); QmpConnection c = connecting.get(5, TimeUnit.SECONDS);
                    LogCapture log = LogCapture.of(QmpConnection.class)) {
                CompletableFuture<JsonNode> reply = c.execute("cont", Json.object());
                JsonNode request = s.read();
                s.send(ScriptedPeer.event("RESUME", null) + "{\"return\": {}, \"id\": " + request.get("id") + "}");
                reply.get(5, TimeUnit.SECONDS);
                assertThat(seen).containsExactly("RESUME");
                // Both failures are logged, with their stack traces.
                assertThat(log.warnings()).extracting(r -> r.getThrown().getMessage())
                        .containsExactly("listener bug", "cannot decode RESUME");
            }
        }
    }

    @Test
    void matchesRepliesThatComeOutOfOrder() throws Exception {
        try (ScriptedPeer peer = ScriptedPeer.unix()) {
            CompletableFuture<QmpConnection> connecting = ScriptedPeer.client(peer).connect();
            try (Session s = peer.acceptNegotiated(); QmpConnection c = connecting.get(5, TimeUnit.SECONDS)) {
                List<CompletableFuture<JsonNode>> futures = new ArrayList<>();
                List<JsonNode> requests = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    ObjectNode arguments = Json.object();
                    arguments.put("n", i);
                    futures.add(c.execute("echo", arguments));
                }
                for (int i = 0; i < 5; i++) {
                    requests.add(s.read());
                }
                assertThat(c.inFlight()).isEqualTo(5);
                // Answer backwards, ids first in some, last in others; all in one write.
                StringBuilder replies = new StringBuilder();
                for (int i = 4; i >= 0; i--) {
                    JsonNode r = requests.get(i);
                    replies.append(i % 2 == 0
                            ? "{\"id\": " + r.get("id") + ", \"return\": {\"n\": " + r.get("arguments").get("n") + "}}"
                            : "{\"return\": {\"n\": " + r.get("arguments").get("n") + "}, \"id\": " + r.get("id") + "}\r\n");
                }
                s.send(replies.toString());
                for (int i = 0; i < 5; i++) {
                    assertThat(futures.get(i).get(5, TimeUnit.SECONDS).get("n").asInt()).isEqualTo(i);
                }
                assertThat(requests).extracting(r -> r.get("id").asLong()).doesNotHaveDuplicates();
                assertThat(c.inFlight()).isZero();
            }
        }
    }

    @Test
    void readsMessagesSplitAcrossWritesAndByteByByte() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (ScriptedPeer peer = ScriptedPeer.unix()) {
            CompletableFuture<QmpConnection> connecting = ScriptedPeer.client(peer).eventListener(e -> seen.add(e.name())).connect();
            try (Session s = peer.accept()) {
                for (byte b : ScriptedPeer.GREETING_72.getBytes(StandardCharsets.UTF_8)) {
                    s.send(new byte[] {b});
                }
                JsonNode negotiation = s.read();
                s.send("{\"return\": {}, \"id\": " + negotiation.get("id") + "}");
                try (QmpConnection c = connecting.get(5, TimeUnit.SECONDS)) {
                    CompletableFuture<JsonNode> reply = c.execute("query-name", Json.object());
                    JsonNode request = s.read();
                    String text = ScriptedPeer.event("A", "{\"s\": \"}{\\\"\"}") + "{\"return\": {\"name\": \"a}b\\\"{c\"}, \"id\": " + request.get("id") + "}\r\n";
                    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                    int half = bytes.length / 2;
                    s.send(java.util.Arrays.copyOfRange(bytes, 0, half));
                    Thread.sleep(50);
                    s.send(java.util.Arrays.copyOfRange(bytes, half, bytes.length));
                    assertThat(reply.get(5, TimeUnit.SECONDS).get("name").asString()).isEqualTo("a}b\"{c");
                    assertThat(seen).containsExactly("A");
                }
            }
        }
    }

    @Test
    void errorRepliesBecomeQmpExceptionsWithTheServersClassAndText() throws Exception {
        try (ScriptedPeer peer = ScriptedPeer.unix()) {
            CompletableFuture<QmpConnection> connecting = ScriptedPeer.client(peer).connect();
            try (Session s = peer.acceptNegotiated(); QmpConnection c = connecting.get(5, TimeUnit.SECONDS)) {
                CompletableFuture<JsonNode> a = c.execute("no-such-command", Json.object());
                CompletableFuture<JsonNode> b = c.execute("future", Json.object());
                JsonNode ra = s.read();
                JsonNode rb = s.read();
                s.send("{\"id\": " + ra.get("id") + ", \"error\": {\"class\": \"CommandNotFound\", "
                        + "\"desc\": \"The command no-such-command has not been found\"}}\r\n");
                s.send("{\"id\": " + rb.get("id") + ", \"error\": {\"class\": \"SomeNewClass\", \"desc\": \"new\", "
                        + "\"extra\": 1}, \"more\": true}\r\n");
                Throwable ea = ScriptedPeer.failure(a);
                assertThat(ea).isInstanceOf(QmpException.class);
                assertThat(((QmpException) ea).error().errorClass()).isEqualTo(ErrorClass.COMMAND_NOT_FOUND);
                assertThat(((QmpException) ea).error().description()).isEqualTo("The command no-such-command has not been found");
                Throwable eb = ScriptedPeer.failure(b);
                assertThat(((QmpException) eb).error().errorClass().name()).isEqualTo("SomeNewClass");
                assertThat(((QmpException) eb).error().description()).isEqualTo("new");
            }
        }
    }

    @Test
    void toleratesUnknownMembersAndStrayMessages() throws Exception {
        try (ScriptedPeer peer = ScriptedPeer.unix()) {
            CompletableFuture<QmpConnection> connecting = ScriptedPeer.client(peer).connect();
            try (Session s = peer.acceptNegotiated(); QmpConnection c = connecting.get(5, TimeUnit.SECONDS);
                    LogCapture log = LogCapture.of(QmpConnection.class)) {
                CompletableFuture<JsonNode> reply = c.execute("query-x", Json.object());
                JsonNode r = s.read();
                s.send("{\"id\": \"not ours\", \"return\": 1}\r\n"   // an id we never sent
                        + "{\"return\": 2}\r\n"                       // no id at all
                        + "{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, expecting value\"}}\r\n"
                        + "[1, 2]\r\n"                                 // not an object
                        + "{\"something\": \"else\"}\r\n"              // neither reply nor event
                        + "{\"QMP\": {}}\r\n"                          // a second greeting
                        + "{\"return\": {\"v\": 3}, \"id\": " + r.get("id") + ", \"x-new\": {}}\r\n");
                assertThat(reply.get(5, TimeUnit.SECONDS).toString()).isEqualTo("{\"v\":3}");
                assertThat(c.isOpen()).isTrue();
                // Each stray message is dropped with a warning that shows it.
                assertThat(log.warningTexts()).hasSize(6).satisfiesExactly(
                        w -> assertThat(w).contains("matches no command waiting: {\"id\":\"not ours\",\"return\":1}"),
                        w -> assertThat(w).contains("matches no command waiting: {\"return\":2}"),
                        w -> assertThat(w).contains("matches no command waiting: {\"error\""),
                        w -> assertThat(w).contains("not an object").endsWith("[1,2]"),
                        w -> assertThat(w).contains("unknown kind").endsWith("{\"something\":\"else\"}"),
                        w -> assertThat(w).contains("second greeting").endsWith("{\"QMP\":{}}"));
            }
        }
    }
}

package org.qapi4j.qmp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qapi4j.qmp.ErrorClass;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.qmp.json.Json;
import org.qapi4j.qmp.client.ScriptedPeer.Session;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The client against a scripted peer that writes exactly the bytes each case needs. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QmpConnectionTest {

    private static QmpConnection.Builder to(ScriptedPeer peer) {
        return QmpConnection.builder().address(peer.address()).connectTimeout(Duration.ofSeconds(5));
    }

    private static Throwable failure(CompletableFuture<?> future) {
        try {
            future.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError("did not fail: " + e, e);
        }
        throw new AssertionError("completed normally");
    }

    @Test
    void readsTheGreetingAndNegotiatesWithoutOobByDefault() throws Exception {
        try (ScriptedPeer peer = ScriptedPeer.unix()) {
            CompletableFuture<QmpConnection> connecting = to(peer).connect();
            try (Session s = peer.accept()) {
                s.send(ScriptedPeer.GREETING_72);
                JsonNode negotiation = s.read();
                assertThat(negotiation.get("execute").asString()).isEqualTo("qmp_capabilities");
                assertThat(negotiation.has("arguments")).as("no oob asked for: %s", negotiation).isFalse();
                assertThat(negotiation.get("id").isIntegralNumber()).isTrue();
                assertThat(connecting).isNotDone();
                s.send("{\"return\": {}, \"id\": " + negotiation.get("id") + "}\r\n");
                try (QmpConnection c = connecting.get(5, TimeUnit.SECONDS)) {
                    assertThat(c.greeting().version()).isEqualTo("7.2.22");
                    assertThat(c.greeting().packageName()).startsWith("Debian");
                    assertThat(c.greeting().capabilities()).containsExactly("oob");
                    assertThat(c.oobEnabled()).isFalse();
                    assertThatThrownBy(() -> c.executeOob("x", null).join()).hasCauseInstanceOf(IllegalStateException.class);
                }
            }
        }
    }

    @Test
    void enablesOobWhenAskedAndOffered() throws Exception {
        try (ScriptedPeer peer = ScriptedPeer.unix()) {
            CompletableFuture<QmpConnection> connecting = to(peer).enableOob(true).connect();
            try (Session s = peer.accept()) {
                s.send(ScriptedPeer.GREETING_72);
                JsonNode negotiation = s.read();
                assertThat(negotiation.get("arguments").toString()).isEqualTo("{\"enable\":[\"oob\"]}");
                s.send("{\"return\": {}, \"id\": " + negotiation.get("id") + "}\r\n");
                QmpConnection c = connecting.get(5, TimeUnit.SECONDS);
                assertThat(c.oobEnabled()).isTrue();
                CompletableFuture<JsonNode> oob = c.executeOob("migrate-pause", null);
                JsonNode request = s.read();
                assertThat(request.get("exec-oob").asString()).isEqualTo("migrate-pause");
                assertThat(request.has("execute")).isFalse();
                s.send("{\"return\": {}, \"id\": " + request.get("id") + "}\r\n");
                assertThat(oob.get(5, TimeUnit.SECONDS).toString()).isEqualTo("{}");
                c.close();
            }
        }
    }

    @Test
    void toleratesGreetingVariants() throws Exception {
        String[] greetings = {
            // Bare: no version, no capabilities.
            "{\"QMP\": {}}",
            // A newer QEMU: more capabilities, members we do not know, no oob.
            "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 0, \"major\": 10}, \"package\": \"\", \"x\": 1}, "
                    + "\"capabilities\": [\"future-cap\"], \"extra\": [1, 2]}, \"also\": true}",
            // All on several lines, with odd whitespace.
            "\n\t {\"QMP\":\n{\"version\":{\"qemu\":{\"micro\":1,\"minor\":2,\"major\":3},\"package\":\"p\"},\"capabilities\":[]}}\n",
        };
        String[] versions = {"-1.-1.-1", "10.0.0", "3.2.1"};
        for (int i = 0; i < greetings.length; i++) {
            try (ScriptedPeer peer = ScriptedPeer.unix()) {
                CompletableFuture<QmpConnection> connecting = to(peer).enableOob(true).connect();
                try (Session s = peer.accept()) {
                    s.send(greetings[i]);
                    JsonNode negotiation = s.read();
                    assertThat(negotiation.has("arguments")).as("oob not offered: %s", negotiation).isFalse();
                    s.send("{\"id\": " + negotiation.get("id") + ", \"return\": {}}");
                    try (QmpConnection c = connecting.get(5, TimeUnit.SECONDS)) {
                        assertThat(c.greeting().version()).isEqualTo(versions[i]);
                        assertThat(c.oobEnabled()).isFalse();
                    }
                }
            }
        }
    }

    @Test
    void refusedNegotiationFailsTheConnect() throws Exception {
        try (ScriptedPeer peer = ScriptedPeer.unix()) {
            CompletableFuture<QmpConnection> connecting = to(peer).connect();
            try (Session s = peer.accept()) {
                s.send(ScriptedPeer.GREETING_72);
                JsonNode negotiation = s.read();
                s.send("{\"id\": " + negotiation.get("id") + ", \"error\": {\"class\": \"CommandNotFound\", "
                        + "\"desc\": \"Capabilities negotiation is already complete, command ignored\"}}\r\n");
                Throwable error = failure(connecting);
                assertThat(error).isInstanceOf(QmpConnectionClosedException.class)
                        .hasMessageContaining("negotiation").hasMessageContaining("already complete");
                assertThat(error.getCause()).isInstanceOf(QmpException.class);
            }
        }
    }

    @Test
    void noGreetingWithinTheConnectTimeoutFailsTheConnect() throws Exception {
        try (ScriptedPeer peer = ScriptedPeer.unix()) {
            long start = System.nanoTime();
            CompletableFuture<QmpConnection> connecting = to(peer).connectTimeout(Duration.ofMillis(300)).connect();
            try (Session s = peer.accept()) {
                Throwable error = failure(connecting);
                assertThat(error).isInstanceOf(QmpConnectionClosedException.class).hasMessageContaining("no QMP greeting");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
                assertThat(s.read()).as("the client closed the socket").isNull();
            }
        }
    }

    @Test
    void connectingToNothingFailsClearly() throws Exception {
        ScriptedPeer peer = ScriptedPeer.unix();
        peer.close(); // the socket file is gone
        Throwable error = failure(to(peer).connect());
        assertThat(error).isInstanceOf(QmpConnectionClosedException.class).hasMessageContaining("could not connect");
    }

    /**
     * A connect that fails at once may shut the connection's own event loop down before
     * connect() returns; connect() must still hand back the failed future, never throw.
     */
    @Test
    void connectingToNothingFailsClearlyEveryTime() throws Exception {
        ScriptedPeer peer = ScriptedPeer.unix();
        peer.close();
        for (int i = 0; i < 200; i++) {
            Throwable error = failure(to(peer).connect());
            assertThat(error).as("attempt %d", i).isInstanceOf(QmpConnectionClosedException.class)
                    .hasMessageContaining("could not connect");
        }
    }

    @Test
    void serverClosingBeforeTheGreetingFailsTheConnect() throws Exception {
        try (ScriptedPeer peer = ScriptedPeer.unix()) {
            CompletableFuture<QmpConnection> connecting = to(peer).connect();
            peer.accept().close();
            assertThat(failure(connecting)).isInstanceOf(QmpConnectionClosedException.class)
                    .hasMessageContaining("before its greeting");
        }
    }

    @Test
    void eventsBeforeTheGreetingAndDuringNegotiationAreDelivered() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (ScriptedPeer peer = ScriptedPeer.unix()) {
            CompletableFuture<QmpConnection> connecting = to(peer)
                    .eventListener(e -> seen.add(e.name() + e.data()))
                    .connect();
            try (Session s = peer.accept()) {
                s.send(event("EARLY", "{\"n\": 1}"));
                s.send(ScriptedPeer.GREETING_72);
                JsonNode negotiation = s.read();
                s.send(event("DURING", null));
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
            CompletableFuture<QmpConnection> connecting = to(peer)
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
                s.send(event("STOP", null) + event("X_FUTURE_EVENT", "{\"a\": [1]}")
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
            CompletableFuture<QmpConnection> connecting = to(peer)
                    .eventListener(e -> {
                        throw new IllegalStateException("listener bug");
                    })
                    .eventListener(QmpEventListener.typed((name, data) -> {
                        throw new IllegalArgumentException("cannot decode " + name);
                    }, (Object e) -> seen.add("decoded?")))
                    .eventListener(e -> seen.add(e.name()))
                    .connect();
            try (Session s = peer.acceptNegotiated(); QmpConnection c = connecting.get(5, TimeUnit.SECONDS)) {
                CompletableFuture<JsonNode> reply = c.execute("cont", Json.object());
                JsonNode request = s.read();
                s.send(event("RESUME", null) + "{\"return\": {}, \"id\": " + request.get("id") + "}");
                reply.get(5, TimeUnit.SECONDS);
                assertThat(seen).containsExactly("RESUME");
            }
        }
    }

    @Test
    void matchesRepliesThatComeOutOfOrder() throws Exception {
        try (ScriptedPeer peer = ScriptedPeer.unix()) {
            CompletableFuture<QmpConnection> connecting = to(peer).connect();
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
            CompletableFuture<QmpConnection> connecting = to(peer).eventListener(e -> seen.add(e.name())).connect();
            try (Session s = peer.accept()) {
                for (byte b : ScriptedPeer.GREETING_72.getBytes(StandardCharsets.UTF_8)) {
                    s.send(new byte[] {b});
                }
                JsonNode negotiation = s.read();
                s.send("{\"return\": {}, \"id\": " + negotiation.get("id") + "}");
                try (QmpConnection c = connecting.get(5, TimeUnit.SECONDS)) {
                    CompletableFuture<JsonNode> reply = c.execute("query-name", Json.object());
                    JsonNode request = s.read();
                    String text = event("A", "{\"s\": \"}{\\\"\"}") + "{\"return\": {\"name\": \"a}b\\\"{c\"}, \"id\": " + request.get("id") + "}\r\n";
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
            CompletableFuture<QmpConnection> connecting = to(peer).connect();
            try (Session s = peer.acceptNegotiated(); QmpConnection c = connecting.get(5, TimeUnit.SECONDS)) {
                CompletableFuture<JsonNode> a = c.execute("no-such-command", Json.object());
                CompletableFuture<JsonNode> b = c.execute("future", Json.object());
                JsonNode ra = s.read();
                JsonNode rb = s.read();
                s.send("{\"id\": " + ra.get("id") + ", \"error\": {\"class\": \"CommandNotFound\", "
                        + "\"desc\": \"The command no-such-command has not been found\"}}\r\n");
                s.send("{\"id\": " + rb.get("id") + ", \"error\": {\"class\": \"SomeNewClass\", \"desc\": \"new\", "
                        + "\"extra\": 1}, \"more\": true}\r\n");
                Throwable ea = failure(a);
                assertThat(ea).isInstanceOf(QmpException.class);
                assertThat(((QmpException) ea).error().errorClass()).isEqualTo(ErrorClass.COMMAND_NOT_FOUND);
                assertThat(((QmpException) ea).error().description()).isEqualTo("The command no-such-command has not been found");
                Throwable eb = failure(b);
                assertThat(((QmpException) eb).error().errorClass().name()).isEqualTo("SomeNewClass");
                assertThat(((QmpException) eb).error().description()).isEqualTo("new");
            }
        }
    }

    @Test
    void toleratesUnknownMembersAndStrayMessages() throws Exception {
        try (ScriptedPeer peer = ScriptedPeer.unix()) {
            CompletableFuture<QmpConnection> connecting = to(peer).connect();
            try (Session s = peer.acceptNegotiated(); QmpConnection c = connecting.get(5, TimeUnit.SECONDS)) {
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
            }
        }
    }

    @Test
    void readsReplyOfSixtyMiB() throws Exception {
        try (ScriptedPeer peer = ScriptedPeer.unix()) {
            CompletableFuture<QmpConnection> connecting = to(peer).connect();
            try (Session s = peer.acceptNegotiated(); QmpConnection c = connecting.get(5, TimeUnit.SECONDS)) {
                // Many small values (as query-qmp-schema), and one string of 30 MiB (beyond Jackson's
                // default 20 M characters).
                int entries = 600_000;
                StringBuilder body = new StringBuilder(62 << 20);
                body.append("{\"list\": [");
                for (int i = 0; i < entries; i++) {
                    body.append(i == 0 ? "" : ", ").append("{\"name\": \"").append(i).append("\", \"meta-type\": \"object\"}");
                }
                body.append("], \"big\": \"").append("x".repeat(30 << 20)).append("\"}");
                CompletableFuture<JsonNode> reply = c.execute("query-huge", Json.object());
                JsonNode r = s.read();
                byte[] bytes = ("{\"return\": " + body + ", \"id\": " + r.get("id") + "}\r\n").getBytes(StandardCharsets.UTF_8);
                assertThat(bytes.length).isBetween(50 << 20, QmpConnection.DEFAULT_MAX_MESSAGE_BYTES);
                long start = System.nanoTime();
                s.send(bytes);
                JsonNode value = reply.get(30, TimeUnit.SECONDS);
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertThat(value.get("list").size()).isEqualTo(entries);
                assertThat(value.get("big").asString()).hasSize(30 << 20);
                System.out.printf("a reply of %.1f MiB read and parsed in %d ms%n", bytes.length / 1048576.0, millis);
            }
        }
    }

    @Test
    void aMessageOverTheLimitClosesTheConnectionAndFailsWhatWaits() throws Exception {
        try (ScriptedPeer peer = ScriptedPeer.unix()) {
            CompletableFuture<QmpConnection> connecting = to(peer).maxMessageBytes(64 * 1024).connect();
            try (Session s = peer.acceptNegotiated(); QmpConnection c = connecting.get(5, TimeUnit.SECONDS)) {
                CompletableFuture<JsonNode> reply = c.execute("query-huge", Json.object());
                JsonNode r = s.read();
                s.send("{\"return\": \"" + "y".repeat(100_000) + "\", \"id\": " + r.get("id") + "}\r\n");
                Throwable error = failure(reply);
                assertThat(error).isInstanceOf(QmpConnectionClosedException.class)
                        .hasMessageContaining("query-huge").hasMessageContaining("exceeded");
                c.closeFuture().get(5, TimeUnit.SECONDS);
                assertThat(c.isOpen()).isFalse();
            }
        }
    }

    @Test
    void serverClosingMidRequestFailsEveryCommandInFlight() throws Exception {
        try (ScriptedPeer peer = ScriptedPeer.unix()) {
            CompletableFuture<QmpConnection> connecting = to(peer).connect();
            Session s = peer.acceptNegotiated();
            try (QmpConnection c = connecting.get(5, TimeUnit.SECONDS)) {
                CompletableFuture<JsonNode> a = c.execute("quit", Json.object());
                CompletableFuture<JsonNode> b = c.execute("query-status", Json.object());
                s.read();
                s.send("{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, \"event\": \"SHUTDOWN\", \"data\": {\"guest\": false}}\r\n");
                s.close();
                Throwable ea = failure(a);
                assertThat(ea).isInstanceOf(QmpConnectionClosedException.class)
                        .hasMessageContaining("'quit'").hasMessageContaining("the server closed the connection");
                assertThat(failure(b)).isInstanceOf(QmpConnectionClosedException.class).hasMessageContaining("'query-status'");
                c.closeFuture().get(5, TimeUnit.SECONDS);
                assertThat(c.closeCause()).hasMessageStartingWith("the server closed the connection");
                assertThat(failure(c.execute("query-status", Json.object())))
                        .isInstanceOf(QmpConnectionClosedException.class).hasMessageContaining("not sent");
            }
        }
    }

    @Test
    void aCommandWithoutReplyTimesOutAndTheConnectionGoesOn() throws Exception {
        try (ScriptedPeer peer = ScriptedPeer.unix()) {
            CompletableFuture<QmpConnection> connecting = to(peer).commandTimeout(Duration.ofMillis(200)).connect();
            try (Session s = peer.acceptNegotiated(); QmpConnection c = connecting.get(5, TimeUnit.SECONDS)) {
                long start = System.nanoTime();
                CompletableFuture<JsonNode> slow = c.execute("slow", Json.object());
                JsonNode r = s.read();
                Throwable error = failure(slow);
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertThat(error).isInstanceOf(QmpTimeoutException.class).hasMessageContaining("'slow'").hasMessageContaining("200 ms");
                assertThat(millis).isBetween(150L, 3000L);
                assertThat(c.inFlight()).isZero();
                // Its late reply is dropped; the next command works.
                CompletableFuture<JsonNode> next = c.execute("fast", Json.object(), Duration.ofSeconds(5));
                s.send("{\"return\": \"late\", \"id\": " + r.get("id") + "}\r\n");
                s.answer("\"ok\"");
                assertThat(next.get(5, TimeUnit.SECONDS).asString()).isEqualTo("ok");
            }
        }
    }

    @Test
    void refusesMoreCommandsThanMaxInFlight() throws Exception {
        try (ScriptedPeer peer = ScriptedPeer.unix()) {
            CompletableFuture<QmpConnection> connecting = to(peer).maxInFlight(2).connect();
            try (Session s = peer.acceptNegotiated(); QmpConnection c = connecting.get(5, TimeUnit.SECONDS)) {
                CompletableFuture<JsonNode> a = c.execute("a", Json.object());
                CompletableFuture<JsonNode> b = c.execute("b", Json.object());
                assertThat(failure(c.execute("c", Json.object()))).isInstanceOf(QmpClientException.class)
                        .hasMessageContaining("2 commands are already waiting");
                s.answer("1");
                a.get(5, TimeUnit.SECONDS);
                CompletableFuture<JsonNode> d = c.execute("d", Json.object());
                s.answer("2");
                s.answer("3");
                assertThat(b.get(5, TimeUnit.SECONDS).asInt()).isEqualTo(2);
                assertThat(d.get(5, TimeUnit.SECONDS).asInt()).isEqualTo(3);
            }
        }
    }

    @Test
    void closingFailsWhatWaitsAndIsIdempotent() throws Exception {
        try (ScriptedPeer peer = ScriptedPeer.unix()) {
            CompletableFuture<QmpConnection> connecting = to(peer).connect();
            try (Session s = peer.acceptNegotiated()) {
                QmpConnection c = connecting.get(5, TimeUnit.SECONDS);
                CompletableFuture<JsonNode> waiting = c.execute("query-status", Json.object());
                s.read();
                c.close();
                c.close();
                assertThat(failure(waiting)).isInstanceOf(QmpConnectionClosedException.class)
                        .hasMessageContaining("the client closed the connection");
                assertThat(c.closeFuture()).isDone();
                assertThat(s.read()).as("the peer sees the socket close").isNull();
            }
        }
    }

    @Test
    void withoutReplyCompletesOnceWritten() throws Exception {
        try (ScriptedPeer peer = ScriptedPeer.unix()) {
            CompletableFuture<QmpConnection> connecting = to(peer).connect();
            try (Session s = peer.acceptNegotiated(); QmpConnection c = connecting.get(5, TimeUnit.SECONDS)) {
                c.executeWithoutReply("x-oob-test", Json.object()).get(5, TimeUnit.SECONDS);
                assertThat(s.read().get("execute").asString()).isEqualTo("x-oob-test");
                assertThat(c.inFlight()).isZero();
            }
        }
    }

    @Test
    void blockingClientWaitsThrowsTheServersErrorAndRefusesItsOwnCallbackThread() throws Exception {
        try (ScriptedPeer peer = ScriptedPeer.tcp()) {
            CompletableFuture<Throwable> fromListener = new CompletableFuture<>();
            QmpBlockingClient[] holder = new QmpBlockingClient[1];
            Thread client = new Thread(() -> {
                holder[0] = QmpBlockingClient.connect(to(peer).eventListener(e -> {
                    try {
                        holder[0].execute("query-status");
                        fromListener.complete(null);
                    } catch (Throwable t) {
                        fromListener.complete(t);
                    }
                }));
            });
            client.start();
            try (Session s = peer.acceptNegotiated()) {
                client.join(5000);
                QmpBlockingClient qmp = holder[0];
                assertThat(qmp.greeting().version()).isEqualTo("7.2.22");
                CompletableFuture<JsonNode> ok = CompletableFuture.supplyAsync(() -> qmp.execute("query-name"));
                s.answer("{\"name\": \"vm\"}");
                assertThat(ok.get(5, TimeUnit.SECONDS).get("name").asString()).isEqualTo("vm");

                CompletableFuture<JsonNode> bad = CompletableFuture.supplyAsync(() -> qmp.execute("migrate",
                        (ObjectNode) Json.parse("{\"uri\": \"bogus:xyz\"}")));
                JsonNode r = s.read();
                s.send("{\"id\": " + r.get("id") + ", \"error\": {\"class\": \"GenericError\", "
                        + "\"desc\": \"Parameter 'uri' expects a valid migration protocol\"}}\r\n");
                assertThat(failure(bad)).isInstanceOf(QmpException.class)
                        .hasMessage("GenericError: Parameter 'uri' expects a valid migration protocol");

                s.send(event("STOP", null));
                assertThat(fromListener.get(5, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("callback thread");
                qmp.close();
            }
        }
    }

    @Test
    void callbacksOnTheEventLoopKeepTheOrder() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (ScriptedPeer peer = ScriptedPeer.tcp()) {
            CompletableFuture<QmpConnection> connecting = to(peer).callbacksOnEventLoop(true)
                    .eventListener(e -> seen.add(e.name())).connect();
            try (Session s = peer.acceptNegotiated(); QmpConnection c = connecting.get(5, TimeUnit.SECONDS)) {
                CompletableFuture<List<String>> reply = c.execute("stop", Json.object()).thenApply(r -> List.copyOf(seen));
                JsonNode r = s.read();
                s.send(event("STOP", null) + "{\"return\": {}, \"id\": " + r.get("id") + "}");
                assertThat(reply.get(5, TimeUnit.SECONDS)).containsExactly("STOP");
            }
        }
    }

    private static String event(String name, String data) {
        return "{\"timestamp\": {\"seconds\": 1700000000, \"microseconds\": 123456}, \"event\": \"" + name + "\""
                + (data == null ? "" : ", \"data\": " + data) + "}\r\n";
    }
}

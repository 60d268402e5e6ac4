package org.qapi4j.qmp.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.qmp.client.ScriptedPeer.Session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import tools.jackson.databind.JsonNode;

/** The client's connect: greeting, negotiation, and every way they can fail; against a scripted peer. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QmpConnectionHandshakeTest {

    @Test
    void readsTheGreetingAndNegotiatesWithoutOobByDefault() throws Exception {
        try (ScriptedPeer peer = ScriptedPeer.unix()) {
            CompletableFuture<QmpConnection> connecting = ScriptedPeer.client(peer).connect();
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
            CompletableFuture<QmpConnection> connecting = ScriptedPeer.client(peer).enableOob(true).connect();
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
                CompletableFuture<QmpConnection> connecting = ScriptedPeer.client(peer).enableOob(true).connect();
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
            CompletableFuture<QmpConnection> connecting = ScriptedPeer.client(peer).connect();
            try (Session s = peer.accept()) {
                s.send(ScriptedPeer.GREETING_72);
                JsonNode negotiation = s.read();
                s.send("{\"id\": " + negotiation.get("id") + ", \"error\": {\"class\": \"CommandNotFound\", "
                        + "\"desc\": \"Capabilities negotiation is already complete, command ignored\"}}\r\n");
                Throwable error = ScriptedPeer.failure(connecting);
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
            CompletableFuture<QmpConnection> connecting = ScriptedPeer.client(peer).connectTimeout(Duration.ofMillis(300)).connect();
            try (Session s = peer.accept()) {
                Throwable error = ScriptedPeer.failure(connecting);
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
        Throwable error = ScriptedPeer.failure(ScriptedPeer.client(peer).connect());
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
            Throwable error = ScriptedPeer.failure(ScriptedPeer.client(peer).connect());
            assertThat(error).as("attempt %d", i).isInstanceOf(QmpConnectionClosedException.class)
                    .hasMessageContaining("could not connect");
        }
    }

    @Test
    void serverClosingBeforeTheGreetingFailsTheConnect() throws Exception {
        try (ScriptedPeer peer = ScriptedPeer.unix()) {
            CompletableFuture<QmpConnection> connecting = ScriptedPeer.client(peer).connect();
            peer.accept().close();
            assertThat(ScriptedPeer.failure(connecting)).isInstanceOf(QmpConnectionClosedException.class)
                    .hasMessageContaining("before its greeting");
        }
    }
}

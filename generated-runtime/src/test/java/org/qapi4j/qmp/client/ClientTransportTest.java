package org.qapi4j.qmp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.qapi4j.qmp.client.ScriptedPeer.Session;
import org.qapi4j.qmp.json.Json;
import org.qapi4j.qmp.transport.Transport;
import tools.jackson.databind.JsonNode;

/** The client runs on the transport chosen for the server, or on the one its shared group runs. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientTransportTest {

    @Test
    void ownEventLoopRunsTheBestTransport() throws Exception {
        try (ScriptedPeer peer = ScriptedPeer.unix()) {
            try (QmpConnection c = negotiate(peer, QmpConnection.builder().address(peer.address()))) {
                assertThat(c.transport()).isEqualTo(Transport.best());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aSharedGroupDecidesTheTransportOnUnixAndTcp(Transport transport) throws Exception {
        assumeTrue(transport == Transport.NIO || Transport.best() == Transport.EPOLL);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, transport.ioHandlerFactory());
        try {
            for (boolean unix : new boolean[] {true, false}) {
                try (ScriptedPeer peer = unix ? ScriptedPeer.unix() : ScriptedPeer.tcp()) {
                    QmpConnection.Builder builder = QmpConnection.builder().address(peer.address()).eventLoopGroup(group);
                    try (QmpConnection c = negotiate(peer, builder)) {
                        assertThat(c.transport()).isEqualTo(transport);
                    }
                }
            }
            assertThat(group.isShuttingDown()).as("a shared group is left running").isFalse();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Connects, negotiates and runs one command through the peer. */
    private static QmpConnection negotiate(ScriptedPeer peer, QmpConnection.Builder builder) throws Exception {
        CompletableFuture<QmpConnection> connecting = builder.connectTimeout(Duration.ofSeconds(5)).connect();
        try (Session s = peer.accept()) {
            s.send(ScriptedPeer.GREETING_72);
            JsonNode negotiation = s.read();
            s.send("{\"return\": {}, \"id\": " + negotiation.get("id") + "}\r\n");
            QmpConnection c = connecting.get(5, TimeUnit.SECONDS);
            CompletableFuture<JsonNode> status = c.execute("query-status", Json.object());
            JsonNode request = s.read();
            s.send("{\"return\": {\"status\": \"running\"}, \"id\": " + request.get("id") + "}\r\n");
            assertThat(status.get(5, TimeUnit.SECONDS).get("status").asString()).isEqualTo("running");
            return c;
        }
    }
}

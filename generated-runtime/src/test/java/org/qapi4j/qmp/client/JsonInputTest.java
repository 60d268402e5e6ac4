package org.qapi4j.qmp.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.qapi4j.qmp.wire.JsonMessage;

/** The input seam on an {@link EmbeddedChannel}: what the connection's handler receives. */
class JsonInputTest {
    @Test
    void splitsQemuOutputIntoMessages() {
        EmbeddedChannel channel = new EmbeddedChannel();
        JsonInput.install(channel.pipeline(), 1 << 20);
        channel.writeInbound(Unpooled.copiedBuffer(ScriptedPeer.GREETING_72
                + "{\"return\": {}, \"id\": 0}\r\n{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, \"event\": \"STOP\"}\r\n{\"return\": {\"a\": \"}{\\\"\"},",
                StandardCharsets.UTF_8));
        channel.writeInbound(Unpooled.copiedBuffer(" \"id\": 1}\r\n", StandardCharsets.UTF_8));
        JsonMessage first = channel.readInbound();
        assertThat(((JsonMessage.Value) first).json().path("QMP").path("version").path("qemu").path("minor").asInt()).isEqualTo(2);
        assertThat(((JsonMessage.Value) channel.readInbound()).json().toString()).isEqualTo("{\"return\":{},\"id\":0}");
        assertThat(((JsonMessage.Value) channel.readInbound()).json().get("event").asString()).isEqualTo("STOP");
        assertThat(((JsonMessage.Value) channel.readInbound()).json().toString()).isEqualTo("{\"return\":{\"a\":\"}{\\\"\"},\"id\":1}");
        Object rest = channel.readInbound();
        assertThat(rest).isNull();
    }
}

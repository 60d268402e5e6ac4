package org.qapi4j.qmp.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.codec.json.JsonObjectDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.qapi4j.qmp.wire.JsonMessage;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where the client's input becomes {@link JsonMessage}s.
 *
 * <p>Unlike the server, which must answer any byte stream exactly as QEMU does and so runs
 * {@link org.qapi4j.qmp.wire.QmpJsonDecoder}, the client only ever reads what a QMP server
 * writes: well-formed JSON objects, one per line. Netty's {@link JsonObjectDecoder} splits
 * them by bracket balance and Jackson parses each piece, which is the library doing the job
 * well. A server that sends something that is not JSON is broken; the client then closes the
 * connection, failing what is in flight with the cause, rather than guessing.
 */
final class JsonInput {
    /**
     * Jackson with QEMU's limits rather than its own defaults: strings up to a whole message,
     * nesting as deep as QEMU allows.
     */
    static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxStringLength(Integer.MAX_VALUE)
                            .maxNameLength(Integer.MAX_VALUE)
                            .maxNestingDepth(1024 + 1)
                            .maxDocumentLength(-1)
                            .build())
                    .build())
            .build();

    private JsonInput() {}

    /** Adds the handlers that turn bytes into {@link JsonMessage}s to the end of {@code pipeline}. */
    static void install(ChannelPipeline pipeline, int maxMessageBytes) {
        pipeline.addLast("qmp-framing", new JsonObjectDecoder(maxMessageBytes));
        pipeline.addLast("qmp-parse", new Parse());
    }

    /** Parses one framed value. */
    private static final class Parse extends MessageToMessageDecoder<ByteBuf> {
        Parse() {
            super(ByteBuf.class);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
            try (InputStream in = new ByteBufInputStream(frame)) {
                out.add(new JsonMessage.Value(MAPPER.readTree(in)));
            } catch (JacksonException e) {
                out.add(new JsonMessage.ParseError("JSON parse error, " + e.getOriginalMessage()));
            } catch (IOException e) {
                throw new IllegalStateException(e); // a ByteBufInputStream does not fail to close
            }
        }
    }
}

package org.qapi4j.qmp.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * QEMU's QMP input parsing without a socket: bytes in, {@link JsonMessage}s out, exactly as
 * {@link QmpJsonDecoder} turns a connection's bytes into messages (same lexer, streamer and
 * parser), for monitors that are not on a socket. Input may be split anywhere; a message that
 * spans two calls comes out of the second. Not thread-safe.
 */
public final class QmpInputParser {
    private final JsonStreamer streamer = new JsonStreamer();
    private final JsonLexer lexer = new JsonLexer(streamer);

    /** The messages that {@code bytes[offset..offset+length)} completes, in input order. */
    public List<JsonMessage> feed(byte[] bytes, int offset, int length) {
        List<Object> out = new ArrayList<>();
        streamer.output(out);
        try {
            lexer.feed(bytes, offset, length);
        } finally {
            streamer.output(null);
        }
        List<JsonMessage> messages = new ArrayList<>(out.size());
        for (Object message : out) {
            messages.add((JsonMessage) message);
        }
        return messages;
    }

    /** {@link #feed(byte[], int, int)} of all of {@code bytes}. */
    public List<JsonMessage> feed(byte[] bytes) {
        return feed(bytes, 0, bytes.length);
    }
}

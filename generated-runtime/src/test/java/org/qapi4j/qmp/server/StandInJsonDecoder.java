package org.qapi4j.qmp.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import java.util.function.Supplier;
import org.qapi4j.qmp.json.Json;
import org.qapi4j.qmp.wire.JsonMessage;

/**
 * A stand-in for the real input decoder ({@code org.qapi4j.qmp.wire.QmpJsonDecoder}) while it
 * is being written: splits the input into top-level JSON values by bracket balance (outside
 * strings), as QEMU's streamer does, and parses each with Jackson. Its parse errors are not
 * QEMU's texts; transcripts that need them run only with the real decoder.
 */
final class StandInJsonDecoder extends ByteToMessageDecoder {
    private static final String REAL = "org.qapi4j.qmp.wire.QmpJsonDecoder";

    /** The real decoder when it is on the class path, else this stand-in. */
    static Supplier<ChannelHandler> best() {
        if (realAvailable()) {
            return () -> {
                try {
                    return (ChannelHandler) Class.forName(REAL).getConstructor().newInstance();
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            };
        }
        return StandInJsonDecoder::new;
    }

    static boolean realAvailable() {
        try {
            Class.forName(REAL);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (true) {
            int start = in.readerIndex();
            int end = in.writerIndex();
            int i = start;
            while (i < end && isSpace(in.getByte(i))) {
                i++;
            }
            if (i == end) {
                in.readerIndex(end);
                return;
            }
            in.readerIndex(i);
            int stop = scan(in, i, end);
            if (stop < 0) {
                return; // incomplete
            }
            byte[] text = new byte[stop - i];
            in.readBytes(text);
            try {
                out.add(new JsonMessage.Value(Json.mapper().readTree(text)));
            } catch (RuntimeException e) {
                String message = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
                out.add(new JsonMessage.ParseError("JSON parse error, " + message));
            }
        }
    }

    /** The end (exclusive) of the value starting at {@code i}, or -1 when it is incomplete. */
    private static int scan(ByteBuf in, int i, int end) {
        byte first = in.getByte(i);
        if (first == '{' || first == '[') {
            int depth = 0;
            boolean inString = false;
            for (int j = i; j < end; j++) {
                byte b = in.getByte(j);
                if (inString) {
                    if (b == '\\') {
                        j++;
                    } else if (b == '"') {
                        inString = false;
                    }
                } else if (b == '"') {
                    inString = true;
                } else if (b == '{' || b == '[') {
                    depth++;
                } else if (b == '}' || b == ']') {
                    if (--depth == 0) {
                        return j + 1;
                    }
                }
            }
            return -1;
        }
        if (first == '"') {
            for (int j = i + 1; j < end; j++) {
                byte b = in.getByte(j);
                if (b == '\\') {
                    j++;
                } else if (b == '"') {
                    return j + 1;
                }
            }
            return -1;
        }
        if (first == '}' || first == ']' || first == ',' || first == ':') {
            return i + 1;
        }
        for (int j = i; j < end; j++) {
            byte b = in.getByte(j);
            if (isSpace(b) || b == '{' || b == '[' || b == '}' || b == ']' || b == ',' || b == ':' || b == '"') {
                return j;
            }
        }
        return -1;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }
}

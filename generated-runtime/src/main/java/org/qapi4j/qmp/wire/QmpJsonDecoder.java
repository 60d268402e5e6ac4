package org.qapi4j.qmp.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits and parses a QMP input byte stream exactly as QEMU 7.2's monitor does
 * ({@code qobject/json-lexer.c}, {@code json-streamer.c}, {@code json-parser.c}), emitting one
 * {@link JsonMessage} per top-level value or error, in input order.
 *
 * <h2>What QEMU does, and so do we</h2>
 *
 * <ul>
 *   <li><b>Lexer.</b> RFC 8259 tokens plus QEMU's extensions: single-quoted strings and the
 *       {@code \'} escape. Keywords are lexed as {@code [a-z]+} and checked by the parser.
 *       Interpolation ({@code %d} ...) is off for QMP, so {@code %} is a stray character.
 *   <li><b>Lexical error</b> (a byte no token can start with or continue with: control
 *       characters in strings, {@code 01}, {@code -x}, {@code 1.}, bytes 0xFE/0xFF, ...): the
 *       token so far, including the offending byte, is reported as
 *       {@code JSON parse error, stray '<token>'} and everything collected for the current
 *       message is dropped. The lexer then skips input until a structural character
 *       {@code {}[]:,}, an ASCII control character other than tab, or byte 0xFE/0xFF, and lexes
 *       that character afresh.
 *   <li><b>Framing.</b> Tokens are collected while more {@code {} / [} than {@code } / ]} have
 *       been seen (counted separately, never going negative); when both counts are back to
 *       zero, or either goes negative, the tokens collected are parsed as one value. A scalar
 *       at top level is a value by itself. The first parse error found wins.
 *   <li><b>Limits.</b> More than 64 MiB of tokens in one message, more than 2 Mi tokens,
 *       nesting deeper than 1024, or one token longer than 64 MiB: one error
 *       ({@code JSON token size limit exceeded}, {@code JSON token count limit exceeded},
 *       {@code JSON nesting depth limit exceeded}); the message collected so far is dropped and
 *       the rest of the input is read as new messages. The connection survives.
 *   <li><b>Numbers</b>: int64 → long node; larger positive integers fitting uint64 →
 *       BigInteger node; anything else (fraction, exponent, overflow) → double node
 *       ({@code 1e999} is +Infinity, as with strtod).
 *   <li><b>Strings</b> are validated as QEMU does (modified UTF-8: {@code C0 80} is U+0000;
 *       surrogates, noncharacters such as U+FFFE and U+FDD0, overlong forms and code points
 *       beyond U+10FFFF are rejected; so is any {@code \\u} escape that names one, except that
 *       {@code \\u0000} is accepted).
 *   <li>End of stream: whatever is pending is discarded, as QEMU resets its parser when the
 *       client disconnects.
 * </ul>
 *
 * <p>Resynchronisation: after a byte 0xFF (or 0xFE, or any ASCII control character other than
 * tab, CR and LF) the decoder is always in a clean state with nothing pending: that byte always
 * ends in a {@code stray} error, and what follows is parsed as a new message.
 *
 * <p>The work is split as in QEMU: {@code JsonLexer} cuts bytes into tokens,
 * {@code JsonStreamer} frames them into messages and enforces the limits, and
 * {@code JsonTreeParser} (with {@code JsonTokenValues} for scalars) builds each value while
 * its tokens arrive; this class feeds them Netty's buffers.
 *
 * <p>Not thread-safe; one instance per channel (not {@code @Sharable}).
 */
public final class QmpJsonDecoder extends ByteToMessageDecoder {

    static final int MAX_TOKEN_SIZE = 64 << 20;
    static final int MAX_TOKEN_COUNT = 2 << 20;
    static final int MAX_NESTING = 1 << 10;

    private final JsonStreamer streamer = new JsonStreamer();
    private final JsonLexer lexer = new JsonLexer(streamer);
    /** Scratch space for input bytes when the buffer has no accessible array. */
    private byte[] chunk;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        streamer.output(out);
        try {
            int start = in.readerIndex();
            int n = in.readableBytes();
            if (in.hasArray()) {
                lexer.feed(in.array(), in.arrayOffset() + start, n);
            } else {
                if (chunk == null) {
                    chunk = new byte[8192];
                }
                for (int done = 0; done < n; ) {
                    int len = Math.min(chunk.length, n - done);
                    in.getBytes(start + done, chunk, 0, len);
                    lexer.feed(chunk, 0, len);
                    done += len;
                }
            }
            in.skipBytes(n);
        } finally {
            streamer.output(null);
        }
    }

    /** QEMU discards a half-read message when the client goes away; so do we. */
    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        in.skipBytes(in.readableBytes());
    }
}

package org.qapi4j.qmp.wire;

import static org.qapi4j.qmp.wire.JsonLexer.ERROR;
import static org.qapi4j.qmp.wire.JsonLexer.T_LCURLY;
import static org.qapi4j.qmp.wire.JsonLexer.T_LSQUARE;
import static org.qapi4j.qmp.wire.JsonLexer.T_RCURLY;
import static org.qapi4j.qmp.wire.JsonLexer.T_RSQUARE;

import java.util.List;

/**
 * QEMU's JSON streamer ({@code qobject/json-streamer.c}): decides where one message ends, by
 * counting brackets, and enforces the limits on a message, passing each token on to the
 * {@link JsonTreeParser} as it comes.
 *
 * <p>Framing: tokens are collected while more {@code {} / [} than {@code } / ]} have been seen
 * (counted separately, never going negative); when both counts are back to zero, or either
 * goes negative, what was collected is one message. A scalar at top level is a message by
 * itself. A lexical error, or a message over a limit, drops what was collected and is a
 * message of its own. Not thread-safe.
 */
final class JsonStreamer {
    private final JsonTreeParser parser = new JsonTreeParser();
    private int braceCount;
    private int bracketCount;
    private long tokenSize;
    private int tokenCount;

    /** Where messages go; only set while the decoder feeds input. */
    private List<Object> out;

    void output(List<Object> out) {
        this.out = out;
    }

    /** One token from the lexer: {@code type}, and its text in {@code token[0..len)}. */
    void token(int type, byte[] token, int len) {
        switch (type) {
            case T_LCURLY -> braceCount++;
            case T_RCURLY -> braceCount--;
            case T_LSQUARE -> bracketCount++;
            case T_RSQUARE -> bracketCount--;
            case ERROR -> {
                emitError("JSON parse error, stray '" + ModifiedUtf8.render(token, 0, len) + "'");
                return;
            }
            default -> {}
        }
        // Security limits: total size, token count, nesting.
        if (tokenSize + len + 1 > QmpJsonDecoder.MAX_TOKEN_SIZE) {
            emitError("JSON token size limit exceeded");
            return;
        }
        if (tokenCount + 1 > QmpJsonDecoder.MAX_TOKEN_COUNT) {
            emitError("JSON token count limit exceeded");
            return;
        }
        if (bracketCount + braceCount > QmpJsonDecoder.MAX_NESTING) {
            emitError("JSON nesting depth limit exceeded");
            return;
        }
        tokenSize += len;
        tokenCount++;
        parser.token(type, token, len);
        if ((braceCount > 0 || bracketCount > 0) && braceCount >= 0 && bracketCount >= 0) {
            return;
        }
        JsonMessage message = parser.message();
        resetMessage();
        out.add(message);
    }

    private void emitError(String description) {
        resetMessage();
        out.add(new JsonMessage.ParseError(description));
    }

    private void resetMessage() {
        braceCount = 0;
        bracketCount = 0;
        tokenSize = 0;
        tokenCount = 0;
        parser.reset();
    }
}

package org.qapi4j.qmp.wire;

import java.util.Arrays;

/**
 * QEMU's JSON lexer ({@code qobject/json-lexer.c}): a table-driven state machine that cuts
 * bytes into tokens and hands each to the {@link JsonStreamer}, errors included.
 *
 * <p>RFC 8259 tokens plus QEMU's extensions: single-quoted strings and the {@code \'} escape.
 * Keywords are lexed as {@code [a-z]+} and checked by the parser. Interpolation ({@code %d}
 * ...) is off for QMP, so {@code %} is a stray character. After a lexical error the lexer
 * skips input until a structural character {@code {}[]:,}, an ASCII control character other
 * than tab, or byte 0xFE/0xFF, and lexes that character afresh. A token longer than
 * {@link QmpJsonDecoder#MAX_TOKEN_SIZE} is cut off and handed on as {@link #T_OVERSIZED}.
 *
 * <p>The state and token numbers share one space, as in QEMU: a table entry at or above
 * {@link #T_LCURLY} is a finished token. Not thread-safe.
 */
final class JsonLexer {
    // ---- lexer states (0 is the error "state", as in QEMU) ----
    static final int ERROR = 0;
    private static final int IN_RECOVERY = 1;
    private static final int IN_DQ_STRING_ESCAPE = 2;
    private static final int IN_DQ_STRING = 3;
    private static final int IN_SQ_STRING_ESCAPE = 4;
    private static final int IN_SQ_STRING = 5;
    private static final int IN_ZERO = 6;
    private static final int IN_EXP_DIGITS = 7;
    private static final int IN_EXP_SIGN = 8;
    private static final int IN_EXP_E = 9;
    private static final int IN_MANTISSA = 10;
    private static final int IN_MANTISSA_DIGITS = 11;
    private static final int IN_DIGITS = 12;
    private static final int IN_SIGN = 13;
    private static final int IN_KEYWORD = 14;
    private static final int IN_START = 15;
    private static final int STATE_COUNT = 16;

    // ---- token types ----
    static final int T_LCURLY = 16;
    static final int T_RCURLY = 17;
    static final int T_LSQUARE = 18;
    static final int T_RSQUARE = 19;
    static final int T_COLON = 20;
    static final int T_COMMA = 21;
    static final int T_INTEGER = 22;
    static final int T_FLOAT = 23;
    static final int T_KEYWORD = 24;
    static final int T_STRING = 25;
    /** A token cut off by the lexer's size limit: the streamer rejects it by size. */
    static final int T_OVERSIZED = 26;

    private static final int LOOKAHEAD = 0x80;

    /** The lexer's transition table: [state][byte] → next state or token, | LOOKAHEAD. */
    private static final byte[][] LEXER = buildLexer();

    private static byte[][] buildLexer() {
        byte[][] t = new byte[STATE_COUNT][256]; // default: ERROR

        // Error recovery: skip until structural, control (except tab), 0xFE/0xFF.
        byte[] r = t[IN_RECOVERY];
        fill(r, 0x00, 0x1F, IN_START | LOOKAHEAD);
        fill(r, 0x20, 0xFD, IN_RECOVERY);
        fill(r, 0xFE, 0xFF, IN_START | LOOKAHEAD);
        r['\t'] = IN_RECOVERY;
        for (char c : "[]{}:,".toCharArray()) {
            r[c] = (byte) (IN_START | LOOKAHEAD);
        }

        fill(t[IN_DQ_STRING_ESCAPE], 0x20, 0xFD, IN_DQ_STRING);
        fill(t[IN_DQ_STRING], 0x20, 0xFD, IN_DQ_STRING);
        t[IN_DQ_STRING]['\\'] = IN_DQ_STRING_ESCAPE;
        t[IN_DQ_STRING]['"'] = T_STRING;

        fill(t[IN_SQ_STRING_ESCAPE], 0x20, 0xFD, IN_SQ_STRING);
        fill(t[IN_SQ_STRING], 0x20, 0xFD, IN_SQ_STRING);
        t[IN_SQ_STRING]['\\'] = IN_SQ_STRING_ESCAPE;
        t[IN_SQ_STRING]['\''] = T_STRING;

        fill(t[IN_ZERO], 0, 0xFF, T_INTEGER | LOOKAHEAD);
        fill(t[IN_ZERO], '0', '9', ERROR);
        t[IN_ZERO]['.'] = IN_MANTISSA;

        fill(t[IN_EXP_DIGITS], 0, 0xFF, T_FLOAT | LOOKAHEAD);
        fill(t[IN_EXP_DIGITS], '0', '9', IN_EXP_DIGITS);

        fill(t[IN_EXP_SIGN], '0', '9', IN_EXP_DIGITS);

        t[IN_EXP_E]['-'] = IN_EXP_SIGN;
        t[IN_EXP_E]['+'] = IN_EXP_SIGN;
        fill(t[IN_EXP_E], '0', '9', IN_EXP_DIGITS);

        fill(t[IN_MANTISSA_DIGITS], 0, 0xFF, T_FLOAT | LOOKAHEAD);
        fill(t[IN_MANTISSA_DIGITS], '0', '9', IN_MANTISSA_DIGITS);
        t[IN_MANTISSA_DIGITS]['e'] = IN_EXP_E;
        t[IN_MANTISSA_DIGITS]['E'] = IN_EXP_E;

        fill(t[IN_MANTISSA], '0', '9', IN_MANTISSA_DIGITS);

        fill(t[IN_DIGITS], 0, 0xFF, T_INTEGER | LOOKAHEAD);
        fill(t[IN_DIGITS], '0', '9', IN_DIGITS);
        t[IN_DIGITS]['e'] = IN_EXP_E;
        t[IN_DIGITS]['E'] = IN_EXP_E;
        t[IN_DIGITS]['.'] = IN_MANTISSA;

        t[IN_SIGN]['0'] = IN_ZERO;
        fill(t[IN_SIGN], '1', '9', IN_DIGITS);

        fill(t[IN_KEYWORD], 0, 0xFF, T_KEYWORD | LOOKAHEAD);
        fill(t[IN_KEYWORD], 'a', 'z', IN_KEYWORD);

        byte[] s = t[IN_START];
        s['"'] = IN_DQ_STRING;
        s['\''] = IN_SQ_STRING;
        s['0'] = IN_ZERO;
        fill(s, '1', '9', IN_DIGITS);
        s['-'] = IN_SIGN;
        s['{'] = T_LCURLY;
        s['}'] = T_RCURLY;
        s['['] = T_LSQUARE;
        s[']'] = T_RSQUARE;
        s[','] = T_COMMA;
        s[':'] = T_COLON;
        fill(s, 'a', 'z', IN_KEYWORD);
        s[' '] = IN_START;
        s['\t'] = IN_START;
        s['\r'] = IN_START;
        s['\n'] = IN_START;
        return t;
    }

    private static void fill(byte[] row, int from, int to, int value) {
        Arrays.fill(row, from, to + 1, (byte) value);
    }

    private static final int INITIAL_TOKEN_CAPACITY = 256;
    /** A larger token buffer is dropped after use: a connection keeps no huge buffer. */
    static final int RETAINED_TOKEN_CAPACITY = 64 << 10;

    private final JsonStreamer streamer;
    private int lexState = IN_START;
    private byte[] token = new byte[INITIAL_TOKEN_CAPACITY];
    private int tokenLen;

    JsonLexer(JsonStreamer streamer) {
        this.streamer = streamer;
    }

    void feed(byte[] buf, int off, int len) {
        byte[][] table = LEXER;
        int end = off + len;
        for (int i = off; i < end; i++) {
            int ch = buf[i] & 0xFF;
            int state = lexState;
            // Fast path: ordinary string content, most of the bytes of a typical message.
            if (state == IN_DQ_STRING && ch >= 0x20 && ch != '"' && ch != '\\' && ch <= 0xFD) {
                appendToken(ch);
                if (tokenLen > QmpJsonDecoder.MAX_TOKEN_SIZE) {
                    oversized();
                }
                continue;
            }
            boolean consumed;
            do {
                int next = table[state][ch] & 0xFF;
                consumed = (next & LOOKAHEAD) == 0;
                next &= ~LOOKAHEAD;
                if (consumed) {
                    appendToken(ch);
                }
                if (next >= T_LCURLY) {
                    streamer.token(next, token, tokenLen);
                    clearToken();
                    state = IN_START;
                } else if (next == IN_START) {
                    tokenLen = 0;
                    state = IN_START;
                } else if (next == ERROR) {
                    streamer.token(ERROR, token, tokenLen);
                    clearToken();
                    state = IN_RECOVERY;
                } else if (next == IN_RECOVERY) {
                    tokenLen = 0;
                    state = IN_RECOVERY;
                } else {
                    state = next;
                }
            } while (!consumed);
            lexState = state;
            // A single token may not grow without bound (json-lexer.c).
            if (tokenLen > QmpJsonDecoder.MAX_TOKEN_SIZE) {
                oversized();
            }
        }
    }

    private void oversized() {
        streamer.token(T_OVERSIZED, token, tokenLen);
        clearToken();
        lexState = IN_START;
    }

    private void clearToken() {
        tokenLen = 0;
        if (token.length > RETAINED_TOKEN_CAPACITY) {
            token = new byte[INITIAL_TOKEN_CAPACITY];
        }
    }

    private void appendToken(int ch) {
        if (tokenLen == token.length) {
            token = Arrays.copyOf(token, Math.min(token.length * 2, QmpJsonDecoder.MAX_TOKEN_SIZE + 1));
        }
        token[tokenLen++] = (byte) ch;
    }
}

package org.qapi4j.qmp.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

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
 * <p>Not thread-safe; one instance per channel (not {@code @Sharable}).
 */
public final class QmpJsonDecoder extends ByteToMessageDecoder {

    static final int MAX_TOKEN_SIZE = 64 << 20;
    static final int MAX_TOKEN_COUNT = 2 << 20;
    static final int MAX_NESTING = 1 << 10;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    // ---- lexer states (0 is the error "state", as in QEMU) ----
    private static final int ERROR = 0;
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
    private static final int T_LCURLY = 16;
    private static final int T_RCURLY = 17;
    private static final int T_LSQUARE = 18;
    private static final int T_RSQUARE = 19;
    private static final int T_COLON = 20;
    private static final int T_COMMA = 21;
    private static final int T_INTEGER = 22;
    private static final int T_FLOAT = 23;
    private static final int T_KEYWORD = 24;
    private static final int T_STRING = 25;
    /** A token cut off by the lexer's size limit: the streamer rejects it by size. */
    private static final int T_OVERSIZED = 26;

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

    // ---- lexer state ----
    private int lexState = IN_START;
    private static final int INITIAL_TOKEN_CAPACITY = 256;
    private static final int RETAINED_TOKEN_CAPACITY = 64 << 10;
    private byte[] token = new byte[INITIAL_TOKEN_CAPACITY];
    private int tokenLen;
    /** Scratch space for input bytes when the buffer has no accessible array. */
    private byte[] chunk;

    // ---- streamer state ----
    private int braceCount;
    private int bracketCount;
    private long tokenSize;
    private int tokenCount;

    // ---- parser state (a push-down version of json-parser.c's recursive descent) ----
    private static final int TOP_EXPECT = 0;
    private static final int TOP_DONE = 1;
    private static final int ARR_FIRST = 2;
    private static final int ARR_AFTER_VALUE = 3;
    private static final int ARR_AFTER_COMMA = 4;
    private static final int OBJ_FIRST = 5; // expecting '}' or a key
    private static final int OBJ_AFTER_KEY = 6;
    private static final int OBJ_AFTER_COLON = 7;
    private static final int OBJ_AFTER_VALUE = 8;
    private static final int OBJ_AFTER_COMMA = 9; // expecting a key

    private int topState = TOP_EXPECT;
    private JsonNode result;
    /** The first parse error of the current message (QEMU keeps only the first). */
    private String parseError;
    private int depth;
    private int[] frameState = new int[16];
    private JsonNode[] frameNode = new JsonNode[16];
    private String[] frameKey = new String[16];

    /** Where decode() puts messages; only set while decoding. */
    private List<Object> out;

    /** Scratch for decoding strings with escapes or non-ASCII. */
    private char[] chars = new char[64];

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        this.out = out;
        try {
            int start = in.readerIndex();
            int n = in.readableBytes();
            if (in.hasArray()) {
                feed(in.array(), in.arrayOffset() + start, n);
            } else {
                if (chunk == null) {
                    chunk = new byte[8192];
                }
                for (int done = 0; done < n; ) {
                    int len = Math.min(chunk.length, n - done);
                    in.getBytes(start + done, chunk, 0, len);
                    feed(chunk, 0, len);
                    done += len;
                }
            }
            in.skipBytes(n);
        } finally {
            this.out = null;
        }
    }

    /** QEMU discards a half-read message when the client goes away; so do we. */
    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        in.skipBytes(in.readableBytes());
    }

    // ================================================================== lexer

    private void feed(byte[] buf, int off, int len) {
        byte[][] table = LEXER;
        int end = off + len;
        for (int i = off; i < end; i++) {
            int ch = buf[i] & 0xFF;
            int state = lexState;
            // Fast path: ordinary string content.
            if (state == IN_DQ_STRING && ch >= 0x20 && ch != '"' && ch != '\\' && ch <= 0xFD) {
                appendToken(ch);
                if (tokenLen > MAX_TOKEN_SIZE) {
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
                    token(next);
                    clearToken();
                    state = IN_START;
                } else if (next == IN_START) {
                    tokenLen = 0;
                    state = IN_START;
                } else if (next == ERROR) {
                    token(ERROR);
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
            if (tokenLen > MAX_TOKEN_SIZE) {
                oversized();
            }
        }
    }

    private void oversized() {
        token(T_OVERSIZED);
        clearToken();
        lexState = IN_START;
    }

    private void clearToken() {
        tokenLen = 0;
        if (token.length > RETAINED_TOKEN_CAPACITY) {
            token = new byte[INITIAL_TOKEN_CAPACITY]; // don't keep a huge buffer per connection
        }
    }

    private void appendToken(int ch) {
        if (tokenLen == token.length) {
            token = Arrays.copyOf(token, Math.min(token.length * 2, MAX_TOKEN_SIZE + 1));
        }
        token[tokenLen++] = (byte) ch;
    }

    // ================================================================== streamer

    private void token(int type) {
        switch (type) {
            case T_LCURLY -> braceCount++;
            case T_RCURLY -> braceCount--;
            case T_LSQUARE -> bracketCount++;
            case T_RSQUARE -> bracketCount--;
            case ERROR -> {
                emitError("JSON parse error, stray '" + ModifiedUtf8.render(token, 0, tokenLen) + "'");
                return;
            }
            default -> {}
        }
        // Security limits: total size, token count, nesting.
        if (tokenSize + tokenLen + 1 > MAX_TOKEN_SIZE) {
            emitError("JSON token size limit exceeded");
            return;
        }
        if (tokenCount + 1 > MAX_TOKEN_COUNT) {
            emitError("JSON token count limit exceeded");
            return;
        }
        if (bracketCount + braceCount > MAX_NESTING) {
            emitError("JSON nesting depth limit exceeded");
            return;
        }
        tokenSize += tokenLen;
        tokenCount++;
        parse(type);
        if ((braceCount > 0 || bracketCount > 0) && braceCount >= 0 && bracketCount >= 0) {
            return;
        }
        JsonMessage message;
        if (parseError != null) {
            message = new JsonMessage.ParseError(parseError);
        } else if (topState == TOP_DONE) {
            message = new JsonMessage.Value(result);
        } else {
            message = new JsonMessage.ParseError("JSON parse error, premature EOI");
        }
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
        topState = TOP_EXPECT;
        result = null;
        parseError = null;
        Arrays.fill(frameNode, 0, depth, null);
        Arrays.fill(frameKey, 0, depth, null);
        depth = 0;
    }

    // ================================================================== parser

    private void parse(int type) {
        if (parseError != null) {
            return; // only the first error counts; the rest of the message is skipped
        }
        int state = depth == 0 ? topState : frameState[depth - 1];
        switch (state) {
            case TOP_EXPECT, ARR_AFTER_COMMA, OBJ_AFTER_COMMA, OBJ_AFTER_COLON -> beginValue(type);
            case ARR_FIRST -> {
                if (type == T_RSQUARE) {
                    endContainer();
                } else {
                    beginValue(type);
                }
            }
            case OBJ_FIRST -> {
                if (type == T_RCURLY) {
                    endContainer();
                } else {
                    beginValue(type);
                }
            }
            case ARR_AFTER_VALUE -> {
                if (type == T_RSQUARE) {
                    endContainer();
                } else if (type == T_COMMA) {
                    frameState[depth - 1] = ARR_AFTER_COMMA;
                } else {
                    error("expected separator in list");
                }
            }
            case OBJ_AFTER_KEY -> {
                if (type == T_COLON) {
                    frameState[depth - 1] = OBJ_AFTER_COLON;
                } else {
                    error("missing : in object pair");
                }
            }
            case OBJ_AFTER_VALUE -> {
                if (type == T_RCURLY) {
                    endContainer();
                } else if (type == T_COMMA) {
                    frameState[depth - 1] = OBJ_AFTER_COMMA;
                } else {
                    error("expected separator in dict");
                }
            }
            default -> error("premature EOI"); // TOP_DONE: the framing never lets this happen
        }
    }

    private void beginValue(int type) {
        switch (type) {
            case T_LCURLY -> push(OBJ_FIRST, NODES.objectNode());
            case T_LSQUARE -> push(ARR_FIRST, NODES.arrayNode());
            case T_STRING -> {
                String s = parseString();
                if (s != null) {
                    completeValue(NODES.stringNode(s));
                }
            }
            case T_INTEGER -> completeValue(parseInteger());
            case T_FLOAT -> completeValue(NODES.numberNode(Double.parseDouble(tokenAscii())));
            case T_KEYWORD -> {
                JsonNode kw = parseKeyword();
                if (kw != null) {
                    completeValue(kw);
                }
            }
            default -> error("expecting value");
        }
    }

    private void push(int state, JsonNode node) {
        if (depth == frameState.length) {
            int n = depth * 2;
            frameState = Arrays.copyOf(frameState, n);
            frameNode = Arrays.copyOf(frameNode, n);
            frameKey = Arrays.copyOf(frameKey, n);
        }
        frameState[depth] = state;
        frameNode[depth] = node;
        depth++;
    }

    private void endContainer() {
        depth--;
        JsonNode node = frameNode[depth];
        frameNode[depth] = null;
        frameKey[depth] = null;
        completeValue(node);
    }

    private void completeValue(JsonNode value) {
        if (depth == 0) {
            result = value;
            topState = TOP_DONE;
            return;
        }
        int f = depth - 1;
        switch (frameState[f]) {
            case ARR_FIRST, ARR_AFTER_COMMA -> {
                ((ArrayNode) frameNode[f]).add(value);
                frameState[f] = ARR_AFTER_VALUE;
            }
            case OBJ_FIRST, OBJ_AFTER_COMMA -> {
                if (value.isString()) {
                    frameKey[f] = value.stringValue();
                    frameState[f] = OBJ_AFTER_KEY;
                } else {
                    error("key is not a string in object");
                }
            }
            case OBJ_AFTER_COLON -> {
                if (((ObjectNode) frameNode[f]).putIfAbsent(frameKey[f], value) != null) {
                    error("duplicate key");
                } else {
                    frameKey[f] = null;
                    frameState[f] = OBJ_AFTER_VALUE;
                }
            }
            default -> throw new IllegalStateException("value in state " + frameState[f]);
        }
    }

    private void error(String message) {
        if (parseError == null) {
            // json-parser.c formats into a 1024-byte buffer: long messages are cut.
            if (message.length() > 1023) {
                message = message.substring(0, 1023);
            }
            parseError = "JSON parse error, " + message;
        }
    }

    private JsonNode parseKeyword() {
        byte[] t = token;
        int n = tokenLen;
        if (n == 4 && t[0] == 't' && t[1] == 'r' && t[2] == 'u' && t[3] == 'e') {
            return NODES.booleanNode(true);
        }
        if (n == 5 && t[0] == 'f' && t[1] == 'a' && t[2] == 'l' && t[3] == 's' && t[4] == 'e') {
            return NODES.booleanNode(false);
        }
        if (n == 4 && t[0] == 'n' && t[1] == 'u' && t[2] == 'l' && t[3] == 'l') {
            return NODES.nullNode();
        }
        // "invalid keyword '%s'" in a 1024-byte buffer; keywords are ASCII.
        int keep = Math.min(n, 1023 - "invalid keyword '".length());
        error("invalid keyword '" + new String(t, 0, keep, StandardCharsets.ISO_8859_1) + "'");
        return null;
    }

    private String tokenAscii() {
        return new String(token, 0, tokenLen, StandardCharsets.ISO_8859_1);
    }

    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    /** int64 if it fits, else uint64 if positive and it fits, else double (json-parser.c). */
    private JsonNode parseInteger() {
        byte[] t = token;
        int n = tokenLen;
        boolean negative = t[0] == '-';
        int i = negative ? 1 : 0;
        int digits = n - i;
        if (digits <= 18) {
            long v = 0;
            for (; i < n; i++) {
                v = v * 10 + (t[i] - '0');
            }
            return NODES.numberNode(negative ? -v : v);
        }
        if (digits <= 20) {
            BigInteger v = new BigInteger(tokenAscii());
            if (v.bitLength() <= 63) {
                return NODES.numberNode(v.longValue());
            }
            if (!negative && v.compareTo(TWO_64) < 0) {
                return NODES.numberNode(v);
            }
        }
        return NODES.numberNode(Double.parseDouble(tokenAscii()));
    }

    /**
     * json-parser.c's parse_string on the token bytes (quotes included). Returns null after
     * recording the error.
     */
    private String parseString() {
        byte[] t = token;
        int n = tokenLen - 1; // index of the closing quote
        boolean plain = true;
        for (int i = 1; i < n; i++) {
            int b = t[i];
            if (b < 0 || b == '\\') { // non-ASCII or escape
                plain = false;
                break;
            }
        }
        if (plain) {
            return new String(t, 1, n - 1, StandardCharsets.ISO_8859_1);
        }
        char[] c = chars;
        if (c.length < n) { // never more chars than bytes
            c = new char[Math.max(n, c.length * 2)];
            if (c.length <= RETAINED_TOKEN_CAPACITY) {
                chars = c;
            }
        }
        int len = 0;
        int p = 1;
        while (p < n) {
            int b = t[p] & 0xFF;
            if (b == '\\') {
                int beg = p;
                int e = t[p + 1];
                p += 2;
                switch (e) {
                    case '"' -> c[len++] = '"';
                    case '\'' -> c[len++] = '\'';
                    case '\\' -> c[len++] = '\\';
                    case '/' -> c[len++] = '/';
                    case 'b' -> c[len++] = '\b';
                    case 'f' -> c[len++] = '\f';
                    case 'n' -> c[len++] = '\n';
                    case 'r' -> c[len++] = '\r';
                    case 't' -> c[len++] = '\t';
                    case 'u' -> {
                        int cp = hex4(t, p, tokenLen);
                        p += 4;
                        if (cp >= 0xD800 && cp <= 0xDBFF
                                && p + 1 < tokenLen && t[p] == '\\' && t[p + 1] == 'u') {
                            cp = 0x10000 + ((cp & 0x3FF) << 10);
                            int trailing = hex4(t, p + 2, tokenLen);
                            if (trailing >= 0xDC00 && trailing <= 0xDFFF) {
                                cp |= trailing & 0x3FF;
                                p += 6;
                            } else {
                                cp = -1;
                            }
                        }
                        if (!ModifiedUtf8.isValidCodepoint(cp)) {
                            // "%.*s is not a valid Unicode character": the escape as
                            // written, up to the end of the token (C's NUL).
                            int stop = Math.min(p, tokenLen);
                            error(ModifiedUtf8.render(t, beg, stop) + " is not a valid Unicode character");
                            return null;
                        }
                        len += Character.toChars(cp, c, len);
                    }
                    default -> {
                        error("invalid escape sequence in string");
                        return null;
                    }
                }
            } else {
                long r = ModifiedUtf8.codepoint(t, p, tokenLen);
                int cp = ModifiedUtf8.cp(r);
                if (cp < 0) {
                    error("invalid UTF-8 sequence in string");
                    return null;
                }
                p = ModifiedUtf8.end(r);
                len += Character.toChars(cp, c, len);
            }
        }
        return new String(c, 0, len);
    }

    /** QEMU's cvt4hex: -1 unless the next four bytes are hex digits (stops at the first one). */
    private static int hex4(byte[] s, int pos, int limit) {
        int cp = 0;
        for (int i = 0; i < 4; i++) {
            int b = pos + i < limit ? s[pos + i] : 0;
            int d;
            if (b >= '0' && b <= '9') {
                d = b - '0';
            } else if (b >= 'a' && b <= 'f') {
                d = 10 + b - 'a';
            } else if (b >= 'A' && b <= 'F') {
                d = 10 + b - 'A';
            } else {
                return -1;
            }
            cp = (cp << 4) | d;
        }
        return cp;
    }
}

package org.qapi4j.qmp.wire;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * What the text of a scalar token means, as {@code qobject/json-parser.c} reads it: strings
 * with QEMU's escapes and its modified UTF-8 checks, integers as int64, then uint64, then
 * double, and the three keywords. Kept apart from the parser's grammar because this is where
 * the bytes are looked at one by one, and where QEMU's error texts about them come from.
 *
 * <p>A refused token gives null, and {@link #error()} the text (without "JSON parse error, ").
 * Not thread-safe: the scratch buffer is reused.
 */
final class JsonTokenValues {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    /** Scratch for decoding strings with escapes or non-ASCII. */
    private char[] chars = new char[64];
    private String error;

    /** Why the last token was refused. */
    String error() {
        return error;
    }

    /** true, false, null; anything else is refused. */
    JsonNode keyword(byte[] t, int n) {
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
        return refuse("invalid keyword '" + new String(t, 0, keep, StandardCharsets.ISO_8859_1) + "'");
    }

    /** A fraction or exponent: strtod's double ({@code 1e999} is +Infinity). */
    JsonNode floating(byte[] t, int n) {
        return NODES.numberNode(Double.parseDouble(ascii(t, n)));
    }

    /** int64 if it fits, else uint64 if positive and it fits, else double (json-parser.c). */
    JsonNode integer(byte[] t, int n) {
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
            BigInteger v = new BigInteger(ascii(t, n));
            if (v.bitLength() <= 63) {
                return NODES.numberNode(v.longValue());
            }
            if (!negative && v.compareTo(TWO_64) < 0) {
                return NODES.numberNode(v);
            }
        }
        return NODES.numberNode(Double.parseDouble(ascii(t, n)));
    }

    /** json-parser.c's parse_string on the token bytes {@code t[0..tokenLen)}, quotes included. */
    JsonNode string(byte[] t, int tokenLen) {
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
            return NODES.stringNode(new String(t, 1, n - 1, StandardCharsets.ISO_8859_1));
        }
        char[] c = chars;
        if (c.length < n) { // never more chars than bytes
            c = new char[Math.max(n, c.length * 2)];
            if (c.length <= JsonLexer.RETAINED_TOKEN_CAPACITY) {
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
                            return refuse(ModifiedUtf8.render(t, beg, stop) + " is not a valid Unicode character");
                        }
                        len += Character.toChars(cp, c, len);
                    }
                    default -> {
                        return refuse("invalid escape sequence in string");
                    }
                }
            } else {
                long r = ModifiedUtf8.codepoint(t, p, tokenLen);
                int cp = ModifiedUtf8.cp(r);
                if (cp < 0) {
                    return refuse("invalid UTF-8 sequence in string");
                }
                p = ModifiedUtf8.end(r);
                len += Character.toChars(cp, c, len);
            }
        }
        return NODES.stringNode(new String(c, 0, len));
    }

    private JsonNode refuse(String why) {
        error = why;
        return null;
    }

    private static String ascii(byte[] t, int n) {
        return new String(t, 0, n, StandardCharsets.ISO_8859_1);
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

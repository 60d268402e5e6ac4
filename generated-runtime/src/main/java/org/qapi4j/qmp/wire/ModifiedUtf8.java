package org.qapi4j.qmp.wire;

/**
 * QEMU's reading of "modified UTF-8" (util/unicode.c): the validity rules its JSON parser
 * applies to string contents, and the way its JSON writer renders arbitrary bytes (an invalid
 * sequence becomes U+FFFD, consuming exactly as many bytes as QEMU consumes).
 *
 * <p>Bytes at or past {@code limit} read as NUL, as they would in QEMU's NUL-terminated
 * buffers.
 */
final class ModifiedUtf8 {
    private ModifiedUtf8() {}

    private static final int[] MIN_CP = {0x80, 0x800, 0x10000, 0x200000, 0x4000000};

    static boolean isValidCodepoint(int cp) {
        if (cp < 0 || cp > 0x10FFFF) {
            return false; // beyond Unicode range (QEMU compares as unsigned, so -1 too)
        }
        if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE) {
            return false; // noncharacter
        }
        return cp < 0xD800 || cp > 0xDFFF; // surrogates are invalid
    }

    /**
     * Decodes the sequence at {@code pos}. Returns {@code (end << 32) | (cp & 0xFFFFFFFFL)}
     * where cp is -1 for an invalid sequence and end is where QEMU's {@code mod_utf8_codepoint}
     * leaves its end pointer. An empty sequence (pos at limit or a NUL byte) yields end == pos.
     */
    static long codepoint(byte[] s, int pos, int limit) {
        if (pos >= limit || s[pos] == 0) {
            return pack(pos, -1);
        }
        int p = pos;
        int b = s[p++] & 0xFF;
        int cp;
        if (b < 0x80) {
            cp = b;
        } else if (b >= 0xFE) {
            cp = -1; // impossible bytes
        } else if ((b & 0x40) == 0) {
            cp = -1; // unexpected continuation byte
        } else {
            int len = 0;
            int mask = 0x80;
            while ((b & mask) != 0) {
                len++;
                mask >>= 1;
            }
            cp = b & (mask - 1);
            for (int i = 1; i < len; i++) {
                int c = p < limit ? s[p] & 0xFF : 0;
                if ((c & 0xC0) != 0x80) {
                    return pack(p, -1); // continuation byte missing
                }
                p++;
                cp = (cp << 6) | (c & 0x3F);
            }
            if (!isValidCodepoint(cp)) {
                cp = -1;
            } else if (cp < MIN_CP[len - 2] && !(cp == 0 && len == 2)) {
                cp = -1; // overlong, except C0 80
            }
        }
        return pack(p, cp);
    }

    private static long pack(int end, int cp) {
        return ((long) end << 32) | (cp & 0xFFFFFFFFL);
    }

    static int cp(long packed) {
        return (int) packed;
    }

    static int end(long packed) {
        return (int) (packed >>> 32);
    }

    /**
     * What a QMP client reads when QEMU puts these bytes into a JSON string (json-writer.c's
     * {@code quoted_str}): the text up to the first NUL, with every invalid sequence replaced
     * by U+FFFD.
     */
    static String render(byte[] s, int from, int limit) {
        StringBuilder sb = new StringBuilder(limit - from);
        int p = from;
        while (p < limit && s[p] != 0) {
            long r = codepoint(s, p, limit);
            int cp = cp(r);
            sb.appendCodePoint(cp < 0 ? 0xFFFD : cp);
            p = end(r);
        }
        return sb.toString();
    }
}

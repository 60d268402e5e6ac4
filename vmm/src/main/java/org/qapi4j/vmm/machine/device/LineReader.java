package org.qapi4j.vmm.machine.device;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a client's byte stream into lines of at most a bound, holding at most that many bytes
 * whatever the client sends: a longer line is skipped to its end and reported once as too long.
 * Lines end with {@code \n}; a {@code \r} before it is dropped; an unterminated last line counts.
 */
final class LineReader {
    /** Returned by {@link #next()} for a line over the bound. */
    static final byte[] TOO_LONG = new byte[0];

    private final InputStream in;
    private final byte[] buffer = new byte[8192];
    private final byte[] line;
    private int start;
    private int end;
    private boolean ended;

    LineReader(InputStream in, int maxLine) {
        this.in = in;
        this.line = new byte[maxLine + 1]; // room for a \r to drop
    }

    /** The next line, {@link #TOO_LONG}, or {@code null} at the end of the stream. */
    byte[] next() throws IOException {
        int length = 0;
        boolean overlong = false;
        while (true) {
            if (start == end) {
                if (ended || !fill()) {
                    ended = true;
                    return length > 0 || overlong ? finish(length, overlong) : null;
                }
            }
            byte b = buffer[start++];
            if (b == '\n') {
                return finish(length, overlong);
            }
            if (length < line.length) {
                line[length++] = b;
            } else {
                overlong = true;
            }
        }
    }

    private byte[] finish(int length, boolean overlong) {
        if (length > 0 && line[length - 1] == '\r') {
            length--;
        }
        if (overlong || length > line.length - 1) {
            return TOO_LONG;
        }
        return Arrays.copyOf(line, length);
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer);
        if (n <= 0) {
            return false;
        }
        start = 0;
        end = n;
        return true;
    }
}

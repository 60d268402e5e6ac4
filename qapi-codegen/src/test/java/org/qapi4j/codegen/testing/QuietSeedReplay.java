package org.qapi4j.codegen.testing;

import com.code_intelligence.jazzer.utils.Log;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Keeps Jazzer's {@code INFO:} lines out of a normal build's output, where a fuzz test only
 * replays its seeds: Jazzer 0.24 prints {@code INFO: Creating merged dictionary} once per seed,
 * and a line per class it instruments, over a thousand lines that say nothing. Its warnings,
 * errors and findings still print, and when fuzzing ({@code JAZZER_FUZZ} set) nothing is held
 * back. Use as {@code @ExtendWith(QuietSeedReplay.class)} on the fuzz test class: it sets
 * Jazzer's output before Jazzer first writes there.
 */
public final class QuietSeedReplay implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        String fuzz = System.getenv("JAZZER_FUZZ");
        if (fuzz == null || fuzz.isEmpty()) {
            Log.fixOutErr(System.out, new PrintStream(new DropInfoLines(System.err), true, StandardCharsets.UTF_8));
        }
    }

    /** Passes on whole lines, except those that begin with {@code INFO: }. */
    private static final class DropInfoLines extends OutputStream {
        private static final byte[] INFO = "INFO: ".getBytes(StandardCharsets.US_ASCII);
        private final PrintStream target;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        DropInfoLines(PrintStream target) {
            this.target = target;
        }

        @Override
        public synchronized void write(int b) {
            line.write(b);
            if (b == '\n') {
                flushLine();
            }
        }

        @Override
        public synchronized void flush() {
            // Partial lines wait for their end: a prefix and its message come in two writes.
        }

        private void flushLine() {
            byte[] bytes = line.toByteArray();
            line.reset();
            boolean info = bytes.length >= INFO.length;
            for (int i = 0; info && i < INFO.length; i++) {
                info = bytes[i] == INFO[i];
            }
            if (!info) {
                target.write(bytes, 0, bytes.length);
                target.flush();
            }
        }
    }
}

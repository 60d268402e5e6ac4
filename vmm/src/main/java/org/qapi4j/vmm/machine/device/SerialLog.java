package org.qapi4j.vmm.machine.device;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A serial port the guest writes text lines to; the host appends each line to a file (which
 * may be {@code /dev/stdout}) or, with no file, discards it. Each line is written through at
 * once, so that a crash loses nothing the guest logged.
 *
 * <p>Lines are bounded: control characters become {@code ?} (a line cannot forge another) and a
 * line longer than {@value #MAX_LINE} characters is cut, ending in {@code ...}.
 */
public final class SerialLog implements Device, AutoCloseable {
    /** The longest line kept whole, in characters. */
    public static final int MAX_LINE = 1024;

    private final OutputStream out; // null: discard

    private SerialLog(OutputStream out) {
        this.out = out;
    }

    /**
     * A serial log appending to {@code file}, created if absent; {@code null} discards.
     *
     * @throws IOException if the file cannot be opened for appending
     */
    public static SerialLog open(Path file) throws IOException {
        if (file == null) {
            return new SerialLog(null);
        }
        return new SerialLog(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE));
    }

    /** The guest side: writes one line (a newline is added). */
    public void writeLine(String line) {
        if (out == null) {
            return;
        }
        byte[] bytes = (clean(line) + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (this) {
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException e) {
                // A full disk or a closed stdout must not stop the guest; the line is lost, as
                // characters sent to a disconnected serial cable are.
            }
        }
    }

    private static String clean(String line) {
        StringBuilder cleaned = new StringBuilder(Math.min(line.length(), MAX_LINE + 3));
        for (int i = 0; i < line.length() && i < MAX_LINE; i++) {
            char c = line.charAt(i);
            cleaned.append(Character.isISOControl(c) ? '?' : c);
        }
        if (line.length() > MAX_LINE) {
            cleaned.append("...");
        }
        return cleaned.toString();
    }

    @Override
    public String name() {
        return "serial";
    }

    @Override
    public int stateVersion() {
        return 1;
    }

    @Override
    public void save(DataOutput out) {
        // A serial port that transmits each line at once holds nothing the guest can observe.
    }

    @Override
    public void load(DataInput in) {
        // See save.
    }

    @Override
    public void reset() {
        // See save.
    }

    @Override
    public synchronized void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // Every line was already flushed.
            }
        }
    }
}

package org.qapi4j.colo;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A colo-only diagnostic, off unless the environment variable {@value #ENV} names a directory:
 * the primary then writes one line per checkpoint to {@code DIR/checkpoints-PID.log}, {@code N
 * PAUSE_US SAVE_US TRANSFER_US LOAD_US PAGES BYTES} (checkpoint number, the guest's pause and
 * its phases in microseconds, dirty pages, bytes), so that a soak can take percentiles and a fit
 * of the pause against the pages, which {@code query-migrate}'s means cannot give. Nothing
 * QEMU-visible changes; nothing is kept in memory. A write that fails turns the log off.
 */
public final class CheckpointLog implements AutoCloseable {
    public static final String ENV = "QAPI4J_COLO_CHECKPOINT_LOG";

    private BufferedWriter out;

    private CheckpointLog(BufferedWriter out) {
        this.out = out;
    }

    /** The log {@value #ENV} asks for, or one that writes nothing. */
    public static CheckpointLog fromEnvironment() {
        String dir = System.getenv(ENV);
        if (dir == null || dir.isEmpty()) {
            return new CheckpointLog(null);
        }
        try {
            Path path = Path.of(dir).resolve("checkpoints-" + ProcessHandle.current().pid() + ".log");
            return new CheckpointLog(Files.newBufferedWriter(path, StandardCharsets.US_ASCII, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND));
        } catch (IOException | RuntimeException e) {
            return new CheckpointLog(null);
        }
    }

    /** One checkpoint; times in nanoseconds. */
    public void checkpoint(long n, long pause, long save, long transfer, long load, long pages, long bytes) {
        if (out == null) {
            return;
        }
        try {
            out.write(n + " " + pause / 1000 + " " + save / 1000 + " " + transfer / 1000 + " " + load / 1000 + " "
                    + pages + " " + bytes + "\n");
            out.flush();
        } catch (IOException e) {
            close();
        }
    }

    @Override
    public void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // a diagnostic
            }
            out = null;
        }
    }
}

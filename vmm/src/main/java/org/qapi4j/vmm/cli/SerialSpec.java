package org.qapi4j.vmm.cli;

import java.nio.file.Path;
import java.util.Objects;

/** {@code --serial}: where the guest's serial port writes. */
public sealed interface SerialSpec {
    /** {@code --serial none}, the default: the output is dropped. */
    record None() implements SerialSpec {
    }

    /** {@code --serial stdio}: the VMM's standard output. */
    record Stdio() implements SerialSpec {
    }

    /**
     * {@code --serial PATH}: a file.
     *
     * @param path the file
     */
    record File(Path path) implements SerialSpec {
        public File {
            Objects.requireNonNull(path, "path");
        }
    }
}

package org.qapi4j.qmp.shell;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link ShellSession} behaves.
 *
 * @param pretty print messages indented, members sorted ({@code -p})
 * @param verbose print each request before sending it ({@code -v})
 * @param timeout how long to wait for each answer
 * @param history the file that keeps the prompt's history between sessions; null for none
 */
public record ShellOptions(boolean pretty, boolean verbose, Duration timeout, @Nullable Path history) {
    public ShellOptions {
        Objects.requireNonNull(timeout, "timeout");
    }
}

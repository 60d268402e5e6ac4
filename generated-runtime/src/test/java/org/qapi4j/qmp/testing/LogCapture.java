package org.qapi4j.qmp.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What the runtime logs while a test provokes it on purpose (a failing handler, a client that
 * goes away, a listener that throws), held for the test to check instead of printed: the build's
 * output then shows only what no test expected (see {@code logging.properties}).
 *
 * <pre>{@code
 * try (LogCapture log = LogCapture.of("org.qapi4j.qmp")) {
 *     ... provoke it ...
 *     assertThat(log.warnings()).singleElement().satisfies(r -> ...);
 * }
 * }</pre>
 *
 * <p>The runtime logs through {@link System.Logger}, which is java.util.logging by default; a
 * capture takes the records of one logger and those below it, and keeps them from the handlers
 * above it until it is closed.
 */
public final class LogCapture implements AutoCloseable {
    /** Held, so that java.util.logging does not drop the configured logger. */
    private final Logger logger;
    private final boolean usedParentHandlers;
    private final List<LogRecord> records = Collections.synchronizedList(new ArrayList<>());
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    private LogCapture(String name) {
        logger = Logger.getLogger(name);
        usedParentHandlers = logger.getUseParentHandlers();
        logger.addHandler(handler);
        logger.setUseParentHandlers(false);
    }

    /** Captures what logger {@code name} and those below it log (a package or a class name). */
    public static LogCapture of(String name) {
        return new LogCapture(name);
    }

    /** Captures what the logger named after {@code type} logs. */
    public static LogCapture of(Class<?> type) {
        return of(type.getName());
    }

    /** Everything captured so far, in order. */
    public List<LogRecord> records() {
        synchronized (records) {
            return List.copyOf(records);
        }
    }

    /** What was captured at WARNING or above (ERROR is SEVERE in java.util.logging). */
    public List<LogRecord> warnings() {
        return records().stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue()).toList();
    }

    /** The warnings as text, {@code LEVEL message}, for assertions and failure messages. */
    public List<String> warningTexts() {
        return warnings().stream().map(r -> r.getLevel() + " " + r.getMessage()).toList();
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setUseParentHandlers(usedParentHandlers);
    }
}

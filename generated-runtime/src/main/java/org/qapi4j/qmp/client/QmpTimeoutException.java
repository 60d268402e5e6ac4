package org.qapi4j.qmp.client;

import java.time.Duration;

/**
 * No reply came within the command's timeout. The command may still run on the server; a reply
 * that comes later is dropped (and logged). The connection stays usable.
 */
public class QmpTimeoutException extends QmpClientException {
    private static final long serialVersionUID = 1L;

    private final String command;
    private final transient Duration timeout;

    public QmpTimeoutException(String command, long id, Duration timeout) {
        super("no reply to '" + command + "' (id " + id + ") within " + millis(timeout));
        this.command = command;
        this.timeout = timeout;
    }

    public String command() {
        return command;
    }

    public Duration timeout() {
        return timeout;
    }

    static String millis(Duration d) {
        return d.toMillis() + " ms";
    }
}

package org.qapi4j.qmp.client;

/**
 * The connection closed (the server went away, the client closed it, a message could not be
 * read) before the command was answered, or the command was issued after it closed. Whether a
 * command that was in flight ran on the server is unknown.
 */
public class QmpConnectionClosedException extends QmpClientException {
    private static final long serialVersionUID = 1L;

    public QmpConnectionClosedException(String message) {
        super(message);
    }

    public QmpConnectionClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}

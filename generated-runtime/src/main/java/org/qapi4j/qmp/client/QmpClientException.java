package org.qapi4j.qmp.client;

/**
 * A command or connection that failed on the client's side, not by the server's answer (that
 * is a {@link org.qapi4j.qmp.QmpException}): the connection could not be made or negotiated, it
 * closed while requests were in flight, a reply did not come in time, too many requests were
 * in flight.
 */
public class QmpClientException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public QmpClientException(String message) {
        super(message);
    }

    public QmpClientException(String message, Throwable cause) {
        super(message, cause);
    }
}

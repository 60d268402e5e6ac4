package org.qapi4j.qmp;

/**
 * A QMP error as an exception: thrown by a command handler to answer with an error, by the
 * argument decoder when the arguments do not fit the schema, and by the client when the server
 * answers with an error. {@link #error()} carries the class and text.
 */
public class QmpException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient QmpError error;

    public QmpException(QmpError error) {
        super(error.errorClass() + ": " + error.description());
        this.error = error;
    }

    public QmpException(ErrorClass errorClass, String description) {
        this(new QmpError(errorClass, description));
    }

    /** A {@code GenericError} with {@code description}. */
    public static QmpException generic(String description) {
        return new QmpException(QmpError.generic(description));
    }

    public QmpError error() {
        return error;
    }
}

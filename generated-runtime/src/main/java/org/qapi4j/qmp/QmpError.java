package org.qapi4j.qmp;

import java.util.Objects;

/**
 * A QMP error: {@code {"error": {"class": ..., "desc": ...}}}.
 *
 * @param errorClass the class, which clients switch on
 * @param description the human-readable text, exactly as QEMU words it where QEMU has it
 */
public record QmpError(ErrorClass errorClass, String description) {

    public QmpError {
        Objects.requireNonNull(errorClass, "errorClass");
        Objects.requireNonNull(description, "description");
    }

    /** A {@code GenericError} with {@code description}. */
    public static QmpError generic(String description) {
        return new QmpError(ErrorClass.GENERIC_ERROR, description);
    }
}

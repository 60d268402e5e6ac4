package org.qapi4j.codegen.diag;

import java.util.Objects;
import org.qapi4j.codegen.source.SourceInfo;

/**
 * One problem found in a schema: a message and where it was found.
 *
 * @param info where; null only for problems that concern no file (an unreadable root schema)
 * @param column the 1-based column QEMU reports for lexical and syntax errors (tabs advance to
 *     the next multiple of eight, as QEMU counts them), or 0 when the message names only a line
 * @param message the text, exactly as QEMU words it
 */
public record Diagnostic(SourceInfo info, int column, String message) {

    public Diagnostic {
        Objects.requireNonNull(message, "message");
    }

    /** A diagnostic that names a line but no column. */
    public static Diagnostic at(SourceInfo info, String message) {
        return new Diagnostic(info, 0, message);
    }

    /**
     * The diagnostic as QEMU prints it: the include chain, the enclosing definition, then
     * {@code FILE:LINE[:COL]: message}. No trailing newline.
     */
    public String render() {
        if (info == null) {
            return message;
        }
        String location = info.toString();
        if (column > 0) {
            location += ":" + column;
        }
        return location + ": " + message;
    }
}

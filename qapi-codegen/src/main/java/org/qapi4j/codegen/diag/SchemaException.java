package org.qapi4j.codegen.diag;

/**
 * The one error type the front end lets escape: the schema is wrong (or could not be read), and
 * {@link #diagnostic()} says where and why.
 *
 * <p>Like QEMU, the front end stops at the first problem; its message and location are QEMU's.
 */
public final class SchemaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Diagnostic diagnostic;

    public SchemaException(Diagnostic diagnostic) {
        super(diagnostic.render(), null, false, false);
        this.diagnostic = diagnostic;
    }

    public SchemaException(org.qapi4j.codegen.source.SourceInfo info, String message) {
        this(Diagnostic.at(info, message));
    }

    public Diagnostic diagnostic() {
        return diagnostic;
    }
}

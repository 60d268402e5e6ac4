package org.qapi4j.codegen.ast;

/**
 * How strictly documentation comments are checked.
 *
 * <p>QEMU tightened its documentation rules after 7.2, so its current checker rejects the 7.2
 * schema for reasons that have nothing to do with the API. {@link #RELAXED} still reads every
 * doc comment (the generated Javadoc needs it) and keeps every other check, but enforces none of
 * the documentation rules: line length, two spaces between sentences, the {@code Note:} and
 * {@code Example:} sections QEMU has since removed (read as plain text), undocumented or unknown
 * members and features, and a {@code Returns:} section on a command that returns nothing.
 */
public enum DocStyle {
    /** QEMU's current rules, exactly. */
    STRICT,
    /** Read documentation, enforce none of its rules. */
    RELAXED;

    public boolean enforced() {
        return this == STRICT;
    }
}

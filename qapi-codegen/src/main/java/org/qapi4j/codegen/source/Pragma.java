package org.qapi4j.codegen.source;

import java.util.List;

/**
 * The pragmas in force for a schema.
 *
 * <p>QEMU keeps one pragma object for the whole schema: the root module creates it and every
 * included module shares it, so a pragma set in an included file also holds for everything that
 * is parsed after it. {@link SourceInfo} hands the same instance to every location, which is why
 * this class is mutable; only the parser writes to it.
 */
public final class Pragma {
    private boolean docRequired;
    private List<String> commandNameExceptions = List.of();
    private List<String> commandReturnsExceptions = List.of();
    private List<String> documentationExceptions = List.of();
    private List<String> memberNameExceptions = List.of();

    /** Whether every definition must have a documentation comment. */
    public boolean docRequired() {
        return docRequired;
    }

    /** Commands whose names may use '_'. */
    public List<String> commandNameExceptions() {
        return commandNameExceptions;
    }

    /** Commands allowed to return something other than an object. */
    public List<String> commandReturnsExceptions() {
        return commandReturnsExceptions;
    }

    /** Definitions whose members may go undocumented. */
    public List<String> documentationExceptions() {
        return documentationExceptions;
    }

    /** Types whose member names may break the case conventions. */
    public List<String> memberNameExceptions() {
        return memberNameExceptions;
    }

    public void setDocRequired(boolean value) {
        docRequired = value;
    }

    public void setCommandNameExceptions(List<String> value) {
        commandNameExceptions = List.copyOf(value);
    }

    public void setCommandReturnsExceptions(List<String> value) {
        commandReturnsExceptions = List.copyOf(value);
    }

    public void setDocumentationExceptions(List<String> value) {
        documentationExceptions = List.copyOf(value);
    }

    public void setMemberNameExceptions(List<String> value) {
        memberNameExceptions = List.copyOf(value);
    }
}

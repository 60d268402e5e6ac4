package org.qapi4j.codegen.model;

import java.util.Map;
import org.qapi4j.codegen.ast.DocumentedMember;
import org.qapi4j.codegen.ast.QapiDoc;
import org.qapi4j.codegen.diag.SchemaException;
import org.qapi4j.codegen.source.SourceInfo;

/**
 * Something named inside a definition: an object member, an enum value, a branch or a feature.
 * QEMU's {@code QAPISchemaMember}.
 */
public abstract class Member implements DocumentedMember {
    private final String name;
    private final SourceInfo info;
    private final IfCond ifCond;
    private String definedIn;

    Member(String name, SourceInfo info, IfCond ifCond) {
        this.name = name;
        this.info = info;
        this.ifCond = ifCond != null ? ifCond : IfCond.NONE;
    }

    @Override
    public String name() {
        return name;
    }

    /** Where the enclosing definition was written (null inside predefined types). */
    @Override
    public SourceInfo info() {
        return info;
    }

    public IfCond ifCond() {
        return ifCond;
    }

    /** The name of the definition (type, member or value) this belongs to. */
    public String definedIn() {
        return definedIn;
    }

    void setDefinedIn(String name) {
        if (definedIn != null) {
            throw new IllegalStateException(this.name + " already defined in " + definedIn);
        }
        definedIn = name;
    }

    /**
     * Rejects a member whose C name is already in {@code seen}, reporting at {@code info}, then
     * adds it.
     */
    void checkClash(SourceInfo info, Map<String, Member> seen) {
        String cname = CNames.cName(name);
        Member other = seen.get(cname);
        if (other != null) {
            throw new SchemaException(
                    info, describe(info) + " collides with " + other.describe(info));
        }
        seen.put(cname, this);
    }

    void connectDoc(Schema schema, QapiDoc doc) {
        if (doc != null) {
            doc.connectMember(this, schema.docEnforced());
        }
    }

    /**
     * How messages reported at {@code info} name this: {@code ROLE 'NAME'}, followed by
     * {@code of META 'DEFINITION'} when the message is about another definition. Members of
     * implicit types are named after the definition that caused them.
     */
    public String describe(SourceInfo info) {
        String role = role();
        String meta = "type";
        String in = definedIn;
        if (in.startsWith("q_obj_")) {
            in = in.substring(6);
            if (in.endsWith("-arg")) {
                role = "parameter";
                meta = "command";
                in = in.substring(0, in.length() - 4);
            } else if (in.endsWith("-base")) {
                role = "base " + role;
                in = in.substring(0, in.length() - 5);
            } else {
                throw new IllegalStateException("unexpected implicit type " + definedIn);
            }
        }
        if (!in.equals(info.definitionName())) {
            return role + " '" + name + "' of " + meta + " '" + in + "'";
        }
        return role + " '" + name + "'";
    }

    @Override
    public String toString() {
        return role() + " " + name;
    }
}

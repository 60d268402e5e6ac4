package org.qapi4j.codegen.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.qapi4j.codegen.ast.QapiDoc;
import org.qapi4j.codegen.diag.SchemaException;
import org.qapi4j.codegen.source.SourceInfo;

/**
 * A struct (local members, optional base) or a union (base and branches), including the
 * implicit ones ({@code q_empty}, {@code q_obj_NAME-arg}, {@code q_obj_NAME-base}). QEMU's
 * {@code QAPISchemaObjectType}.
 */
public final class ObjectType extends SchemaType {
    private final String baseName;
    private ObjectType base;
    private final List<ObjectTypeMember> localMembers;
    private final Branches branches;
    private List<ObjectTypeMember> members;
    private boolean checkComplete;

    ObjectType(String name, SourceInfo info, QapiDoc doc, IfCond ifCond, List<Feature> features,
            String baseName, List<ObjectTypeMember> localMembers, Branches branches) {
        super(name, info, doc, ifCond, features);
        this.localMembers = List.copyOf(localMembers);
        for (ObjectTypeMember m : this.localMembers) {
            m.setDefinedIn(name);
        }
        if (branches != null) {
            branches.setDefinedIn(name);
        }
        this.baseName = baseName;
        this.branches = branches;
    }

    /** {@code union} when the type has branches, else {@code struct}. */
    @Override
    public String meta() {
        return branches != null ? "union" : "struct";
    }

    /** The base type, or null. */
    public ObjectType base() {
        return base;
    }

    /** The members the definition itself declares, in source order. */
    public List<ObjectTypeMember> localMembers() {
        return Collections.unmodifiableList(localMembers);
    }

    /** All (non-variant) members: the base's first, then the local ones. */
    public List<ObjectTypeMember> members() {
        return Collections.unmodifiableList(members);
    }

    /** A union's branches, or null for a struct. */
    public Branches branches() {
        return branches;
    }

    /** The implicit types are those whose names start with {@code q_}. */
    @Override
    public boolean isImplicit() {
        return name().startsWith("q_");
    }

    /** Whether the type has no members and no branches. */
    public boolean isEmpty() {
        return members.isEmpty() && branches == null;
    }

    /** Whether some member has a condition. */
    public boolean hasConditionalMembers() {
        for (ObjectTypeMember m : members) {
            if (m.ifCond().isPresent()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String jsonType() {
        return "object";
    }

    /**
     * Checks the type, once. It recurses into the types whose C struct this type's C struct
     * contains (base and branches), so a re-entry means the type contains itself.
     */
    @Override
    void check(Schema schema) {
        if (checkComplete) {
            return;
        }
        if (checked) {
            throw new SchemaException(info(), "object " + name() + " contains itself");
        }
        super.check(schema);
        Map<String, Member> seen = new LinkedHashMap<>();
        if (baseName != null) {
            SchemaType resolved = schema.resolveType(baseName, info(), "'base'");
            if (!(resolved instanceof ObjectType) || ((ObjectType) resolved).branches != null) {
                throw new SchemaException(
                        info(), "'base' requires a struct type, " + resolved.describe() + " isn't");
            }
            base = (ObjectType) resolved;
            base.check(schema);
            base.checkClash(info(), seen);
        }
        for (ObjectTypeMember m : localMembers) {
            m.check(schema);
            m.checkClash(info(), seen);
        }
        List<ObjectTypeMember> all = new ArrayList<>();
        for (Member m : seen.values()) {
            all.add((ObjectTypeMember) m);
        }
        if (branches != null) {
            branches.check(schema, seen);
            branches.checkClash(info(), seen);
        }
        members = all;
        checkComplete = true;
    }

    /**
     * Checks that this type's members do not clash with those in {@code seen} and adds them;
     * reports on behalf of {@code info}, which need not be this type's.
     */
    void checkClash(SourceInfo info, Map<String, Member> seen) {
        for (ObjectTypeMember m : members) {
            m.checkClash(info, seen);
        }
        if (branches != null) {
            branches.checkClash(info, seen);
        }
    }

    @Override
    void connectDoc(Schema schema, QapiDoc doc) {
        super.connectDoc(schema, doc);
        QapiDoc d = doc != null ? doc : doc();
        if (base != null && base.isImplicit()) {
            base.connectDoc(schema, d);
        }
        for (ObjectTypeMember m : localMembers) {
            m.connectDoc(schema, d);
        }
    }

    @Override
    void accept(SchemaVisitor visitor) {
        visitor.visitObjectType(this);
        visitor.visitObjectTypeFlat(this);
    }
}

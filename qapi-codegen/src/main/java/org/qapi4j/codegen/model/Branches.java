package org.qapi4j.codegen.model;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.qapi4j.codegen.diag.SchemaException;
import org.qapi4j.codegen.source.SourceInfo;

/**
 * A union's branches, selected by the discriminator, an enum member of the base. Values the
 * schema gives no branch get an implicit branch of type {@code q_empty}. QEMU's
 * {@code QAPISchemaBranches}.
 */
public final class Branches extends Variants {
    private final String tagName;
    private ObjectTypeMember tagMember;

    Branches(SourceInfo info, List<Variant> variants, String tagName) {
        super(info, variants);
        this.tagName = tagName;
    }

    /** The discriminator member, found in the base by the check. */
    @Override
    public ObjectTypeMember tagMember() {
        return tagMember;
    }

    @Override
    void check(Schema schema, Map<String, Member> seen) {
        ObjectTypeMember tag = (ObjectTypeMember) seen.get(CNames.cName(tagName));
        String base = "'base'";
        if (tag == null || !tagName.equals(tag.name())) {
            throw new SchemaException(info(),
                    "discriminator '" + tagName + "' is not a member of " + base);
        }
        tagMember = tag;
        SchemaType baseType = schema.lookupType(tag.definedIn());
        if (!baseType.isImplicit()) {
            base = "base type '" + tag.definedIn() + "'";
        }
        if (!(tag.type() instanceof EnumType)) {
            throw new SchemaException(info(), "discriminator member '" + tagName + "' of " + base
                    + " must be of enum type");
        }
        if (tag.optional()) {
            throw new SchemaException(info(), "discriminator member '" + tagName + "' of " + base
                    + " must not be optional");
        }
        if (tag.ifCond().isPresent()) {
            throw new SchemaException(info(), "discriminator member '" + tagName + "' of " + base
                    + " must not be conditional");
        }
        EnumType tagType = (EnumType) tag.type();
        Set<String> cases = new HashSet<>();
        for (Variant v : variants) {
            cases.add(v.name());
        }
        for (EnumMember m : tagType.members()) {
            if (!cases.contains(m.name())) {
                Variant v = new Variant(m.name(), info(), "q_empty", m.ifCond());
                v.setDefinedIn(tag.definedIn());
                variants.add(v);
            }
        }
        if (variants.isEmpty()) {
            throw new SchemaException(info(), "union has no branches");
        }
        for (Variant v : variants) {
            v.check(schema);
            if (!seen.isEmpty()) {
                if (!tagType.memberNames().contains(v.name())) {
                    throw new SchemaException(info(), "branch '" + v.name() + "' is not a value of "
                            + tagType.describe());
                }
                if (!(v.type() instanceof ObjectType)) {
                    throw new SchemaException(info(),
                            v.describe(info()) + " cannot use " + v.type().describe());
                }
                ((ObjectType) v.type()).check(schema);
            }
        }
    }

    /** Checks each branch against {@code seen} separately: branches do not affect each other. */
    void checkClash(SourceInfo info, Map<String, Member> seen) {
        for (Variant v : variants) {
            ((ObjectType) v.type()).checkClash(info, new LinkedHashMap<>(seen));
        }
    }
}

package org.qapi4j.codegen.model;

import java.util.List;
import java.util.Map;
import org.qapi4j.codegen.source.SourceInfo;

/**
 * An alternate's alternatives; the tag is the implicit member {@code type} of enum type
 * {@code QType}. QEMU's {@code QAPISchemaAlternatives}.
 */
public final class Alternatives extends Variants {
    private final ObjectTypeMember tagMember;

    Alternatives(SourceInfo info, List<Variant> variants, ObjectTypeMember tagMember) {
        super(info, variants);
        this.tagMember = tagMember;
    }

    @Override
    public ObjectTypeMember tagMember() {
        return tagMember;
    }

    @Override
    void check(Schema schema, Map<String, Member> seen) {
        super.check(schema, seen);
        if (!(tagMember.type() instanceof EnumType) || tagMember.optional()
                || tagMember.ifCond().isPresent()) {
            throw new IllegalStateException("bad alternate tag " + tagMember);
        }
    }
}

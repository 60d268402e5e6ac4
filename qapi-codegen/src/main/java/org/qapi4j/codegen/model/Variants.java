package org.qapi4j.codegen.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.qapi4j.codegen.source.SourceInfo;

/**
 * The variants of a union ({@link Branches}) or an alternate ({@link Alternatives}), selected
 * by a tag member. QEMU's {@code QAPISchemaVariants}.
 */
public abstract class Variants {
    private final SourceInfo info;
    final List<Variant> variants;

    Variants(SourceInfo info, List<Variant> variants) {
        this.info = info;
        this.variants = new ArrayList<>(variants);
    }

    /** Where the union or alternate was written. */
    public SourceInfo info() {
        return info;
    }

    /** The member whose value selects the variant. */
    public abstract ObjectTypeMember tagMember();

    /** The variants, in source order; a union's implicit empty branches come last. */
    public List<Variant> variants() {
        return Collections.unmodifiableList(variants);
    }

    void setDefinedIn(String name) {
        for (Variant v : variants) {
            v.setDefinedIn(name);
        }
    }

    void check(Schema schema, Map<String, Member> seen) {
        for (Variant v : variants) {
            v.check(schema);
        }
    }
}

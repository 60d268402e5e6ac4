package org.qapi4j.codegen.model;

import java.util.List;
import org.qapi4j.codegen.source.SourceInfo;

/** A feature of a definition, member or enum value. QEMU's {@code QAPISchemaFeature}. */
public final class Feature extends Member {
    /** The features every schema has, with a fixed meaning. */
    public static final List<String> SPECIAL_NAMES = List.of("deprecated", "unstable");

    Feature(String name, SourceInfo info, IfCond ifCond) {
        super(name, info, ifCond);
    }

    @Override
    public String role() {
        return "feature";
    }

    /** Whether this is one of the {@link #SPECIAL_NAMES}. */
    public boolean isSpecial() {
        return SPECIAL_NAMES.contains(name());
    }
}

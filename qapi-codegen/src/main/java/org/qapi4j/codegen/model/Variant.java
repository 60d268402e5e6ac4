package org.qapi4j.codegen.model;

import org.qapi4j.codegen.source.SourceInfo;

/**
 * A union branch or an alternate's alternative: a name and the type used for it. QEMU's
 * {@code QAPISchemaVariant}.
 */
public final class Variant extends ObjectTypeMember {

    Variant(String name, SourceInfo info, String typeName, IfCond ifCond) {
        super(name, info, typeName, false, ifCond, null);
    }

    @Override
    public String role() {
        return "branch";
    }
}

package org.qapi4j.codegen.model;

import java.util.Collections;
import java.util.List;
import org.qapi4j.codegen.ast.QapiDoc;
import org.qapi4j.codegen.source.SourceInfo;

/** A value of an enumeration. QEMU's {@code QAPISchemaEnumMember}. */
public final class EnumMember extends Member {
    private final List<Feature> features;

    EnumMember(String name, SourceInfo info, IfCond ifCond, List<Feature> features) {
        super(name, info, ifCond);
        this.features = features != null ? List.copyOf(features) : List.of();
        for (Feature f : this.features) {
            f.setDefinedIn(name);
        }
    }

    @Override
    public String role() {
        return "value";
    }

    /** The value's features, in source order. */
    public List<Feature> features() {
        return Collections.unmodifiableList(features);
    }

    @Override
    void connectDoc(Schema schema, QapiDoc doc) {
        super.connectDoc(schema, doc);
        if (doc != null) {
            for (Feature f : features) {
                doc.connectFeature(f, schema.docEnforced());
            }
        }
    }
}

package org.qapi4j.codegen.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.qapi4j.codegen.ast.QapiDoc;
import org.qapi4j.codegen.source.SourceInfo;

/** A member of an object type. QEMU's {@code QAPISchemaObjectTypeMember}. */
public class ObjectTypeMember extends Member {
    private final String typeName;
    private SchemaType type;
    private final boolean optional;
    private final List<Feature> features;

    ObjectTypeMember(String name, SourceInfo info, String typeName, boolean optional, IfCond ifCond,
            List<Feature> features) {
        super(name, info, ifCond);
        this.features = features != null ? List.copyOf(features) : List.of();
        for (Feature f : this.features) {
            f.setDefinedIn(name);
        }
        this.typeName = typeName;
        this.optional = optional;
    }

    @Override
    public String role() {
        return "member";
    }

    /** The member's type, resolved by the check. */
    public SchemaType type() {
        return type;
    }

    /** Whether the member may be absent (written {@code '*name'}). */
    public boolean optional() {
        return optional;
    }

    /** The member's features, in source order. */
    public List<Feature> features() {
        return Collections.unmodifiableList(features);
    }

    void check(Schema schema) {
        if (definedIn() == null) {
            throw new IllegalStateException("member " + name() + " belongs nowhere");
        }
        type = schema.resolveType(typeName, info(), this::describe);
        Map<String, Member> seen = new LinkedHashMap<>();
        for (Feature f : features) {
            f.checkClash(info(), seen);
        }
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

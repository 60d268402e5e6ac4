package org.qapi4j.codegen.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.qapi4j.codegen.ast.QapiDoc;
import org.qapi4j.codegen.source.SourceInfo;

/** An enumeration. QEMU's {@code QAPISchemaEnumType}. */
public final class EnumType extends SchemaType {
    private final List<EnumMember> members;
    private final String prefix;

    EnumType(String name, SourceInfo info, QapiDoc doc, IfCond ifCond, List<Feature> features,
            List<EnumMember> members, String prefix) {
        super(name, info, doc, ifCond, features);
        this.members = List.copyOf(members);
        for (EnumMember m : this.members) {
            m.setDefinedIn(name);
        }
        this.prefix = prefix;
    }

    @Override
    public String meta() {
        return "enum";
    }

    /** The values, in source order. */
    public List<EnumMember> members() {
        return Collections.unmodifiableList(members);
    }

    /** The names of the values, in source order. */
    public List<String> memberNames() {
        List<String> names = new ArrayList<>();
        for (EnumMember m : members) {
            names.add(m.name());
        }
        return names;
    }

    /** The C constant prefix the schema asks for ({@code 'prefix'}), or null. */
    public String prefix() {
        return prefix;
    }

    /** Only {@code QType} is implicit (see the predefined types). */
    @Override
    public boolean isImplicit() {
        return "QType".equals(name());
    }

    @Override
    public String jsonType() {
        return "string";
    }

    @Override
    void check(Schema schema) {
        super.check(schema);
        Map<String, Member> seen = new LinkedHashMap<>();
        for (EnumMember m : members) {
            m.checkClash(info(), seen);
        }
    }

    @Override
    void connectDoc(Schema schema, QapiDoc doc) {
        super.connectDoc(schema, doc);
        QapiDoc d = doc != null ? doc : doc();
        for (EnumMember m : members) {
            m.connectDoc(schema, d);
        }
    }

    @Override
    void accept(SchemaVisitor visitor) {
        visitor.visitEnumType(this);
    }
}

package org.qapi4j.codegen.model;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.qapi4j.codegen.ast.QapiDoc;
import org.qapi4j.codegen.diag.SchemaException;
import org.qapi4j.codegen.source.SourceInfo;

/** An alternate: a value of one of several types told apart by JSON type. */
public final class AlternateType extends SchemaType {
    private final Alternatives alternatives;

    AlternateType(String name, SourceInfo info, QapiDoc doc, IfCond ifCond, List<Feature> features,
            Alternatives alternatives) {
        super(name, info, doc, ifCond, features);
        alternatives.setDefinedIn(name);
        alternatives.tagMember().setDefinedIn(name);
        this.alternatives = alternatives;
    }

    @Override
    public String meta() {
        return "alternate";
    }

    /** The alternatives, with the implicit tag member {@code type} of type {@code QType}. */
    public Alternatives alternatives() {
        return alternatives;
    }

    @Override
    public String jsonType() {
        return "value";
    }

    @Override
    void check(Schema schema) {
        super.check(schema);
        alternatives.tagMember().check(schema);
        // Nothing to clash with: no alternatives.checkClash().
        alternatives.check(schema, new LinkedHashMap<>());
        // Alternative names are not tied to enum values: check for collisions here.
        Map<String, Member> seen = new LinkedHashMap<>();
        Map<String, String> typesSeen = new HashMap<>();
        for (Variant v : alternatives.variants()) {
            v.checkClash(info(), seen);
            String qtype = v.type().alternateQType();
            if (qtype == null) {
                throw new SchemaException(info(),
                        v.describe(info()) + " cannot use " + v.type().describe());
            }
            Set<String> conflicting = new LinkedHashSet<>();
            conflicting.add(qtype);
            if (qtype.equals("QTYPE_QSTRING")) {
                if (v.type() instanceof EnumType) {
                    for (EnumMember m : ((EnumType) v.type()).members()) {
                        if (m.name().equals("on") || m.name().equals("off")) {
                            conflicting.add("QTYPE_QBOOL");
                        }
                        if (!m.name().isEmpty() && "-+0123456789.".indexOf(m.name().charAt(0)) >= 0) {
                            conflicting.add("QTYPE_QNUM");
                        }
                    }
                } else {
                    conflicting.add("QTYPE_QNUM");
                    conflicting.add("QTYPE_QBOOL");
                }
            }
            for (String qt : conflicting) {
                if (typesSeen.containsKey(qt)) {
                    throw new SchemaException(info(), v.describe(info())
                            + " can't be distinguished from '" + typesSeen.get(qt) + "'");
                }
                typesSeen.put(qt, v.name());
            }
        }
    }

    @Override
    void connectDoc(Schema schema, QapiDoc doc) {
        super.connectDoc(schema, doc);
        QapiDoc d = doc != null ? doc : doc();
        for (Variant v : alternatives.variants()) {
            v.connectDoc(schema, d);
        }
    }

    @Override
    void accept(SchemaVisitor visitor) {
        visitor.visitAlternateType(this);
    }
}

package org.qapi4j.codegen.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.qapi4j.codegen.ast.QapiDoc;
import org.qapi4j.codegen.source.SourceInfo;

/** A named definition: a type, a command or an event. QEMU's {@code QAPISchemaDefinition}. */
public abstract sealed class Definition extends Entity permits SchemaType, Command, Event {
    private final String name;
    private final QapiDoc doc;
    private final IfCond ifCond;
    private final List<Feature> features;

    Definition(String name, SourceInfo info, QapiDoc doc, IfCond ifCond, List<Feature> features) {
        super(info);
        this.name = name;
        this.doc = doc;
        this.ifCond = ifCond != null ? ifCond : IfCond.NONE;
        this.features = features != null ? List.copyOf(features) : List.of();
        for (Feature f : this.features) {
            f.setDefinedIn(name);
        }
    }

    public String name() {
        return name;
    }

    /** The documentation comment of the definition, or null. */
    public QapiDoc doc() {
        return doc;
    }

    /** The condition of the definition. */
    public IfCond ifCond() {
        return ifCond;
    }

    /** The features of the definition, in source order. */
    public List<Feature> features() {
        return Collections.unmodifiableList(features);
    }

    /** What QEMU calls this kind of definition: {@code enum}, {@code struct}, {@code command}... */
    public abstract String meta();

    /** The name as a C identifier ({@code c_name}). */
    public String cName() {
        return CNames.cName(name);
    }

    /** Whether QEMU made the definition up rather than reading it from the schema. */
    public boolean isImplicit() {
        return info() == null;
    }

    /** How messages name the definition: {@code META 'NAME'}. */
    public String describe() {
        return meta() + " '" + name + "'";
    }

    @Override
    void check(Schema schema) {
        if (checked) {
            throw new IllegalStateException("checked twice: " + this);
        }
        super.check(schema);
        Map<String, Member> seen = new LinkedHashMap<>();
        for (Feature f : features) {
            f.checkClash(info(), seen);
        }
    }

    @Override
    void connectDoc(Schema schema, QapiDoc doc) {
        QapiDoc d = doc != null ? doc : this.doc;
        if (d != null) {
            for (Feature f : features) {
                d.connectFeature(f, schema.docEnforced());
            }
        }
    }

    @Override
    public String toString() {
        return "<" + getClass().getSimpleName() + ":" + name + ">";
    }
}

package org.qapi4j.codegen.model;

import java.util.List;
import org.qapi4j.codegen.ast.QapiDoc;
import org.qapi4j.codegen.source.SourceInfo;

/** An event. QEMU's {@code QAPISchemaEvent}. */
public final class Event extends Definition {
    private final String argTypeName;
    private ObjectType argType;
    private final boolean boxed;

    Event(String name, SourceInfo info, QapiDoc doc, IfCond ifCond, List<Feature> features,
            String argTypeName, boolean boxed) {
        super(name, info, doc, ifCond, features);
        this.argTypeName = argTypeName;
        this.boxed = boxed;
    }

    @Override
    public String meta() {
        return "event";
    }

    /** The data's type (possibly implicit {@code q_obj_NAME-arg}), or null for none. */
    public ObjectType argType() {
        return argType;
    }

    /** {@code 'boxed'}, default false. */
    public boolean boxed() {
        return boxed;
    }

    @Override
    void check(Schema schema) {
        super.check(schema);
        if (argTypeName != null) {
            argType = ArgumentTypes.resolve(schema, this, argTypeName, boxed);
        }
    }

    @Override
    void connectDoc(Schema schema, QapiDoc doc) {
        super.connectDoc(schema, doc);
        QapiDoc d = doc != null ? doc : doc();
        if (d != null && argType != null && argType.isImplicit()) {
            argType.connectDoc(schema, d);
        }
    }

    @Override
    void accept(SchemaVisitor visitor) {
        visitor.visitEvent(this);
    }
}

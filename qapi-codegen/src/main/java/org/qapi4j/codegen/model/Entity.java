package org.qapi4j.codegen.model;

import org.qapi4j.codegen.ast.QapiDoc;
import org.qapi4j.codegen.source.SourceInfo;

/**
 * Anything the schema holds: a directive ({@link Include}) or a {@link Definition}. QEMU's
 * {@code QAPISchemaEntity}.
 */
public abstract sealed class Entity permits Include, Definition {
    private final SourceInfo info;
    private Module module;
    boolean checked;

    Entity(SourceInfo info) {
        this.info = info;
    }

    /**
     * Where the entity was written. For an implicit entity, where its first user triggered it;
     * null for the built-in types, their arrays, {@code q_empty} and {@code QType}.
     */
    public SourceInfo info() {
        return info;
    }

    /** The module the entity belongs to. */
    public Module module() {
        return module;
    }

    void check(Schema schema) {
        checked = true;
    }

    /** Connects the documentation: {@code doc} when given, else the entity's own. */
    void connectDoc(Schema schema, QapiDoc doc) {
    }

    void setModule(Schema schema) {
        setModule(schema, info);
    }

    final void setModule(Schema schema, SourceInfo where) {
        if (!checked) {
            throw new IllegalStateException("not checked: " + this);
        }
        String fileName = where != null ? where.fileName() : Module.BUILTIN_MODULE_NAME;
        module = schema.moduleByFileName(fileName);
        module.addEntity(this);
    }

    /** Calls the visitor method for this entity. */
    abstract void accept(SchemaVisitor visitor);

    @Override
    public String toString() {
        return "<" + getClass().getSimpleName() + ">";
    }
}

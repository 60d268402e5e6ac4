package org.qapi4j.codegen.model;

import org.qapi4j.codegen.source.SourceInfo;

/**
 * An array type {@code ELEMENTList}, made implicitly wherever {@code ['ELEMENT']} is written
 * (and for every built-in type). QEMU's {@code QAPISchemaArrayType}.
 */
public final class ArrayType extends SchemaType {
    private final String elementTypeName;
    private SchemaType elementType;

    ArrayType(String name, SourceInfo info, String elementTypeName) {
        super(name, info, null, null, null);
        this.elementTypeName = elementTypeName;
    }

    @Override
    public String meta() {
        return "array";
    }

    /** The element type; never an array. */
    public SchemaType elementType() {
        return elementType;
    }

    /** An array is conditional exactly when its element type is. */
    @Override
    public IfCond ifCond() {
        return elementType.ifCond();
    }

    @Override
    public boolean isImplicit() {
        return true;
    }

    @Override
    public String jsonType() {
        return "array";
    }

    @Override
    public String docType() {
        String element = elementType.docType();
        return element == null ? null : "array of " + element;
    }

    @Override
    public String describe() {
        return meta() + " type ['" + elementTypeName + "']";
    }

    @Override
    void check(Schema schema) {
        super.check(schema);
        SourceInfo info = info();
        elementType = schema.resolveType(
                elementTypeName, info, info != null ? info.definitionMeta() : null);
        if (elementType instanceof ArrayType) {
            throw new IllegalStateException("array of array: " + this);
        }
    }

    /** An array lives in its element type's module. */
    @Override
    void setModule(Schema schema) {
        setModule(schema, elementType.info());
    }

    @Override
    void accept(SchemaVisitor visitor) {
        visitor.visitArrayType(this);
    }
}

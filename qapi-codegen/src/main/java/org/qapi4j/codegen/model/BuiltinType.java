package org.qapi4j.codegen.model;

/** A built-in type such as {@code str} or {@code int32}. QEMU's {@code QAPISchemaBuiltinType}. */
public final class BuiltinType extends SchemaType {
    private final String jsonType;
    private final String cTypeName;

    BuiltinType(String name, String jsonType, String cTypeName) {
        super(name, null, null, null, null);
        this.jsonType = jsonType;
        this.cTypeName = cTypeName;
    }

    @Override
    public String meta() {
        return "built-in";
    }

    /** A built-in's name is already a C identifier. */
    @Override
    public String cName() {
        return name();
    }

    /** The C type QEMU maps the type to, e.g. {@code int64_t} or {@code char *}. */
    public String cTypeName() {
        return cTypeName;
    }

    @Override
    public String jsonType() {
        return jsonType;
    }

    @Override
    public String docType() {
        return jsonType;
    }

    @Override
    void accept(SchemaVisitor visitor) {
        visitor.visitBuiltinType(this);
    }
}

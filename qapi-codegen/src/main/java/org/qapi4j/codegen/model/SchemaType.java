package org.qapi4j.codegen.model;

import java.util.List;
import java.util.Map;
import org.qapi4j.codegen.ast.QapiDoc;
import org.qapi4j.codegen.diag.SchemaException;
import org.qapi4j.codegen.source.SourceInfo;

/** A type: built-in, enum, array, object or alternate. QEMU's {@code QAPISchemaType}. */
public abstract sealed class SchemaType extends Definition
        permits BuiltinType, EnumType, ArrayType, ObjectType, AlternateType {

    private static final Map<String, String> JSON_TO_QTYPE = Map.of(
            "null", "QTYPE_QNULL",
            "string", "QTYPE_QSTRING",
            "number", "QTYPE_QNUM",
            "int", "QTYPE_QNUM",
            "boolean", "QTYPE_QBOOL",
            "array", "QTYPE_QLIST",
            "object", "QTYPE_QDICT");

    SchemaType(String name, SourceInfo info, QapiDoc doc, IfCond ifCond, List<Feature> features) {
        super(name, info, doc, ifCond, features);
    }

    /**
     * The JSON type of the values: {@code string}, {@code number}, {@code int}, {@code boolean},
     * {@code null}, {@code value} (anything), {@code array} or {@code object}.
     */
    public abstract String jsonType();

    /** The {@code QTYPE_*} an alternate uses to tell this type's values apart, or null. */
    public String alternateQType() {
        return JSON_TO_QTYPE.get(jsonType());
    }

    /** The type's name as documentation shows it, or null for an implicit type. */
    public String docType() {
        return isImplicit() ? null : name();
    }

    @Override
    public String describe() {
        return meta() + " type '" + name() + "'";
    }

    @Override
    void check(Schema schema) {
        super.check(schema);
        for (Feature f : features()) {
            if (f.isSpecial()) {
                throw new SchemaException(
                        info(), "feature '" + f.name() + "' is not supported for types");
            }
        }
    }
}

package org.qapi4j.codegen.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import java.util.Map;
import org.qapi4j.codegen.model.ArrayType;
import org.qapi4j.codegen.model.BuiltinType;
import org.qapi4j.codegen.model.SchemaType;

/**
 * QAPI types as Java types, and the code that reads and writes their values.
 *
 * <p>Integers keep their QAPI width where Java has it ({@code int8} to {@code int32} are
 * {@code int}), {@code uint32} is a {@code long}, and {@code uint64}/{@code size} are a
 * {@code long} read as unsigned (values above {@link Long#MAX_VALUE} come out negative; see
 * {@link Long#toUnsignedString(long)}). Optional members are the boxed types, never primitives:
 * absent is {@code null}. {@code any} is Jackson's {@code JsonNode}.
 */
final class TypeMapping {

    /** How one built-in type is read, written and typed. */
    private record Builtin(TypeName required, TypeName optional, String readMethod, String writeMethod) {}

    private static final Map<String, Builtin> BUILTINS = Map.ofEntries(
            Map.entry("str", new Builtin(ClassName.get(String.class), ClassName.get(String.class), "readStr", "string")),
            Map.entry("int", new Builtin(TypeName.LONG, TypeName.LONG.box(), "readInt", "integer")),
            Map.entry("int64", new Builtin(TypeName.LONG, TypeName.LONG.box(), "readInt", "integer")),
            Map.entry("int8", new Builtin(TypeName.INT, TypeName.INT.box(), "readInt8", "integer")),
            Map.entry("int16", new Builtin(TypeName.INT, TypeName.INT.box(), "readInt16", "integer")),
            Map.entry("int32", new Builtin(TypeName.INT, TypeName.INT.box(), "readInt32", "integer")),
            Map.entry("uint8", new Builtin(TypeName.INT, TypeName.INT.box(), "readUint8", "integer")),
            Map.entry("uint16", new Builtin(TypeName.INT, TypeName.INT.box(), "readUint16", "integer")),
            Map.entry("uint32", new Builtin(TypeName.LONG, TypeName.LONG.box(), "readUint32", "integer")),
            Map.entry("uint64", new Builtin(TypeName.LONG, TypeName.LONG.box(), "readUint64", "unsigned")),
            Map.entry("size", new Builtin(TypeName.LONG, TypeName.LONG.box(), "readSize", "unsigned")),
            Map.entry("number", new Builtin(TypeName.DOUBLE, TypeName.DOUBLE.box(), "readNumber", "number")),
            Map.entry("bool", new Builtin(TypeName.BOOLEAN, TypeName.BOOLEAN.box(), "readBool", "bool")),
            Map.entry("any", new Builtin(RuntimeTypes.JSON_NODE, RuntimeTypes.JSON_NODE, "readAny", null)),
            Map.entry("null", new Builtin(RuntimeTypes.QAPI_NULL, RuntimeTypes.QAPI_NULL, "readNull", null)));

    private final TypeNames names;

    TypeMapping(TypeNames names) {
        this.names = names;
    }

    private static Builtin builtin(SchemaType type) {
        return type instanceof BuiltinType ? BUILTINS.get(type.name()) : null;
    }

    /** The Java type of a member of {@code type}; boxed when {@code optional}. */
    TypeName javaType(SchemaType type, boolean optional) {
        Builtin builtin = builtin(type);
        if (builtin != null) {
            return optional ? builtin.optional() : builtin.required();
        }
        if (type instanceof ArrayType) {
            return ParameterizedTypeName.get(RuntimeTypes.LIST, javaType(((ArrayType) type).elementType(), true));
        }
        return names.type(type.name());
    }

    /** An expression reading member {@code wireName} (or the next element, for null) from {@code in}. */
    CodeBlock read(SchemaType type, String wireName) {
        return read(type, wireName == null ? CodeBlock.of("null") : CodeBlock.of("$S", wireName));
    }

    /** An expression reading the member whose name is the value of {@code name}. */
    CodeBlock read(SchemaType type, CodeBlock name) {
        Builtin builtin = builtin(type);
        if (builtin != null) {
            return CodeBlock.of("in.$L($L)", builtin.readMethod(), name);
        }
        if (type instanceof ArrayType) {
            return CodeBlock.of("in.readList($L, $L)", name, decoder(((ArrayType) type).elementType()));
        }
        return CodeBlock.of("$T.decode(in, $L)", names.type(type.name()), name);
    }

    /**
     * An expression reading mandatory member {@code wireName}, which a tolerant reader may find
     * missing: the reader's own method for built-in types and arrays (each returns its type's
     * default then), {@code in.readMember(NAME, Type::decode)} for the schema's types.
     */
    CodeBlock readMandatory(SchemaType type, String wireName) {
        if (builtin(type) != null || type instanceof ArrayType) {
            return read(type, wireName);
        }
        return CodeBlock.of("in.readMember($S, $L)", wireName, decoder(type));
    }

    /**
     * What a mandatory member of {@code type} reads as when it is missing, as Javadoc: the
     * default of its Java type.
     */
    static String missingValue(SchemaType type) {
        Builtin builtin = builtin(type);
        TypeName java = builtin != null ? builtin.required() : ClassName.OBJECT;
        if (java.equals(TypeName.BOOLEAN)) {
            return "{@code false}";
        }
        if (java.equals(TypeName.DOUBLE)) {
            return "{@code 0.0}";
        }
        return java.isPrimitive() ? "{@code 0}" : "{@code null}";
    }

    /** A {@code Decoder} for elements of {@code type}, as a method reference. */
    CodeBlock decoder(SchemaType type) {
        Builtin builtin = builtin(type);
        if (builtin != null) {
            return CodeBlock.of("$T::$L", RuntimeTypes.QAPI_READER, builtin.readMethod());
        }
        return CodeBlock.of("$T::decode", names.type(type.name()));
    }

    /** An expression for the JSON form of {@code value}, a value of {@code type}. */
    CodeBlock write(SchemaType type, CodeBlock value) {
        Builtin builtin = builtin(type);
        if (builtin != null) {
            if (builtin.writeMethod() == null) {
                return type.name().equals("any") ? value : CodeBlock.of("$L.toJson()", value);
            }
            return CodeBlock.of("$T.$L($L)", RuntimeTypes.JSON, builtin.writeMethod(), value);
        }
        if (type instanceof ArrayType) {
            return CodeBlock.of("$T.array($L, $L)", RuntimeTypes.JSON, value, encoder(((ArrayType) type).elementType()));
        }
        return CodeBlock.of("$L.toJson()", value);
    }

    /** A function from a value of {@code type} to its JSON form, as a method reference. */
    CodeBlock encoder(SchemaType type) {
        Builtin builtin = builtin(type);
        if (builtin != null) {
            if (builtin.writeMethod() == null) {
                return type.name().equals("any")
                        ? CodeBlock.of("node -> node")
                        : CodeBlock.of("$T::toJson", javaType(type, true));
            }
            // A lambda rather than a method reference: Json's parameter types are primitive, and
            // javac cannot infer the element type of a List<Integer> through Json::integer.
            return CodeBlock.of("element -> $T.$L(element)", RuntimeTypes.JSON, builtin.writeMethod());
        }
        return CodeBlock.of("$T::toJson", names.type(type.name()));
    }

    /** Whether the Java type of a required member of {@code type} is a primitive. */
    boolean isPrimitive(SchemaType type) {
        return javaType(type, false).isPrimitive();
    }
}

package org.qapi4j.qmp.codec;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.qmp.types.QapiNull;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a JSON value into QAPI types the way QEMU's QObject input visitor does, so that bad
 * input gets QEMU's exact error text: {@code Parameter 'capabilities[0].state' is missing},
 * {@code Invalid parameter type for 'x', expected: boolean}, {@code Parameter 'x' expects
 * uint32_t}, {@code Parameter 'x' does not accept value 'y'}, {@code Parameter 'x' is
 * unexpected}.
 *
 * <p>Generated decoders drive it exactly as QEMU's generated visitors drive theirs: open an
 * object, read its members in schema order, close it; open an array, read its elements. The
 * reader keeps the stack of open containers ({@code OpenContainers}) to name the place of an
 * error.
 *
 * <p>Two modes. {@link #strict} is a server's: members the schema does not know are errors,
 * like unknown enum values and union branches, and so is a mandatory member that is absent.
 * {@link #tolerant} is a client's, talking to a server that may be newer or older than its
 * schema: unknown members are handed back to the caller by {@link #endObject()}, unknown enum
 * values, union branches and alternate kinds are kept by the generated types, and a mandatory
 * member that is absent is recorded ({@link #missingMembers()}) and read as the default of its
 * Java type: {@code null}, {@code 0}, {@code 0.0} or {@code false}. Type errors are errors in
 * both modes.
 */
public final class QapiReader {
    private static final BigInteger MIN_INT64 = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger MAX_UINT64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    /** The special feature {@code deprecated}, for {@link #specialFeatures} and {@link #checkValue}. */
    public static final int DEPRECATED = 1;
    /** The special feature {@code unstable}. */
    public static final int UNSTABLE = 2;

    private final boolean strict;
    private final CompatPolicy policy;
    /** Where in the input the reader is; the checks of values are this class's. */
    private final OpenContainers open;

    private QapiReader(JsonNode root, boolean strict, CompatPolicy policy) {
        this.strict = strict;
        this.policy = policy;
        this.open = new OpenContainers(root, policy);
    }

    /** A reader for a server: anything the schema does not describe is an error. */
    public static QapiReader strict(JsonNode root) {
        return new QapiReader(root, true, CompatPolicy.ACCEPT_ALL);
    }

    /**
     * A reader for a server that also applies {@code policy} to the members and enum values
     * the schema marks deprecated or unstable, with QEMU's errors ("Deprecated parameter NAME
     * disabled by policy").
     */
    public static QapiReader strict(JsonNode root, CompatPolicy policy) {
        return new QapiReader(root, true, policy);
    }

    /** A reader for a client: what the schema does not describe is kept, not rejected. */
    public static QapiReader tolerant(JsonNode root) {
        return new QapiReader(root, false, CompatPolicy.ACCEPT_ALL);
    }

    /** Reads the whole input with {@code decoder}. */
    public static <T> T read(JsonNode root, boolean strict, Decoder<T> decoder) {
        return decoder.decode(new QapiReader(root, strict, CompatPolicy.ACCEPT_ALL), null);
    }

    public boolean isStrict() {
        return strict;
    }

    // ---- containers -------------------------------------------------------------------------

    /**
     * The value {@code name} (the next element, in an array; the root, when nothing is open).
     * Absent, it is QEMU's error, except to a tolerant reader in an object, which records it as
     * missing and returns null: each read method then returns its type's default.
     */
    private @Nullable JsonNode require(@Nullable String name, boolean consume) {
        JsonNode value = open.find(name, consume);
        if (value == null) {
            if (strict || name == null) {
                throw error("Parameter '" + fullName(name) + "' is missing");
            }
            open.markMissing(name);
        }
        return value;
    }

    /** QEMU's name for what is being read, from the root: {@code a.b[2].c}. */
    String fullName(@Nullable String name) {
        return open.fullName(name);
    }

    /** The member's own name as QEMU's range and enum checks print it: {@code null} in arrays. */
    private static String bareName(@Nullable String name) {
        return name != null ? name : "null";
    }

    private static QmpException error(String description) {
        return QmpException.generic(description);
    }

    private QmpException typeError(@Nullable String name, String expected) {
        return error("Invalid parameter type for '" + fullName(name) + "', expected: " + expected);
    }

    /**
     * Declares that member {@code name} of the innermost object has the special features
     * {@code features} ({@link #DEPRECATED}, {@link #UNSTABLE}): when it is read, the reader's
     * compatibility policy may refuse it, as QEMU's generated visitors do. Decoders call this
     * after opening the object, before reading its members.
     */
    public void specialFeatures(String name, int features) {
        if (policy.acceptsAll()) {
            return;
        }
        open.specialFeatures(name, features);
    }

    /**
     * Applies the compatibility policy to an enum value just read that has the special
     * features {@code features}: QEMU's "Deprecated value drei disabled by policy".
     */
    public void checkValue(String value, int features) {
        String refused = policy.refusal("value", value, features);
        if (refused != null) {
            throw error(refused);
        }
    }

    /** Whether the innermost object has member {@code name} (QEMU's {@code visit_optional}). */
    public boolean has(String name) {
        return open.find(name, false) != null;
    }

    /**
     * Reads mandatory member {@code name} of a schema type (enum, struct, union, alternate) with
     * {@code decoder}. Strict: exactly {@code decoder.decode(this, name)}, an absent member being
     * QEMU's error. Tolerant: an absent member is recorded as missing and read as null.
     */
    public <T> @Nullable T readMember(String name, Decoder<T> decoder) {
        if (!strict && open.find(name, false) == null) {
            open.markMissing(name);
            return null;
        }
        return decoder.decode(this, name);
    }

    /**
     * The mandatory members of the innermost object that were absent, by wire name in the
     * order read; only a tolerant reader finds any. Decoders pass them to the value they make,
     * before they close the object.
     */
    public Set<String> missingMembers() {
        return open.missingMembers();
    }

    /** Opens the object {@code name}. */
    public void beginObject(@Nullable String name) {
        JsonNode value = require(name, true);
        if (!value.isObject()) {
            throw typeError(name, "object");
        }
        open.openObject(name, (ObjectNode) value);
    }

    /**
     * Closes the innermost object. Strict: a member nobody read is an error. Tolerant: the
     * members nobody read are returned, for the caller to keep; null when there are none.
     *
     * <p>When several members are unexpected, QEMU names one, the first of a hash table's
     * iteration; {@link UnexpectedMember} computes which, from the members' order in the JSON
     * text and the order they were read in, so the error names the same member as QEMU 7.2.
     */
    public @Nullable ObjectNode endObject() {
        return open.closeObject(strict);
    }

    /** Reads the array {@code name}, each element with {@code element}; missing, null. */
    public <T> @Nullable List<T> readList(@Nullable String name, Decoder<T> element) {
        JsonNode value = require(name, true);
        if (value == null) {
            return null;
        }
        if (!value.isArray()) {
            throw typeError(name, "array");
        }
        open.openArray(name, value);
        List<T> elements = new ArrayList<>(value.size());
        while (open.hasNextElement()) {
            elements.add(element.decode(this, null));
        }
        open.closeArray();
        return List.copyOf(elements);
    }

    // ---- scalars ----------------------------------------------------------------------------

    /** {@code str}; missing, null. */
    public @Nullable String readStr(@Nullable String name) {
        JsonNode value = require(name, true);
        if (value == null) {
            return null;
        }
        if (!value.isString()) {
            throw typeError(name, "string");
        }
        return value.stringValue();
    }

    /** {@code bool}; missing, false. */
    public boolean readBool(@Nullable String name) {
        JsonNode value = require(name, true);
        if (value == null) {
            return false;
        }
        if (!value.isBoolean()) {
            throw typeError(name, "boolean");
        }
        return value.booleanValue();
    }

    /** {@code int} and {@code int64}; missing, 0 (as every integer type). */
    public long readInt(@Nullable String name) {
        JsonNode value = require(name, true);
        if (value == null) {
            return 0;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw typeError(name, "integer");
        }
        return value.longValue();
    }

    /** {@code int8}, {@code int16}, {@code int32}: an {@code int64}, then the range. */
    private int readIntN(@Nullable String name, long min, long max, String cType) {
        long value = readInt(name);
        if (value < min || value > max) {
            throw error("Parameter '" + bareName(name) + "' expects " + cType);
        }
        return (int) value;
    }

    /**
     * {@code uint64} and {@code size}, held in a {@code long} as two's complement: values past
     * {@link Long#MAX_VALUE} come back negative. QEMU accepts negative input here too (for
     * backward compatibility) and so does this.
     */
    public long readUint64(@Nullable String name) {
        JsonNode value = require(name, true);
        if (value == null) {
            return 0;
        }
        if (value.isIntegralNumber()) {
            if (value.canConvertToLong()) {
                return value.longValue();
            }
            BigInteger big = value.bigIntegerValue();
            if (big.compareTo(MIN_INT64) >= 0 && big.compareTo(MAX_UINT64) <= 0) {
                return big.longValue();
            }
        }
        throw error("Parameter '" + fullName(name) + "' expects uint64");
    }

    /** {@code uint8}, {@code uint16}, {@code uint32}: a {@code uint64}, then the range. */
    private long readUintN(@Nullable String name, long max, String cType) {
        long value = readUint64(name);
        if (Long.compareUnsigned(value, max) > 0) {
            throw error("Parameter '" + bareName(name) + "' expects " + cType);
        }
        return value;
    }

    public int readInt8(@Nullable String name) {
        return readIntN(name, Byte.MIN_VALUE, Byte.MAX_VALUE, "int8_t");
    }

    public int readInt16(@Nullable String name) {
        return readIntN(name, Short.MIN_VALUE, Short.MAX_VALUE, "int16_t");
    }

    public int readInt32(@Nullable String name) {
        return readIntN(name, Integer.MIN_VALUE, Integer.MAX_VALUE, "int32_t");
    }

    public int readUint8(@Nullable String name) {
        return (int) readUintN(name, 0xffL, "uint8_t");
    }

    public int readUint16(@Nullable String name) {
        return (int) readUintN(name, 0xffffL, "uint16_t");
    }

    public long readUint32(@Nullable String name) {
        return readUintN(name, 0xffff_ffffL, "uint32_t");
    }

    /** {@code size}: QEMU reads it as a {@code uint64} from QMP. */
    public long readSize(@Nullable String name) {
        return readUint64(name);
    }

    /** {@code number}; missing, 0.0. */
    public double readNumber(@Nullable String name) {
        JsonNode value = require(name, true);
        if (value == null) {
            return 0.0;
        }
        if (!value.isNumber()) {
            throw typeError(name, "number");
        }
        return value.doubleValue();
    }

    /** {@code any}: whatever JSON value is there; missing, null. */
    public @Nullable JsonNode readAny(@Nullable String name) {
        return require(name, true);
    }

    /** {@code null}: only JSON null; missing, Java's null. */
    public @Nullable QapiNull readNull(@Nullable String name) {
        JsonNode value = require(name, true);
        if (value == null) {
            return null;
        }
        if (!value.isNull()) {
            throw typeError(name, "null");
        }
        return QapiNull.NULL;
    }

    /**
     * An enum's wire name. Whether the schema knows it is the generated enum's business: it
     * calls {@link #unknownEnumValue} when it does not.
     */
    public @Nullable String readEnum(@Nullable String name) {
        return readStr(name);
    }

    /** Strict: rejects an enum value the schema does not know, as QEMU does. Tolerant: accepts. */
    public void unknownEnumValue(@Nullable String name, String value) {
        if (strict) {
            throw error("Parameter '" + bareName(name) + "' does not accept value '" + value + "'");
        }
    }

    // ---- alternates -------------------------------------------------------------------------

    /**
     * The value {@code name} without reading it, so that an alternate can choose its branch by
     * the JSON type; the branch then reads it.
     */
    public @Nullable JsonNode peek(@Nullable String name) {
        return require(name, false);
    }

    /**
     * Strict: rejects a value that fits none of the alternate's branches, as QEMU does (naming
     * the alternate type). Tolerant: reads it as it is, for the alternate's unknown branch.
     */
    public @Nullable JsonNode noAlternative(@Nullable String name, String alternateType) {
        if (strict) {
            throw error("Invalid parameter type for '" + bareName(name) + "', expected: " + alternateType);
        }
        return readAny(name);
    }
}

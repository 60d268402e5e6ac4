package org.qapi4j.qmp.json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.List;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON values as QMP uses them, on Jackson's tree model: the one mapper and node factory of the
 * runtime, and the few conversions generated code needs that Jackson does not spell the QMP
 * way (unsigned 64-bit integers).
 */
public final class Json {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

    private Json() {}

    /**
     * The mapper, made when first used (the holder idiom): building one costs tens of
     * milliseconds at start-up, and a QMP server, which reads and writes JSON with its own
     * parser and writer, never needs it; only the nodes.
     */
    private static final class Mapper {
        static final JsonMapper MAPPER = JsonMapper.builder().build();
    }

    /** The shared mapper: thread-safe, configured once. */
    public static JsonMapper mapper() {
        return Mapper.MAPPER;
    }

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    public static ArrayNode array() {
        return NODES.arrayNode();
    }

    /** A JSON array of {@code elements}, each converted by {@code toJson}. */
    public static <T> ArrayNode array(List<T> elements, Function<? super T, ? extends JsonNode> toJson) {
        ArrayNode array = NODES.arrayNode(elements.size());
        for (T element : elements) {
            array.add(toJson.apply(element));
        }
        return array;
    }

    public static JsonNode string(String value) {
        return NODES.stringNode(value);
    }

    public static JsonNode integer(long value) {
        return NODES.numberNode(value);
    }

    /**
     * An unsigned 64-bit integer held in a {@code long}: values whose top bit is set are
     * written as the large positive numbers they stand for, as QEMU writes a {@code uint64}.
     */
    public static JsonNode unsigned(long value) {
        if (value >= 0) {
            return NODES.numberNode(value);
        }
        return NODES.numberNode(BigInteger.valueOf(value).add(TWO_TO_64));
    }

    public static JsonNode number(double value) {
        return NODES.numberNode(value);
    }

    public static JsonNode bool(boolean value) {
        return NODES.booleanNode(value);
    }

    public static JsonNode nullValue() {
        return NODES.nullNode();
    }

    /** Compact JSON text, as QMP sends it. */
    public static String write(JsonNode node) {
        return Mapper.MAPPER.writeValueAsString(node);
    }

    /**
     * Reads a JSON resource that lies beside {@code anchor} (generated data such as the
     * introspection answer).
     *
     * @throws UncheckedIOException when it is missing or unreadable: a build that lost a
     *     generated resource is broken, not a condition to handle
     */
    public static JsonNode readResource(Class<?> anchor, String name) {
        try (InputStream in = anchor.getResourceAsStream(name)) {
            if (in == null) {
                throw new UncheckedIOException(new IOException("resource " + name + " missing beside " + anchor.getName()));
            }
            return Mapper.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses JSON text into a tree. */
    public static JsonNode parse(String text) {
        return Mapper.MAPPER.readTree(text);
    }
}

package org.qapi4j.qmp.wire;

import static org.qapi4j.qmp.wire.JsonLexer.T_COLON;
import static org.qapi4j.qmp.wire.JsonLexer.T_COMMA;
import static org.qapi4j.qmp.wire.JsonLexer.T_FLOAT;
import static org.qapi4j.qmp.wire.JsonLexer.T_INTEGER;
import static org.qapi4j.qmp.wire.JsonLexer.T_KEYWORD;
import static org.qapi4j.qmp.wire.JsonLexer.T_LCURLY;
import static org.qapi4j.qmp.wire.JsonLexer.T_LSQUARE;
import static org.qapi4j.qmp.wire.JsonLexer.T_RCURLY;
import static org.qapi4j.qmp.wire.JsonLexer.T_RSQUARE;
import static org.qapi4j.qmp.wire.JsonLexer.T_STRING;

import java.util.Arrays;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * QEMU's JSON parser ({@code qobject/json-parser.c}) turned inside out: json-parser.c descends
 * recursively over a finished token list, this one takes the tokens one at a time as the
 * streamer passes them, with an explicit stack, so a message is built while it arrives and
 * never held as tokens. Same grammar, same error texts; only the first error of a message
 * counts, as in QEMU. What a token's text means (strings, numbers, keywords) is
 * {@link JsonTokenValues}'s part. Not thread-safe.
 */
final class JsonTreeParser {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static final int TOP_EXPECT = 0;
    private static final int TOP_DONE = 1;
    private static final int ARR_FIRST = 2;
    private static final int ARR_AFTER_VALUE = 3;
    private static final int ARR_AFTER_COMMA = 4;
    private static final int OBJ_FIRST = 5; // expecting '}' or a key
    private static final int OBJ_AFTER_KEY = 6;
    private static final int OBJ_AFTER_COLON = 7;
    private static final int OBJ_AFTER_VALUE = 8;
    private static final int OBJ_AFTER_COMMA = 9; // expecting a key

    private final JsonTokenValues values = new JsonTokenValues();
    private int topState = TOP_EXPECT;
    private JsonNode result;
    /** The first parse error of the current message (QEMU keeps only the first). */
    private String parseError;
    private int depth;
    private int[] frameState = new int[16];
    private JsonNode[] frameNode = new JsonNode[16];
    private String[] frameKey = new String[16];

    /** The message the tokens since the last {@link #reset()} make, once the streamer says they are complete. */
    JsonMessage message() {
        if (parseError != null) {
            return new JsonMessage.ParseError(parseError);
        }
        if (topState == TOP_DONE) {
            return new JsonMessage.Value(result);
        }
        return new JsonMessage.ParseError("JSON parse error, premature EOI");
    }

    void reset() {
        topState = TOP_EXPECT;
        result = null;
        parseError = null;
        Arrays.fill(frameNode, 0, depth, null);
        Arrays.fill(frameKey, 0, depth, null);
        depth = 0;
    }

    void token(int type, byte[] token, int len) {
        if (parseError != null) {
            return; // only the first error counts; the rest of the message is skipped
        }
        int state = depth == 0 ? topState : frameState[depth - 1];
        switch (state) {
            case TOP_EXPECT, ARR_AFTER_COMMA, OBJ_AFTER_COMMA, OBJ_AFTER_COLON -> beginValue(type, token, len);
            case ARR_FIRST -> {
                if (type == T_RSQUARE) {
                    endContainer();
                } else {
                    beginValue(type, token, len);
                }
            }
            case OBJ_FIRST -> {
                if (type == T_RCURLY) {
                    endContainer();
                } else {
                    beginValue(type, token, len);
                }
            }
            case ARR_AFTER_VALUE -> {
                if (type == T_RSQUARE) {
                    endContainer();
                } else if (type == T_COMMA) {
                    frameState[depth - 1] = ARR_AFTER_COMMA;
                } else {
                    error("expected separator in list");
                }
            }
            case OBJ_AFTER_KEY -> {
                if (type == T_COLON) {
                    frameState[depth - 1] = OBJ_AFTER_COLON;
                } else {
                    error("missing : in object pair");
                }
            }
            case OBJ_AFTER_VALUE -> {
                if (type == T_RCURLY) {
                    endContainer();
                } else if (type == T_COMMA) {
                    frameState[depth - 1] = OBJ_AFTER_COMMA;
                } else {
                    error("expected separator in dict");
                }
            }
            default -> error("premature EOI"); // TOP_DONE: the framing never lets this happen
        }
    }

    private void beginValue(int type, byte[] token, int len) {
        switch (type) {
            case T_LCURLY -> push(OBJ_FIRST, NODES.objectNode());
            case T_LSQUARE -> push(ARR_FIRST, NODES.arrayNode());
            case T_STRING -> scalar(values.string(token, len));
            case T_INTEGER -> completeValue(values.integer(token, len));
            case T_FLOAT -> completeValue(values.floating(token, len));
            case T_KEYWORD -> scalar(values.keyword(token, len));
            default -> error("expecting value");
        }
    }

    /** A value that may have been refused: then {@link JsonTokenValues#error()} says why. */
    private void scalar(JsonNode value) {
        if (value != null) {
            completeValue(value);
        } else {
            error(values.error());
        }
    }

    private void push(int state, JsonNode node) {
        if (depth == frameState.length) {
            int n = depth * 2;
            frameState = Arrays.copyOf(frameState, n);
            frameNode = Arrays.copyOf(frameNode, n);
            frameKey = Arrays.copyOf(frameKey, n);
        }
        frameState[depth] = state;
        frameNode[depth] = node;
        depth++;
    }

    private void endContainer() {
        depth--;
        JsonNode node = frameNode[depth];
        frameNode[depth] = null;
        frameKey[depth] = null;
        completeValue(node);
    }

    private void completeValue(JsonNode value) {
        if (depth == 0) {
            result = value;
            topState = TOP_DONE;
            return;
        }
        int f = depth - 1;
        switch (frameState[f]) {
            case ARR_FIRST, ARR_AFTER_COMMA -> {
                ((ArrayNode) frameNode[f]).add(value);
                frameState[f] = ARR_AFTER_VALUE;
            }
            case OBJ_FIRST, OBJ_AFTER_COMMA -> {
                if (value.isString()) {
                    frameKey[f] = value.stringValue();
                    frameState[f] = OBJ_AFTER_KEY;
                } else {
                    error("key is not a string in object");
                }
            }
            case OBJ_AFTER_COLON -> {
                if (((ObjectNode) frameNode[f]).putIfAbsent(frameKey[f], value) != null) {
                    error("duplicate key");
                } else {
                    frameKey[f] = null;
                    frameState[f] = OBJ_AFTER_VALUE;
                }
            }
            default -> throw new IllegalStateException("value in state " + frameState[f]);
        }
    }

    private void error(String message) {
        if (parseError == null) {
            // json-parser.c formats into a 1024-byte buffer: long messages are cut.
            if (message.length() > 1023) {
                message = message.substring(0, 1023);
            }
            parseError = "JSON parse error, " + message;
        }
    }
}

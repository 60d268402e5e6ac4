package org.qapi4j.vmm.machine.program.kvstore;

import static org.qapi4j.vmm.machine.program.kvstore.KvstoreLayout.MAX_KEY;
import static org.qapi4j.vmm.machine.program.kvstore.KvstoreLayout.MAX_REQUEST_ID;
import static org.qapi4j.vmm.machine.program.kvstore.KvstoreLayout.MAX_VALUE;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One request line of the kvstore protocol, parsed; any line, however malformed, parses to
 * something, an {@link Invalid} at worst. See {@link KvstoreProgram} for the protocol.
 */
sealed interface KvstoreRequest {
    record Put(byte[] requestId, byte[] key, byte[] value) implements KvstoreRequest {}

    record Get(byte[] key) implements KvstoreRequest {}

    /** A request without arguments: {@code TIME}, {@code RAND}, {@code STATS}, {@code PING}. */
    record Plain(String command) implements KvstoreRequest {}

    /** Not a valid request; {@code reason} follows {@code ERR } in the answer. */
    record Invalid(String reason) implements KvstoreRequest {}

    static KvstoreRequest parse(byte[] line) {
        if (line.length == 0) {
            return new Invalid("empty line");
        }
        int space = indexOf(line, 0);
        String command = space < 0 ? ascii(line, 0, line.length) : ascii(line, 0, space);
        switch (command) {
            case "PUT":
                return parsePut(line, space);
            case "GET":
                return parseGet(line, space);
            case "TIME":
            case "RAND":
            case "STATS":
            case "PING":
                return space < 0 ? new Plain(command) : new Invalid("usage: " + command);
            default:
                return new Invalid("unknown command");
        }
    }

    private static KvstoreRequest parsePut(byte[] line, int space) {
        int idEnd = space < 0 ? -1 : indexOf(line, space + 1);
        int keyEnd = idEnd < 0 ? -1 : indexOf(line, idEnd + 1);
        if (keyEnd < 0) {
            return new Invalid("usage: PUT <request-id> <key> <value>");
        }
        byte[] requestId = Arrays.copyOfRange(line, space + 1, idEnd);
        byte[] key = Arrays.copyOfRange(line, idEnd + 1, keyEnd);
        byte[] value = Arrays.copyOfRange(line, keyEnd + 1, line.length);
        String problem = tokenProblem("request id", requestId, MAX_REQUEST_ID);
        if (problem == null) {
            problem = tokenProblem("key", key, MAX_KEY);
        }
        if (problem == null && value.length > MAX_VALUE) {
            problem = "value longer than " + MAX_VALUE + " bytes";
        }
        return problem == null ? new Put(requestId, key, value) : new Invalid(problem);
    }

    private static KvstoreRequest parseGet(byte[] line, int space) {
        if (space < 0) {
            return new Invalid("usage: GET <key>");
        }
        byte[] key = Arrays.copyOfRange(line, space + 1, line.length);
        if (indexOf(key, 0) >= 0) {
            return new Invalid("usage: GET <key>");
        }
        String problem = tokenProblem("key", key, MAX_KEY);
        return problem == null ? new Get(key) : new Invalid(problem);
    }

    /** Why {@code token} is not a valid request id or key, or null: 1..max bytes, no control bytes. */
    private static String tokenProblem(String what, byte[] token, int max) {
        if (token.length == 0) {
            return "empty " + what;
        }
        if (token.length > max) {
            return what + " longer than " + max + " bytes";
        }
        for (byte b : token) {
            if ((b & 0xFF) <= 0x20 || b == 0x7F) {
                return "control character in " + what;
            }
        }
        return null;
    }

    private static int indexOf(byte[] line, int from) {
        for (int i = from; i < line.length; i++) {
            if (line[i] == ' ') {
                return i;
            }
        }
        return -1;
    }

    /** The command word, only if it is short printable ASCII: anything else is unknown anyway. */
    private static String ascii(byte[] line, int from, int to) {
        if (to - from > 8) {
            return "";
        }
        for (int i = from; i < to; i++) {
            if (line[i] < 0x21 || line[i] > 0x7E) {
                return "";
            }
        }
        return new String(line, from, to - from, StandardCharsets.US_ASCII);
    }
}

package org.qapi4j.qmp.wire;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The one JSON writer of the runtime: JSON text exactly as QEMU 7.2 writes it on a QMP monitor ({@code qobject/json-writer.c} over
 * {@code qobject/qdict.c}), so that a client comparing bytes cannot tell this server from QEMU.
 *
 * <ul>
 *   <li>Separators {@code ", "} and {@code ": "}; empty containers {@code {}} and {@code []}.
 *   <li>Object members in QEMU's {@code QDict} order ({@link QDictOrder}): that is why QEMU
 *       writes {@code {"return": ..., "id": ...}} but {@code {"id": ..., "error": ...}}, and
 *       {@code query-status} as {@code {"status": ..., "singlestep": ..., "running": ...}}. The
 *       order of a node's members here stands for QEMU's insertion order (schema order for
 *       generated types, input order for echoed ids), which decides only among members of the
 *       same bucket.
 *   <li>Strings: {@code \" \\ \b \f \n \r \t} escaped by name; other control characters, DEL
 *       and every non-ASCII character as {@code \\uXXXX} (upper-case hex, surrogate pairs
 *       beyond the BMP): the output is pure ASCII.
 *   <li>Integers in decimal (int64 and uint64); other numbers as C's {@code %.17g}
 *       ({@code 1.5}, {@code 0.10000000000000001}, {@code 1e+20}).
 * </ul>
 */
public final class QemuJson {
    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);
    private static final MathContext SEVENTEEN_DIGITS = new MathContext(17, RoundingMode.HALF_EVEN);
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private QemuJson() {}

    /** {@code node} as QEMU writes it, without line end. */
    public static String write(JsonNode node) {
        StringBuilder out = new StringBuilder(64);
        write(node, out);
        return out.toString();
    }

    /** {@code node} as one QMP output line: QEMU's text, then {@code \r\n}, in ASCII bytes. */
    public static byte[] line(JsonNode node) {
        StringBuilder out = new StringBuilder(64);
        write(node, out);
        out.append("\r\n");
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void write(JsonNode node, StringBuilder out) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            out.append("null");
        } else if (node.isObject()) {
            out.append('{');
            List<String> names = new ArrayList<>(node.size());
            for (Map.Entry<String, JsonNode> member : node.properties()) {
                names.add(member.getKey());
            }
            boolean first = true;
            for (String name : QDictOrder.of(names)) {
                if (!first) {
                    out.append(", ");
                }
                first = false;
                quoted(name, out);
                out.append(": ");
                write(node.get(name), out);
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(", ");
                }
                write(node.get(i), out);
            }
            out.append(']');
        } else if (node.isString()) {
            quoted(node.stringValue(), out);
        } else if (node.isBoolean()) {
            out.append(node.booleanValue() ? "true" : "false");
        } else if (node.isIntegralNumber()) {
            BigInteger value = node.bigIntegerValue();
            if (value.bitLength() < 64 || (value.signum() > 0 && value.compareTo(TWO_TO_64) < 0)) {
                out.append(value);
            } else {
                // QEMU's parser makes a double of an integer beyond int64 and uint64.
                out.append(formatDouble(value.doubleValue()));
            }
        } else if (node.isNumber()) {
            out.append(formatDouble(node.doubleValue()));
        } else {
            // Binary or POJO nodes do not occur in QMP; write their text form as a string.
            quoted(node.asString(), out);
        }
    }

    private static void quoted(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c >= 0x7F) {
                        // A Java string holds code points beyond the BMP as surrogate pairs
                        // already: QEMU writes exactly those two escapes.
                        out.append("\\u").append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF])
                                .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** C's {@code printf("%.17g", value)} as glibc prints it. */
    public static String formatDouble(double value) {
        boolean negative = (Double.doubleToRawLongBits(value) < 0);
        if (Double.isNaN(value)) {
            return negative ? "-nan" : "nan";
        }
        if (Double.isInfinite(value)) {
            return negative ? "-inf" : "inf";
        }
        if (value == 0) {
            return negative ? "-0" : "0";
        }
        BigDecimal rounded = new BigDecimal(value).round(SEVENTEEN_DIGITS);
        String digits = rounded.unscaledValue().abs().toString();
        int exponent = digits.length() - rounded.scale() - 1;
        int end = digits.length();
        while (end > 1 && digits.charAt(end - 1) == '0') {
            end--;
        }
        digits = digits.substring(0, end);
        StringBuilder out = new StringBuilder(26);
        if (negative) {
            out.append('-');
        }
        if (exponent < -4 || exponent >= 17) {
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            out.append('e').append(exponent < 0 ? '-' : '+');
            int magnitude = Math.abs(exponent);
            if (magnitude < 10) {
                out.append('0');
            }
            out.append(magnitude);
        } else if (exponent >= 0) {
            if (digits.length() <= exponent + 1) {
                out.append(digits);
                for (int i = digits.length(); i <= exponent; i++) {
                    out.append('0');
                }
            } else {
                out.append(digits, 0, exponent + 1).append('.').append(digits, exponent + 1, digits.length());
            }
        } else {
            out.append("0.");
            for (int i = -1; i > exponent; i--) {
                out.append('0');
            }
            out.append(digits);
        }
        return out.toString();
    }
}

package org.qapi4j.vmm.cli;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * QEMU 7.2's QemuOpts option lists, with its error texts: the {@code name=value,...} lists of
 * {@code util/qemu-option.c} and the typed values in them: numbers, booleans ({@code
 * qapi_bool_parse}) and sizes (read by {@link QemuSize}). Key=value lists are {@link QemuKeyval}'s.
 * Each method says what it follows; an error is a {@link SyntaxError} with QEMU's text, which the
 * caller prefixes with the option's location.
 */
final class QemuSyntax {
    private QemuSyntax() {
    }

    /** A value QEMU's parsers reject, with QEMU's text (no location). */
    static final class SyntaxError extends Exception {
        private static final long serialVersionUID = 1L;

        SyntaxError(String message) {
            super(message);
        }
    }

    /** One {@code name=value} of a QemuOpts list, in the order given. */
    record Opt(String name, String value) {
    }

    /** The type of a QemuOpts parameter ({@code QEMU_OPT_*}). */
    enum Type {
        STRING, BOOL, NUMBER, SIZE
    }

    // ---- QemuOpts ---------------------------------------------------------------------------

    /**
     * Splits {@code params} as QemuOpts does ({@code opts_do_parse}, {@code get_opt_name_value},
     * {@code get_opt_value}): items separated by {@code ,} ({@code ,,} is a comma inside a
     * value); {@code name=value}; an item without {@code =} is the value of {@code implied} when
     * it comes first and {@code implied} is not null, otherwise a boolean flag ({@code name} means
     * {@code name=on}, {@code noname} means {@code name=off}; QEMU 7.2 warns that this form is
     * deprecated, we accept it silently). Items named {@code id} are dropped, as QEMU drops
     * them. Then each item is checked against {@code known} in order: an unknown name is "Invalid
     * parameter 'NAME'", a value that does not fit its type gets {@link #checkValue}'s error.
     */
    static List<Opt> parseOpts(String params, @Nullable String implied, Map<String, Type> known)
            throws SyntaxError {
        List<Opt> opts = new ArrayList<>();
        String firstName = implied;
        int p = 0;
        int n = params.length();
        while (p < n) {
            int len = cspn(params, p, "=,");
            String name;
            String value;
            if (p + len >= n || params.charAt(p + len) != '=') {
                if (firstName != null) {
                    name = firstName;
                    int[] end = new int[1];
                    value = optValue(params, p, end);
                    p = end[0];
                } else {
                    name = params.substring(p, p + len);
                    p += len;
                    if (name.startsWith("no")) {
                        name = name.substring(2);
                        value = "off";
                    } else {
                        value = "on";
                    }
                }
            } else {
                name = params.substring(p, p + len);
                int[] end = new int[1];
                value = optValue(params, p + len + 1, end);
                p = end[0];
            }
            if (p < n && params.charAt(p) == ',') {
                p++;
            }
            firstName = null;
            if (name.equals("id")) {
                continue;
            }
            Type type = known.get(name);
            if (type == null) {
                throw new SyntaxError("Invalid parameter '" + name + "'");
            }
            checkValue(name, value, type);
            opts.add(new Opt(name, value));
        }
        return opts;
    }

    /**
     * Whether a list of QEMU's kind {@code merge_lists} would take {@code params} for an id:
     * QEMU looks for {@code id=} first ({@code opts_parse_id}, which reads every item as a flag or
     * {@code name=value}) and refuses an id for such lists with "Invalid parameter 'id'", before
     * it checks anything else.
     */
    static boolean hasId(String params) {
        int p = 0;
        int n = params.length();
        while (p < n) {
            int len = cspn(params, p, "=,");
            String name = params.substring(p, p + len);
            if (p + len >= n || params.charAt(p + len) != '=') {
                p += len;
                if (name.startsWith("no")) {
                    name = name.substring(2);
                }
            } else {
                int[] end = new int[1];
                optValue(params, p + len + 1, end);
                p = end[0];
            }
            if (name.equals("id")) {
                return true;
            }
            if (p < n && params.charAt(p) == ',') {
                p++;
            }
        }
        return false;
    }

    /** {@code strcspn}: the length of the run from {@code from} without any of {@code chars}. */
    static int cspn(String s, int from, String chars) {
        int i = from;
        while (i < s.length() && chars.indexOf(s.charAt(i)) < 0) {
            i++;
        }
        return i - from;
    }

    /** {@code get_opt_value}: up to the next single comma, {@code ,,} read as one comma. */
    static String optValue(String s, int from, int[] end) {
        StringBuilder value = new StringBuilder();
        int p = from;
        while (true) {
            int comma = s.indexOf(',', p);
            if (comma < 0) {
                value.append(s, p, s.length());
                end[0] = s.length();
                return value.toString();
            }
            if (comma + 1 < s.length() && s.charAt(comma + 1) == ',') {
                value.append(s, p, comma + 1);
                p = comma + 2;
            } else {
                value.append(s, p, comma);
                end[0] = comma;
                return value.toString();
            }
        }
    }

    /** {@code qemu_opt_parse}: checks {@code value} against {@code type}, with QEMU's errors. */
    static void checkValue(String name, String value, Type type) throws SyntaxError {
        switch (type) {
            case STRING -> {
            }
            case BOOL -> parseBool(name, value);
            case NUMBER -> parseNumber(name, value);
            case SIZE -> parseSizeParameter(name, value);
        }
    }

    /** {@code qapi_bool_parse}: on/yes/true/y or off/no/false/n, else "Parameter 'NAME' expects 'on' or 'off'". */
    static boolean parseBool(String name, String value) throws SyntaxError {
        switch (value) {
            case "on", "yes", "true", "y" -> {
                return true;
            }
            case "off", "no", "false", "n" -> {
                return false;
            }
            default -> throw new SyntaxError("Parameter '" + name + "' expects 'on' or 'off'");
        }
    }

    /**
     * {@code parse_option_number}: an unsigned 64-bit number in C's notation (decimal, {@code 0x}
     * hexadecimal, {@code 0} octal). Too large: "Value 'V' is too large for parameter 'NAME'";
     * otherwise not a number: "Parameter 'NAME' expects a number". Unlike QEMU (whose {@code
     * strtoull} wraps a leading minus around), a negative number is not a number here; a number
     * above {@link Long#MAX_VALUE} is too large.
     */
    static long parseNumber(String name, String value) throws SyntaxError {
        Matcher m = NUMBER.matcher(value);
        if (!m.matches()) {
            throw new SyntaxError("Parameter '" + name + "' expects a number");
        }
        BigInteger number;
        if (m.group(1) != null) {
            number = new BigInteger(m.group(1), 16);
        } else if (m.group(2).length() > 1 && m.group(2).startsWith("0")) {
            if (!m.group(2).chars().allMatch(c -> c >= '0' && c <= '7')) {
                throw new SyntaxError("Parameter '" + name + "' expects a number");
            }
            number = new BigInteger(m.group(2), 8);
        } else {
            number = new BigInteger(m.group(2));
        }
        if (number.bitLength() > 63) {
            throw new SyntaxError("Value '" + value + "' is too large for parameter '" + name + "'");
        }
        return number.longValueExact();
    }

    private static final Pattern NUMBER = Pattern.compile("[ \\t\\n\\x0B\\f\\r]*\\+?(?:0[xX]([0-9a-fA-F]+)|([0-9]+))");

    /**
     * {@code parse_option_size}: a size as {@link QemuSize#strtosz} reads it with bytes as the default
     * unit. Out of range: "Value 'V' is out of range for parameter 'NAME'"; otherwise invalid:
     * "Parameter 'NAME' expects a non-negative number below 2^64" (QEMU adds a hint on the
     * suffixes on two more lines, which we leave out: one line per error).
     */
    static BigInteger parseSizeParameter(String name, String value) throws SyntaxError {
        try {
            return QemuSize.strtosz(value, 'B');
        } catch (QemuSize.SizeError e) {
            if (e.range) {
                throw new SyntaxError("Value '" + value + "' is out of range for parameter '" + name + "'");
            }
            throw new SyntaxError("Parameter '" + name + "' expects a non-negative number below 2^64");
        }
    }
}

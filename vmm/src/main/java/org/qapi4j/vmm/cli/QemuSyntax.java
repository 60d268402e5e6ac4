package org.qapi4j.vmm.cli;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * QEMU 7.2's small languages for option arguments, with its error texts: the {@code
 * name=value,...} lists of QemuOpts ({@code util/qemu-option.c}), sizes ({@code do_strtosz} in
 * {@code util/cutils.c}), numbers, booleans ({@code qapi_bool_parse}) and the key=value lists of
 * {@code -machine} ({@code util/keyval.c}). Each method says what it follows; an error is a
 * {@link SyntaxError} with QEMU's text, which the caller prefixes with the option's location.
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

    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

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
    private static int cspn(String s, int from, String chars) {
        int i = from;
        while (i < s.length() && chars.indexOf(s.charAt(i)) < 0) {
            i++;
        }
        return i - from;
    }

    /** {@code get_opt_value}: up to the next single comma, {@code ,,} read as one comma. */
    private static String optValue(String s, int from, int[] end) {
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
     * {@code parse_option_size}: a size as {@link #strtosz} reads it with bytes as the default
     * unit. Out of range: "Value 'V' is out of range for parameter 'NAME'"; otherwise invalid:
     * "Parameter 'NAME' expects a non-negative number below 2^64" (QEMU adds a hint on the
     * suffixes on two more lines, which we leave out: one line per error).
     */
    static BigInteger parseSizeParameter(String name, String value) throws SyntaxError {
        try {
            return strtosz(value, 'B');
        } catch (SizeError e) {
            if (e.range) {
                throw new SyntaxError("Value '" + value + "' is out of range for parameter '" + name + "'");
            }
            throw new SyntaxError("Parameter '" + name + "' expects a non-negative number below 2^64");
        }
    }

    /** A size {@link #strtosz} rejects: out of range ({@code -ERANGE}) or not a size ({@code -EINVAL}). */
    static final class SizeError extends Exception {
        private static final long serialVersionUID = 1L;
        final boolean range;

        SizeError(boolean range) {
            super(range ? "out of range" : "invalid", null, false, false);
            this.range = range;
        }
    }

    private static final String SPACE = " \t\n\u000B\f\r";

    /**
     * {@code qemu_strtosz} (QEMU's {@code do_strtosz} with unit 1024), the whole string consumed:
     * a decimal integer, or {@code 0x} hexadecimal (no fraction), or a decimal with a fraction
     * ({@code 1.5}, no exponent); then an optional suffix B, K, M, G, T, P or E (either case),
     * else {@code defaultSuffix}. A fraction needs a unit above bytes; the result is rounded to
     * the nearest byte, halves up. Leading white space and a plus sign are allowed, a minus is
     * not. A result of 2^64 or more is out of range; so is an integer part that overflows, unless
     * characters follow it.
     *
     * @return the size in bytes, below 2^64
     */
    static BigInteger strtosz(String s, char defaultSuffix) throws SizeError {
        int n = s.length();
        int p = 0;
        while (p < n && SPACE.indexOf(s.charAt(p)) >= 0) {
            p++;
        }
        int signAt = p;
        boolean minus = false;
        if (p < n && (s.charAt(p) == '+' || s.charAt(p) == '-')) {
            minus = s.charAt(p) == '-';
            p++;
        }
        int digits = p;
        while (p < n && Character.isDigit(s.charAt(p)) && s.charAt(p) < 128) {
            p++;
        }
        if (p == digits) {
            throw new SizeError(false); // no conversion
        }
        BigInteger val = new BigInteger(s.substring(digits, p));
        if (val.compareTo(TWO_64) >= 0) {
            // strtoull's ERANGE; it stands only if nothing follows the digits
            throw new SizeError(p >= n);
        }
        if (minus) {
            throw new SizeError(false);
        }
        BigInteger valf = BigInteger.ZERO;
        boolean hex = false;
        if (val.signum() == 0 && p < n && (s.charAt(p) == 'x' || s.charAt(p) == 'X')) {
            // Reparse as hexadecimal from the start: strtoull base 16 takes a 0x prefix (a single
            // 0 before the x), and otherwise stops at the x.
            int h = p - digits == 1 ? p + 1 : p;
            int hexStart = h;
            while (h < n && Character.digit(s.charAt(h), 16) >= 0 && s.charAt(h) < 128) {
                h++;
            }
            if (h > hexStart) {
                val = new BigInteger(s.substring(hexStart, h), 16);
                if (val.compareTo(TWO_64) >= 0) {
                    throw new SizeError(h >= n);
                }
                p = h;
            }
            // else strtoull stops after the 0, at the x: val stays 0, and the x is left over
            if (p < n && s.charAt(p) == '.') {
                throw new SizeError(false);
            }
            hex = h > hexStart;
        } else if (p < n && s.charAt(p) == '.') {
            Matcher m = FRACTION.matcher(s).region(p, n);
            if (m.lookingAt()) {
                if (m.group(2) != null) {
                    throw new SizeError(false); // an exponent
                }
                double fraction = Double.parseDouble("0" + m.group(1));
                valf = new BigDecimal(fraction).multiply(new BigDecimal(TWO_64)).toBigInteger();
                p = m.end();
            } else {
                p++; // strtod found nothing: QEMU skips the dot and goes on
            }
        }
        long mul = p < n ? suffix(s.charAt(p)) : -1;
        if (mul > 0) {
            p++;
        } else {
            mul = suffix(defaultSuffix);
        }
        BigInteger result;
        if (mul == 1) {
            if (valf.signum() != 0) {
                throw new SizeError(false);
            }
            result = val;
        } else {
            BigInteger m = BigInteger.valueOf(mul);
            BigInteger fractionPart = valf.multiply(m);
            result = val.multiply(m).add(fractionPart.shiftRight(64)).add(fractionPart.testBit(63) ? BigInteger.ONE
                    : BigInteger.ZERO);
            if (result.compareTo(TWO_64) >= 0) {
                throw new SizeError(p >= n);
            }
        }
        if (p < n) {
            throw new SizeError(false);
        }
        assert !hex || result.signum() >= 0;
        return result;
    }

    /** The part of a number strtod reads after the integer: a dot, digits, maybe an exponent. */
    private static final Pattern FRACTION = Pattern.compile("(\\.[0-9]+)([eE][+-]?[0-9]+)?");

    /** {@code suffix_mul} with unit 1024; -1 for a character that is not a suffix. */
    private static long suffix(char c) {
        return switch (Character.toUpperCase(c)) {
            case 'B' -> 1L;
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            case 'T' -> 1L << 40;
            case 'P' -> 1L << 50;
            case 'E' -> 1L << 60;
            default -> -1L;
        };
    }

    // ---- keyval -----------------------------------------------------------------------------

    /** One {@code key=value} of a keyval list. */
    record KeyValue(String key, String value) {
    }

    private static final Pattern QAPI_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");

    /**
     * Splits {@code params} as {@code keyval_parse_into} does ({@code util/keyval.c}), for one
     * level of keys: the first item may omit its key, which is {@code implied} (its value then
     * ends at the first {@code ,} or {@code =}); every other item is {@code key=value}, a value
     * running to the next single comma ({@code ,,} is a comma). A key must be a QAPI name,
     * dotted keys are taken as one key: a bad key is "Invalid parameter 'KEY'", a key without
     * {@code =} "Expected '=' after parameter 'KEY'".
     */
    static List<KeyValue> parseKeyval(String params, String implied) throws SyntaxError {
        List<KeyValue> items = new ArrayList<>();
        String impliedKey = implied;
        int p = 0;
        int n = params.length();
        while (p < n) {
            int len = cspn(params, p, "=,");
            if (len > 0 && (p + len >= n || params.charAt(p + len) != '=') && impliedKey != null) {
                items.add(new KeyValue(impliedKey, params.substring(p, p + len)));
                p += len;
                if (p < n && params.charAt(p) == ',') {
                    p++;
                }
                impliedKey = null;
                continue;
            }
            impliedKey = null;
            String key = params.substring(p, p + len);
            for (String fragment : key.split("\\.", -1)) {
                if (!QAPI_NAME.matcher(fragment).matches()) {
                    throw new SyntaxError("Invalid parameter '" + key + "'");
                }
            }
            p += len;
            if (p >= n || params.charAt(p) != '=') {
                throw new SyntaxError("Expected '=' after parameter '" + key + "'");
            }
            int[] end = new int[1];
            String value = optValue(params, p + 1, end);
            p = end[0];
            if (p < n && params.charAt(p) == ',') {
                p++;
            }
            items.add(new KeyValue(key, value));
        }
        return items;
    }
}

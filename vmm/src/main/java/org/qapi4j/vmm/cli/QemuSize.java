package org.qapi4j.vmm.cli;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * QEMU 7.2's sizes ({@code do_strtosz} in {@code util/cutils.c}): a number with an optional
 * binary suffix, as {@code -m} and size parameters take it. Errors are a {@link SizeError}, which
 * the caller words ({@link QemuSyntax#parseSizeParameter} as QemuOpts words it).
 */
final class QemuSize {
    private QemuSize() {
    }

    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

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
}

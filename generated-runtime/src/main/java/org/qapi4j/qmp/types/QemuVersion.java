package org.qapi4j.qmp.types;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A QEMU version, ordered as QEMU numbers its releases: {@code 7.2.0} &lt; {@code 7.2.22}
 * &lt; {@code 8.0.0}. QEMU's development trees count from micro {@code 50} on ({@code 10.2.50} is
 * master between 10.2 and the next release), and {@link #isDevelopment()} tells them apart.
 *
 * <p>For a program that must work with several QEMUs, e.g. with a greeting's version:
 * <pre>{@code
 * if (qmp.greeting().qemuVersion().isAtLeast(8, 0)) { ... }
 * }</pre>
 *
 * @param major the major version
 * @param minor the minor version
 * @param micro the micro version (the stable release's, or 50 and up for a development tree)
 */
public record QemuVersion(int major, int minor, int micro) implements Comparable<QemuVersion> {
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

    /** {@code major.minor.0}. */
    public static QemuVersion of(int major, int minor) {
        return new QemuVersion(major, minor, 0);
    }

    /**
     * The version at the start of {@code text}: {@code 7.2}, {@code 7.2.22}, {@code 10.2.0 (a
     * remark)}; a missing micro is 0.
     *
     * @throws IllegalArgumentException when {@code text} does not start with one
     */
    public static QemuVersion parse(String text) {
        QemuVersion version = find(text);
        if (version == null) {
            throw new IllegalArgumentException("not a QEMU version: '" + text + "'");
        }
        return version;
    }

    /** The version at the start of {@code text} (after blanks), or null when there is none. */
    public static @Nullable QemuVersion find(String text) {
        Matcher matcher = VERSION.matcher(text.strip());
        if (!matcher.lookingAt()) {
            return null;
        }
        try {
            return new QemuVersion(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)),
                    matcher.group(3) == null ? 0 : Integer.parseInt(matcher.group(3)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Whether this is {@code major.minor.0} or later. */
    public boolean isAtLeast(int major, int minor) {
        return compareTo(of(major, minor)) >= 0;
    }

    /** Whether this is {@code other} or later. */
    public boolean isAtLeast(QemuVersion other) {
        return compareTo(other) >= 0;
    }

    /** Whether this is a development tree (micro 50 and up), not a release. */
    public boolean isDevelopment() {
        return micro >= 50;
    }

    @Override
    public int compareTo(QemuVersion other) {
        int order = Integer.compare(major, other.major);
        if (order == 0) {
            order = Integer.compare(minor, other.minor);
        }
        return order != 0 ? order : Integer.compare(micro, other.micro);
    }

    /** {@code major.minor.micro}, e.g. {@code 7.2.22}. */
    @Override
    public String toString() {
        return major + "." + minor + "." + micro;
    }
}

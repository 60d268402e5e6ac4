package org.qapi4j.vmm.machine.program;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.qapi4j.vmm.machine.MachineConfigException;

/**
 * A program's {@code name=value} options, read one by one; {@link #checkAllUsed()} then
 * refuses any option the program did not ask for, so that a misspelt option is an error rather
 * than silently ignored.
 */
public final class ProgramOptions {
    private final String program;
    private final Map<String, String> options;
    private final Set<String> known = new TreeSet<>();

    public ProgramOptions(String program, Map<String, String> options) {
        this.program = program;
        this.options = new TreeMap<>(options);
    }

    /** A whole number in {@code min..max}, or {@code fallback} when absent. */
    public long number(String name, long fallback, long min, long max) throws MachineConfigException {
        known.add(name);
        String text = options.get(name);
        if (text == null) {
            return fallback;
        }
        long value;
        try {
            value = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw invalid(name, text, "is not a whole number");
        }
        return inRange(name, text, value, min, max);
    }

    /** One of {@code choices}, or {@code fallback} when absent. */
    public String word(String name, String fallback, java.util.List<String> choices) throws MachineConfigException {
        known.add(name);
        String text = options.get(name);
        if (text == null) {
            return fallback;
        }
        if (!choices.contains(text.strip())) {
            throw invalid(name, text, "is not one of " + String.join(", ", choices));
        }
        return text.strip();
    }

    /**
     * A size in bytes in {@code min..max}, or {@code fallback} when absent: a whole number with
     * an optional binary suffix {@code K}, {@code M}, {@code G} or {@code T} (as QEMU's sizes).
     */
    public long size(String name, long fallback, long min, long max) throws MachineConfigException {
        known.add(name);
        String text = options.get(name);
        if (text == null) {
            return fallback;
        }
        String digits = text.strip().toUpperCase(java.util.Locale.ROOT);
        int shift = 0;
        if (!digits.isEmpty() && "KMGT".indexOf(digits.charAt(digits.length() - 1)) >= 0) {
            shift = 10 * ("KMGT".indexOf(digits.charAt(digits.length() - 1)) + 1);
            digits = digits.substring(0, digits.length() - 1);
        }
        long value;
        try {
            value = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw invalid(name, text, "is not a size (a whole number, optionally followed by K, M, G or T)");
        }
        if (value < 0 || value > (Long.MAX_VALUE >> shift)) {
            throw invalid(name, text, "is out of range " + min + ".." + max + " bytes");
        }
        return inRange(name, text, value << shift, min, max);
    }

    /** Refuses options no read asked for. */
    public void checkAllUsed() throws MachineConfigException {
        for (String name : options.keySet()) {
            if (!known.contains(name)) {
                throw new MachineConfigException("program '" + program + "' has no option '" + name + "'"
                        + (known.isEmpty() ? " (it takes none)" : " (its options: " + String.join(", ", known) + ")"));
            }
        }
    }

    private long inRange(String name, String text, long value, long min, long max) throws MachineConfigException {
        if (value < min || value > max) {
            throw invalid(name, text, "is out of range " + min + ".." + max);
        }
        return value;
    }

    private MachineConfigException invalid(String name, String text, String problem) {
        return new MachineConfigException("program '" + program + "': option " + name + "=" + text + " " + problem);
    }
}

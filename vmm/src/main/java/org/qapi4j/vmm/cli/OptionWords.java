package org.qapi4j.vmm.cli;

import static org.qapi4j.vmm.cli.UsageException.error;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The options {@code bin/vmm} knows and QEMU's first pass over the words of a command line: which
 * word is an option, which takes the next word as its argument; unknown options and missing
 * arguments are refused here, before anything else is checked.
 */
final class OptionWords {
    private OptionWords() {
    }

    /** An option's name without dashes, and whether it takes the next word as its argument. */
    record Spec(String name, boolean hasArg) {
    }

    /** QEMU's options we take, by name without dashes; each also with two dashes, as in QEMU. */
    private static final Map<String, Spec> QEMU_OPTIONS = specs(
            "h", false, "help", false, "version", false, "m", true, "S", false, "incoming", true,
            "name", true, "uuid", true, "nodefaults", false, "display", true, "nographic", false,
            "machine", true, "M", true, "qmp", true, "no-shutdown", false, "no-reboot", false,
            "mem-prealloc", false);

    /** Our own options, two dashes only. */
    private static final Map<String, Spec> OWN_OPTIONS = specs(
            "guest", true, "nic", true, "disk", true, "serial", true, "colo-fault", true,
            "colo-arbiter", true);

    private static Map<String, Spec> specs(Object... nameAndHasArg) {
        Map<String, Spec> specs = new LinkedHashMap<>();
        for (int i = 0; i < nameAndHasArg.length; i += 2) {
            String name = (String) nameAndHasArg[i];
            specs.put(name, new Spec(name, (Boolean) nameAndHasArg[i + 1]));
        }
        return Map.copyOf(specs);
    }

    /** One option with its argument, or one positional word, as the first pass found it. */
    record Item(@Nullable Spec spec, String word, @Nullable String arg) {
        /** QEMU's location for messages: the option as typed, then its argument. */
        String location() {
            return arg == null ? word : word + " " + arg;
        }
    }

    /** QEMU's first pass ({@code lookup_opt} over every word): unknown options, missing arguments. */
    static List<Item> read(String[] args) throws UsageException {
        List<Item> items = new ArrayList<>();
        int i = 0;
        while (i < args.length) {
            String word = args[i];
            if (!word.startsWith("-")) {
                items.add(new Item(null, word, null));
                i++;
                continue;
            }
            Spec spec;
            if (word.startsWith("--")) {
                String name = word.substring(2);
                spec = OWN_OPTIONS.containsKey(name) ? OWN_OPTIONS.get(name) : QEMU_OPTIONS.get(name);
            } else {
                spec = QEMU_OPTIONS.get(word.substring(1));
            }
            if (spec == null) {
                throw error(word, "invalid option");
            }
            if (spec.hasArg()) {
                if (i + 1 >= args.length) {
                    throw error(word, "requires an argument");
                }
                items.add(new Item(spec, word, args[i + 1]));
                i += 2;
            } else {
                items.add(new Item(spec, word, null));
                i++;
            }
        }
        return items;
    }
}

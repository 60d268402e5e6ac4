package org.qapi4j.vmm.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * {@code --guest}: the program the virtual CPU runs. What each program does, the defaults of
 * what is not given and the ranges of what is are the machine's (its program catalog checks
 * {@link #options()} again); the command line checks the program's name, its option names and
 * their syntax, with QEMU's texts.
 */
public sealed interface GuestProgram {
    /** The program's name on the command line. */
    String name();

    /**
     * The options given, as {@code name=value} strings for the machine's program catalog
     * ({@code MachineConfig.programOptions}): numbers in decimal, sizes in bytes; absent options
     * are left out, so that the program's defaults apply.
     */
    Map<String, String> options();

    /** {@code --guest kvstore}, the default: a key-value store served on the NIC. */
    record KvStore() implements GuestProgram {
        @Override
        public String name() {
            return "kvstore";
        }

        @Override
        public Map<String, String> options() {
            return Map.of();
        }
    }

    /**
     * {@code --guest dirty[,rate=N][,wss=SIZE]}: a guest that keeps writing to its memory, to give
     * migration something to chase.
     *
     * @param rate {@code rate=N}: how many pages it writes per second; empty when not given
     * @param workingSet {@code wss=SIZE}: how much memory it writes to, in bytes; empty when not
     *     given
     * @param fill {@code fill=none|random}: what the working set holds at boot (the program checks
     *     the word); empty when not given
     */
    record Dirty(OptionalLong rate, OptionalLong workingSet, java.util.Optional<String> fill) implements GuestProgram {
        public Dirty {
            java.util.Objects.requireNonNull(rate, "rate");
            java.util.Objects.requireNonNull(workingSet, "workingSet");
            java.util.Objects.requireNonNull(fill, "fill");
        }

        public Dirty(OptionalLong rate, OptionalLong workingSet) {
            this(rate, workingSet, java.util.Optional.empty());
        }

        @Override
        public String name() {
            return "dirty";
        }

        @Override
        public Map<String, String> options() {
            Map<String, String> options = new LinkedHashMap<>();
            rate.ifPresent(r -> options.put("rate", Long.toString(r)));
            workingSet.ifPresent(w -> options.put("wss", Long.toString(w)));
            fill.ifPresent(f -> options.put("fill", f));
            return java.util.Collections.unmodifiableMap(options);
        }
    }
}

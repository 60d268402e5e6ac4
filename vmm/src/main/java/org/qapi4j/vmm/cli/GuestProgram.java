package org.qapi4j.vmm.cli;

import java.util.OptionalLong;

/**
 * {@code --guest}: the program the virtual CPU runs. What each program does, and the defaults
 * of what is not given, are the machine's; the command line only checks the syntax.
 */
public sealed interface GuestProgram {
    /** The program's name on the command line. */
    String name();

    /** {@code --guest kvstore}, the default: a key-value store served on the NIC. */
    record KvStore() implements GuestProgram {
        @Override
        public String name() {
            return "kvstore";
        }
    }

    /**
     * {@code --guest dirty[,rate=N][,wss=SIZE]}: a guest that keeps writing to its memory, to give
     * migration something to chase.
     *
     * @param rate {@code rate=N}: how many pages it writes per second; empty when not given
     * @param workingSet {@code wss=SIZE}: how much memory it writes to, in bytes; empty when not
     *     given
     */
    record Dirty(OptionalLong rate, OptionalLong workingSet) implements GuestProgram {
        public Dirty {
            java.util.Objects.requireNonNull(rate, "rate");
            java.util.Objects.requireNonNull(workingSet, "workingSet");
        }

        @Override
        public String name() {
            return "dirty";
        }
    }
}

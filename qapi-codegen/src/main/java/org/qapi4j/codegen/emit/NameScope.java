package org.qapi4j.codegen.emit;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Hands out names that are unique in one scope (a package, a class's members), in the order
 * asked: the first to ask gets the name it prefers, later ones a suffix. Schema definitions
 * ask first, so they keep their names and what the generator adds yields.
 */
final class NameScope {
    private final Set<String> taken = new HashSet<>();
    private final boolean ignoreCase;

    /**
     * @param ignoreCase whether names differing only in case clash (top-level classes do, since
     *     their files may land on a case-insensitive file system)
     */
    NameScope(boolean ignoreCase) {
        this.ignoreCase = ignoreCase;
    }

    /** Marks {@code name} as taken without allocating it. */
    NameScope reserve(String... names) {
        for (String name : names) {
            taken.add(key(name));
        }
        return this;
    }

    /** {@code preferred} if free, else {@code preferred_}, {@code preferred_2}, ... */
    String allocate(String preferred) {
        String name = preferred;
        for (int n = 1; taken.contains(key(name)); n++) {
            name = preferred + (n == 1 ? "_" : "_" + n);
        }
        taken.add(key(name));
        return name;
    }

    boolean isTaken(String name) {
        return taken.contains(key(name));
    }

    private String key(String name) {
        return ignoreCase ? name.toLowerCase(Locale.ROOT) : name;
    }
}

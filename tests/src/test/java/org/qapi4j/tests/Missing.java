package org.qapi4j.tests;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Mandatory members left out of a random record, as a server older or newer than the schema
 * leaves them out: the record then names them in {@code missingMembers} and holds its Java
 * type's default in their place, which is what a tolerant reader makes of such JSON.
 */
final class Missing {
    private Missing() {}

    /**
     * Drops one or two mandatory members of the record about to be built from {@code args}
     * (their values replaced by the defaults) and returns their wire names; none when the
     * record has no mandatory member, or holds a union whose members lie in its own object
     * (whose reader would see the enclosing record's missing members too).
     */
    static Set<String> drop(Catalog.RecordLayout layout, Object[] args, Random random) {
        List<Integer> mandatory = new ArrayList<>();
        for (int i = 0; i < layout.slots().size(); i++) {
            Catalog.Slot slot = layout.slots().get(i);
            if (slot.isFlattened()) {
                return Set.of();
            }
            if (!slot.optional()) {
                mandatory.add(i);
            }
        }
        if (mandatory.isEmpty()) {
            return Set.of();
        }
        Collections.shuffle(mandatory, random);
        Set<String> missing = new LinkedHashSet<>();
        Class<?>[] types = layout.constructor().getParameterTypes();
        for (int i : mandatory.subList(0, 1 + random.nextInt(Math.min(2, mandatory.size())))) {
            args[i] = defaultOf(types[i]);
            missing.add(layout.slots().get(i).member().name());
        }
        return missing;
    }

    /** What a missing member of Java type {@code type} reads as. */
    static Object defaultOf(Class<?> type) {
        if (type == boolean.class) {
            return false;
        }
        if (type == int.class) {
            return 0;
        }
        if (type == long.class) {
            return 0L;
        }
        if (type == double.class) {
            return 0.0;
        }
        return null;
    }
}

package org.qapi4j.qmp.types;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The checks of generated records' constructors, where a mandatory member may be missing
 * ({@link QapiObject#missingMembers()}): such a member may be null, any other must not be.
 */
public final class Members {
    private Members() {}

    /** {@code missingMembers} frozen, in its iteration order. */
    public static Set<String> missing(Set<String> missingMembers) {
        Objects.requireNonNull(missingMembers, "missingMembers");
        if (missingMembers.isEmpty()) {
            return Set.of();
        }
        return Collections.unmodifiableSet(new LinkedHashSet<>(missingMembers));
    }

    /**
     * Checks mandatory member {@code wireName}: {@code value} may be null only when the member is
     * missing.
     *
     * @throws NullPointerException naming the member, when it is null and not missing
     */
    public static void require(@Nullable Object value, String wireName, Set<String> missingMembers) {
        if (value == null && !missingMembers.contains(wireName)) {
            throw new NullPointerException(wireName);
        }
    }

    /**
     * A mandatory list member frozen ({@link List#copyOf}), or null when it is missing.
     *
     * @throws NullPointerException naming the member, when it is null and not missing
     */
    public static <E> @Nullable List<E> requireList(@Nullable List<E> value, String wireName, Set<String> missingMembers) {
        require(value, wireName, missingMembers);
        return value == null ? null : List.copyOf(value);
    }
}

package org.qapi4j.codegen.check;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.qapi4j.codegen.diag.SchemaException;
import org.qapi4j.codegen.source.SourceInfo;

/**
 * expr.py's {@code check_keys}: an object must have all required keys and no others.
 *
 * <p>Missing keys are reported before unknown ones; both lists are sorted the way Python sorts
 * strings so that the message is QEMU's word for word.
 */
final class KeyRules {

    private KeyRules() {
    }

    /**
     * @param value the object to check
     * @param source what the object is, for the message
     * @param required keys that must be present
     * @param optional keys that may be present
     */
    static void checkKeys(Map<String, Object> value, SourceInfo info, String source,
            List<String> required, List<String> optional) {
        Set<String> missing = new LinkedHashSet<>(required);
        missing.removeAll(value.keySet());
        if (!missing.isEmpty()) {
            throw new SchemaException(info,
                    source + " misses key" + plural(missing) + " " + quoteSorted(missing));
        }
        Set<String> allowed = new LinkedHashSet<>(required);
        allowed.addAll(optional);
        Set<String> unknown = new LinkedHashSet<>(value.keySet());
        unknown.removeAll(allowed);
        if (!unknown.isEmpty()) {
            throw new SchemaException(info,
                    source + " has unknown key" + plural(unknown) + " " + quoteSorted(unknown)
                            + "\nValid keys are " + quoteSorted(allowed) + ".");
        }
    }

    private static String plural(Set<String> keys) {
        return keys.size() > 1 ? "s" : "";
    }

    /** {@code 'a', 'b', 'c'} in Python sort order. */
    private static String quoteSorted(Set<String> keys) {
        List<String> quoted = new ArrayList<>();
        for (String key : PyValues.sorted(keys)) {
            quoted.add("'" + key + "'");
        }
        return String.join(", ", quoted);
    }
}

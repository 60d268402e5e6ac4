package org.qapi4j.codegen.check;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * expr.py's {@code normalize_members}: the shorthand {@code 'name': 'Type'} for a member
 * becomes {@code 'name': {'type': 'Type'}}, in place, so that every later check and the model
 * see a single form.
 */
final class Members {

    private Members() {
    }

    /** Rewrites every non-object value of {@code members}; does nothing unless it is an object. */
    static void normalize(Object members) {
        if (!PyValues.isDict(members)) {
            return;
        }
        // Replacing values does not change the map's structure, so iterating is safe.
        for (Map.Entry<String, Object> entry : PyValues.dict(members).entrySet()) {
            if (!PyValues.isDict(entry.getValue())) {
                Map<String, Object> wrapped = new LinkedHashMap<>();
                wrapped.put("type", entry.getValue());
                entry.setValue(wrapped);
            }
        }
    }
}

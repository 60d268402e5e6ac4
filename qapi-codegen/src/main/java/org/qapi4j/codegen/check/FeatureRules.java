package org.qapi4j.codegen.check;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import org.qapi4j.codegen.diag.SchemaException;
import org.qapi4j.codegen.source.SourceInfo;

/**
 * expr.py's {@code check_features}: normalizes and checks a {@code 'features'} array.
 *
 * <p>A feature may be written as its bare name; it is rewritten in place to
 * {@code {'name': NAME}} so that later stages see one form only. Feature names follow the
 * member naming rules.
 */
final class FeatureRules {

    private static final String SOURCE = "'features' member";

    private FeatureRules() {
    }

    /** @param features the value of a {@code 'features'} key, or null when absent */
    static void checkFeatures(Object features, SourceInfo info) {
        if (features == null) {
            return;
        }
        if (!PyValues.isList(features)) {
            throw new SchemaException(info, "'features' must be an array");
        }
        List<Object> list = PyValues.list(features);
        wrapBareNames(list);
        for (Object element : list) {
            Map<String, Object> feature = PyValues.dict(element);
            KeyRules.checkKeys(feature, info, SOURCE, List.of("name"), List.of("if"));
            NameRules.checkIsStr(feature.get("name"), info, SOURCE);
            String name = (String) feature.get("name");
            String source = SOURCE + " '" + name + "'";
            NameRules.checkLower(name, info, source);
            ConditionRules.checkIf(feature, info, source);
        }
    }

    /**
     * Replaces every element that is not an object by {@code {'name': element}}, in place
     * (Python's {@code lst[:] = [...]}), all before any element is checked.
     */
    static void wrapBareNames(List<Object> list) {
        for (ListIterator<Object> it = list.listIterator(); it.hasNext(); ) {
            Object element = it.next();
            if (!PyValues.isDict(element)) {
                Map<String, Object> wrapped = new LinkedHashMap<>();
                wrapped.put("name", element);
                it.set(wrapped);
            }
        }
    }
}

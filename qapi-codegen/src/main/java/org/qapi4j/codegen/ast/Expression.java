package org.qapi4j.codegen.ast;

import java.util.Map;
import org.qapi4j.codegen.source.SourceInfo;

/**
 * One top-level expression of a schema, as the parser read it, before any checking.
 *
 * <p>Values are plain Java: a JSON-like object is a {@code Map<String, Object>} that keeps its
 * keys in source order, an array a {@code List<Object>}, a string a {@code String}, and
 * {@code true}/{@code false} a {@code Boolean}. The maps are mutable on purpose: the checker
 * normalises shorthand forms in place (a member written as {@code 'name': 'type'} becomes
 * {@code 'name': {'type': 'type'}}), as QEMU's does, before the model is built from them.
 *
 * @param data the expression's keys and values
 * @param info where the expression starts
 * @param doc the documentation comment right before it, or null
 */
public record Expression(Map<String, Object> data, SourceInfo info, QapiDoc doc) {

    /** The value of {@code key}, or null when absent. */
    public Object get(String key) {
        return data.get(key);
    }

    public boolean has(String key) {
        return data.containsKey(key);
    }
}

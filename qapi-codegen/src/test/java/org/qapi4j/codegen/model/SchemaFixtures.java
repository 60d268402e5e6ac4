package org.qapi4j.codegen.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.qapi4j.codegen.ast.DocStyle;
import org.qapi4j.codegen.ast.Expression;
import org.qapi4j.codegen.parse.SchemaParser;

/**
 * Builds schemas from text for the tests: parses with the real parser, then does the part of
 * QEMU's expression checker the model relies on (naming the definition in each location and
 * normalising shorthand), without its checks. Replace {@link #normalize} by the expression
 * checker once it is merged.
 */
final class SchemaFixtures {
    static final String META_KEYS = "enum struct union alternate command event";

    private SchemaFixtures() {
    }

    static Schema build(String text) {
        return build(text, DocStyle.STRICT);
    }

    static Schema build(String text, DocStyle style) {
        SchemaParser.Result parsed = SchemaParser.parseText(Paths.get("."), "test.json", text, style);
        return Schema.build("test.json", normalize(parsed.expressions()), parsed.docs(), style);
    }

    static Schema buildFile(Path dir, String fileName, DocStyle style) {
        SchemaParser.Result parsed = SchemaParser.parse(dir, fileName, style);
        return Schema.build(fileName, normalize(parsed.expressions()), parsed.docs(), style);
    }

    /** The shared folder with QEMU's reference data, or null when it is not there. */
    static Path corpusDir() {
        String shared = System.getProperty("qapi4j.shared.dir");
        Path base = shared != null && !shared.isEmpty() && !shared.contains("${")
                ? Paths.get(shared) : Paths.get("..", "..", "shared");
        Path dir = base.resolve("qemu").resolve("qapi-schema-tests");
        return Files.isDirectory(dir) ? dir : null;
    }

    static List<Expression> normalize(List<Expression> exprs) {
        for (Expression expr : exprs) {
            if (expr.has("include")) {
                continue;
            }
            for (String meta : META_KEYS.split(" ")) {
                if (expr.has(meta)) {
                    expr.info().setDefinition(meta, (String) expr.get(meta));
                }
            }
            Map<String, Object> data = expr.data();
            if (expr.has("enum")) {
                normalizeEnum(data.get("data"));
            } else {
                normalizeMembers(data.get("base"));
                normalizeMembers(data.get("data"));
            }
            normalizeFeatures(data.get("features"));
        }
        return exprs;
    }

    @SuppressWarnings("unchecked")
    private static void normalizeEnum(Object values) {
        if (!(values instanceof List)) {
            return;
        }
        List<Object> list = (List<Object>) values;
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map)) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", list.get(i));
                list.set(i, m);
            }
            normalizeFeatures(((Map<String, Object>) list.get(i)).get("features"));
        }
    }

    @SuppressWarnings("unchecked")
    private static void normalizeMembers(Object members) {
        if (!(members instanceof Map)) {
            return;
        }
        for (Map.Entry<String, Object> e : ((Map<String, Object>) members).entrySet()) {
            if (!(e.getValue() instanceof Map)) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("type", e.getValue());
                e.setValue(m);
            }
            normalizeFeatures(((Map<String, Object>) e.getValue()).get("features"));
        }
    }

    @SuppressWarnings("unchecked")
    private static void normalizeFeatures(Object features) {
        if (!(features instanceof List)) {
            return;
        }
        List<Object> list = (List<Object>) features;
        List<Object> normalized = new ArrayList<>();
        for (Object f : list) {
            if (f instanceof Map) {
                normalized.add(f);
            } else {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", f);
                normalized.add(m);
            }
        }
        list.clear();
        list.addAll(normalized);
    }
}

package org.qapi4j.qmp.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.qapi4j.qmp.json.Json;
import tools.jackson.databind.JsonNode;

/**
 * Messages as QEMU's {@code qmp-shell} prints them (Python's {@code json.dumps}): on one line
 * with {@code ", "} and {@code ": "} between items, members in the order the server sent them;
 * or, with {@code --pretty}, indented by four spaces with members sorted by name.
 */
final class JsonPrinter {
    private static final String INDENT = "    ";

    private final boolean pretty;

    JsonPrinter(boolean pretty) {
        this.pretty = pretty;
    }

    String print(JsonNode node) {
        StringBuilder out = new StringBuilder();
        write(node, out, "");
        return out.toString();
    }

    private void write(JsonNode node, StringBuilder out, String indent) {
        if (node.isObject() && !node.isEmpty()) {
            List<Map.Entry<String, JsonNode>> members = new ArrayList<>(node.properties());
            if (pretty) {
                members.sort(Map.Entry.comparingByKey());
            }
            String inner = indent + INDENT;
            out.append('{');
            for (int i = 0; i < members.size(); i++) {
                separate(out, i, inner);
                out.append(Json.write(Json.string(members.get(i).getKey()))).append(": ");
                write(members.get(i).getValue(), out, inner);
            }
            close(out, indent, '}');
        } else if (node.isArray() && !node.isEmpty()) {
            String inner = indent + INDENT;
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                separate(out, i, inner);
                write(node.get(i), out, inner);
            }
            close(out, indent, ']');
        } else {
            out.append(Json.write(node));
        }
    }

    private void separate(StringBuilder out, int index, String inner) {
        if (index > 0) {
            out.append(pretty ? "," : ", ");
        }
        if (pretty) {
            out.append('\n').append(inner);
        }
    }

    private void close(StringBuilder out, String indent, char bracket) {
        if (pretty) {
            out.append('\n').append(indent);
        }
        out.append(bracket);
    }
}

package org.qapi4j.codegen.emit;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.qapi4j.codegen.ast.QapiDoc;

/**
 * QAPI documentation (a light reStructuredText) as Javadoc.
 *
 * <p>Enough of reST is understood to read well in an IDE: paragraphs, {@code @member}
 * references and double-backquoted literals become {@code {@code ...}}, literal blocks
 * ({@code ::} and {@code .. qmp-example::}) become {@code <pre>} blocks. Everything else is
 * kept as text, with the characters Javadoc would misread escaped ({@code <}, {@code >},
 * {@code &}, {@code @}, and the end of a comment).
 */
final class Javadocs {
    private static final Pattern MEMBER_REFERENCE = Pattern.compile("@([A-Za-z0-9_.-]+)");
    private static final Pattern LITERAL = Pattern.compile("``(.+?)``");

    private Javadocs() {}

    /** The text of a section as Javadoc: paragraphs separated by {@code <p>}. */
    static String text(String rst) {
        List<String> blocks = new ArrayList<>();
        List<String> lines = List.of(rst.split("\n", -1));
        int i = 0;
        while (i < lines.size()) {
            if (lines.get(i).isBlank()) {
                i++;
                continue;
            }
            StringBuilder paragraph = new StringBuilder();
            boolean literalFollows = false;
            while (i < lines.size() && !lines.get(i).isBlank()) {
                String line = lines.get(i).strip();
                if (line.startsWith(".. ") && line.endsWith("::")) {
                    literalFollows = true;
                } else {
                    if (paragraph.length() > 0) {
                        paragraph.append('\n');
                    }
                    if (line.endsWith("::")) {
                        literalFollows = true;
                        line = line.substring(0, line.length() - 1);
                    }
                    paragraph.append(inline(line));
                }
                i++;
            }
            if (paragraph.length() > 0) {
                blocks.add(paragraph.toString());
            }
            if (literalFollows) {
                i = literalBlock(lines, i, blocks);
            }
        }
        return String.join("\n<p>", blocks);
    }

    /** An indented literal block starting after {@code from}; returns the line after it. */
    private static int literalBlock(List<String> lines, int from, List<String> blocks) {
        int i = from;
        while (i < lines.size() && lines.get(i).isBlank()) {
            i++;
        }
        int indent = -1;
        List<String> literal = new ArrayList<>();
        while (i < lines.size()) {
            String line = lines.get(i);
            if (!line.isBlank()) {
                int lineIndent = line.length() - line.stripLeading().length();
                if (indent < 0) {
                    indent = lineIndent;
                }
                if (lineIndent < indent || lineIndent == 0) {
                    break;
                }
            }
            literal.add(line.isBlank() ? "" : line.substring(Math.min(indent, line.length())));
            i++;
        }
        while (!literal.isEmpty() && literal.get(literal.size() - 1).isEmpty()) {
            literal.remove(literal.size() - 1);
        }
        if (!literal.isEmpty()) {
            blocks.add("<pre>\n" + escape(String.join("\n", literal)) + "\n</pre>");
        }
        return i;
    }

    /** One line of running text: references and literals as code, the rest escaped. */
    static String inline(String text) {
        StringBuilder out = new StringBuilder();
        Matcher literal = LITERAL.matcher(text);
        int last = 0;
        while (literal.find()) {
            out.append(references(text.substring(last, literal.start())));
            out.append(code(literal.group(1)));
            last = literal.end();
        }
        out.append(references(text.substring(last)));
        return out.toString();
    }

    private static String references(String text) {
        StringBuilder out = new StringBuilder();
        Matcher reference = MEMBER_REFERENCE.matcher(text);
        int last = 0;
        while (reference.find()) {
            out.append(escape(text.substring(last, reference.start())));
            out.append(code(reference.group(1)));
            last = reference.end();
        }
        out.append(escape(text.substring(last)));
        return out.toString();
    }

    /** {@code {@code text}} when the braces balance, else an escaped {@code <code>}. */
    private static String code(String text) {
        if (text.indexOf('{') < 0 && text.indexOf('}') < 0 && !text.contains("*/")) {
            return "{@code " + text + "}";
        }
        return "<code>" + escape(text) + "</code>";
    }

    /** Escapes what Javadoc would read as markup, a tag or the end of the comment. */
    static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("@", "&#64;")
                .replace("*/", "*&#47;");
    }

    /** The description of member {@code name} in {@code doc}, as Javadoc, or null. */
    static String member(QapiDoc doc, String name) {
        if (doc == null) {
            return null;
        }
        QapiDoc.ArgSection section = doc.args().get(name);
        if (section == null || section.text().isBlank()) {
            return null;
        }
        return text(section.text());
    }

    /** The {@code Since:} text of {@code doc}, or null. */
    static String since(QapiDoc doc) {
        if (doc == null || doc.since() == null) {
            return null;
        }
        return escape(doc.since().text().strip());
    }
}

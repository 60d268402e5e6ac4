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
    private static final Pattern MEMBER_REFERENCE = Pattern.compile("@([A-Za-z0-9_.-]*[A-Za-z0-9_-])");
    private static final Pattern LITERAL = Pattern.compile("``(.+?)``");
    private static final Pattern EXAMPLE_HEADING = Pattern.compile("Examples?:");
    private static final Pattern DIRECTIVE_OPTION = Pattern.compile(":[A-Za-z-]+:.*");

    private Javadocs() {}

    /**
     * The text of a section as Javadoc: paragraphs separated by {@code <p>}. A paragraph that
     * introduces something with a colon keeps it only when something follows; at the end of the
     * text it ends with a full stop instead.
     */
    static String text(String rst) {
        List<String> blocks = blocks(List.of(rst.split("\n", -1)));
        if (!blocks.isEmpty() && EXAMPLE_HEADING.matcher(blocks.get(blocks.size() - 1)).matches()) {
            blocks.remove(blocks.size() - 1);
        }
        if (!blocks.isEmpty()) {
            int last = blocks.size() - 1;
            String end = blocks.get(last);
            if (end.endsWith(":") && !end.startsWith("<pre>")) {
                blocks.set(last, end.substring(0, end.length() - 1) + ".");
            }
        }
        return String.join("\n<p>", blocks);
    }

    private static List<String> blocks(List<String> lines) {
        List<String> blocks = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            if (lines.get(i).isBlank()) {
                i++;
                continue;
            }
            if (EXAMPLE_HEADING.matcher(lines.get(i).strip()).matches()) {
                // QEMU 7.2's "Example:" section: the rest is literal, as its doc generator shows it.
                blocks.add(lines.get(i).strip());
                i = literalBlock(lines, i + 1, blocks, true);
                continue;
            }
            StringBuilder paragraph = new StringBuilder();
            String directive = null;
            boolean literalFollows = false;
            while (i < lines.size() && !lines.get(i).isBlank()) {
                String line = lines.get(i).strip();
                if (line.startsWith(".. ") && line.endsWith("::")) {
                    // A directive ends the paragraph; its options and body follow.
                    literalFollows = true;
                    directive = line;
                    i++;
                    break;
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
            if (directive != null && directive.contains("qmp-example")) {
                i = example(lines, i, blocks);
            } else if (literalFollows) {
                i = literalBlock(lines, i, blocks, false);
            }
        }
        return blocks;
    }

    /**
     * The body of a {@code .. qmp-example::} directive after {@code from}: its options
     * ({@code :annotated:}, {@code :title: TEXT}) are not shown, except the title as a
     * paragraph; an annotated example is text with literal blocks, any other one literal.
     */
    private static int example(List<String> lines, int from, List<String> blocks) {
        int i = from;
        while (i < lines.size() && lines.get(i).isBlank()) {
            i++;
        }
        boolean annotated = false;
        while (i < lines.size() && DIRECTIVE_OPTION.matcher(lines.get(i).strip()).matches()) {
            String option = lines.get(i).strip();
            if (option.equals(":annotated:")) {
                annotated = true;
            } else if (option.startsWith(":title:")) {
                blocks.add(inline(option.substring(":title:".length()).strip()));
            }
            i++;
        }
        if (!annotated) {
            return literalBlock(lines, i, blocks, false);
        }
        int end = i;
        while (end < lines.size() && (lines.get(end).isBlank() || indentOf(lines.get(end)) > 0)) {
            end++;
        }
        List<String> body = new ArrayList<>();
        for (String line : lines.subList(i, end)) {
            body.add(line.isBlank() ? "" : line.substring(Math.min(indentOf(line), minimumIndent(lines.subList(i, end)))));
        }
        blocks.addAll(blocks(body));
        return end;
    }

    private static int indentOf(String line) {
        return line.length() - line.stripLeading().length();
    }

    private static int minimumIndent(List<String> lines) {
        return lines.stream().filter(line -> !line.isBlank()).mapToInt(Javadocs::indentOf).min().orElse(0);
    }

    /** An indented literal block starting after {@code from}; returns the line after it. */
    private static int literalBlock(List<String> lines, int from, List<String> blocks, boolean unindented) {
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
                if (lineIndent < indent || (lineIndent == 0 && !unindented)) {
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

    /** The last two {@code @param}s of every generated record. */
    static final String EXTRA_MEMBERS_PARAMS =
            "@param missingMembers mandatory members the server did not send, by wire name; empty when none\n"
            + "@param unknownMembers members this schema does not know, as the server sent them; null when none\n";

    /**
     * The {@code @param} tags of a generated record: one per member, with the schema's
     * description or else "the {@code NAME} {@code noun}" (and for a mandatory member what it
     * reads as when missing), then {@code missingMembers} and {@code unknownMembers}.
     */
    static String recordParams(List<JavaMember> members, String noun) {
        StringBuilder tags = new StringBuilder();
        for (JavaMember member : members) {
            tags.append("@param ").append(member.javaName()).append(' ')
                    .append(withMissingValue(member.doc() != null ? member.doc()
                            : "the {@code " + member.wireName() + "} " + noun, member))
                    .append('\n');
        }
        return tags.append(EXTRA_MEMBERS_PARAMS).toString();
    }

    /**
     * {@code doc} of {@code member} with, when the member is mandatory, what it reads as when a
     * server did not send it: "({@code null} if missing)", before the final full stop if there
     * is one; after a closing parenthesis, "; {@code null} if missing".
     */
    static String withMissingValue(String doc, JavaMember member) {
        if (!RecordShape.mayBeMissing(member)) {
            return doc;
        }
        String value = TypeMapping.missingValue(member.type());
        if (doc.endsWith(".") && !doc.endsWith("..")) {
            return doc.substring(0, doc.length() - 1) + " (" + value + " if missing).";
        }
        if (doc.endsWith(")")) {
            return doc + "; " + value + " if missing";
        }
        return doc + " (" + value + " if missing)";
    }

    /** The {@code Since:} text of {@code doc}, or null. */
    static String since(QapiDoc doc) {
        if (doc == null || doc.since() == null) {
            return null;
        }
        return escape(doc.since().text().strip());
    }
}

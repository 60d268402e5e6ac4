package org.qapi4j.codegen.parse;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.antlr.v4.runtime.Token;
import org.qapi4j.codegen.ast.DocStyle;
import org.qapi4j.codegen.ast.QapiDoc;
import org.qapi4j.codegen.source.SourceInfo;

/**
 * Reads one documentation block ({@code ##} ... {@code ##}) into a {@link QapiDoc}, line by
 * line, with QEMU's rules and messages.
 *
 * <p>A block whose first line is {@code @NAME:} documents the definition that follows: a body,
 * {@code @member:} descriptions, a {@code Features:} list and tagged sections. Any other block
 * is free-form text. Indentation decides where a description ends; {@code ::} and
 * {@code .. qmp-example::} literal blocks are exempt from the line format rules.
 */
final class DocCommentReader {
    private static final Pattern LITERAL_BLOCK_START = Pattern.compile("(\\.\\. +qmp-example)? *::");
    private static final Pattern AT_NAME_COLON = Pattern.compile("@([^:]*): *");
    private static final Pattern TAGGED_SECTION =
            Pattern.compile("(Returns|Errors|Since|Notes?|Examples?|TODO)(?!::): *");
    private static final Pattern TAGGED_SECTION_RELAXED =
            Pattern.compile("(Returns|Errors|Since|TODO)(?!::): *");
    private static final Pattern URL_LINE = Pattern.compile(" *(https?|ftp)://[^ ]*");
    private static final Pattern SINGLE_SPACED_SENTENCE = Pattern.compile(
            "(\\be\\.g\\.|^ *\\d\\.|([.!?])) [A-Z0-9(]", Pattern.UNICODE_CHARACTER_CLASS);

    private final QapiTokenStream tokens;
    private final SourceText source;
    private final DocStyle style;
    private boolean literalMode;
    private int literalModeIndent;

    DocCommentReader(QapiTokenStream tokens, SourceText source, DocStyle style) {
        this.tokens = tokens;
        this.source = source;
        this.style = style;
    }

    private Token token() {
        return tokens.LT(1);
    }

    private SourceInfo info() {
        return source.lineOf(token());
    }

    private org.qapi4j.codegen.diag.SchemaException error(String message) {
        return source.errorAt(token(), message);
    }

    /** Reads the block that starts at the current {@code ##} token. */
    QapiDoc read() {
        if (!token().getText().equals("##")) {
            throw error("junk after '##' at start of documentation comment");
        }
        SourceInfo start = info();
        tokens.accept(false);
        String line = docLine();
        QapiDoc doc;
        if (line != null && line.startsWith("@")) {
            doc = readDefinitionDoc(start, line);
        } else {
            doc = new QapiDoc(start, null);
            doc.ensureUntaggedSection(info());
            while (line != null) {
                Matcher at = atNameColon(line);
                if (at != null) {
                    throw error("'@" + at.group(1) + ":' not allowed in free-form documentation");
                }
                doc.appendLine(line);
                tokens.accept(false);
                line = docLine();
            }
        }
        tokens.accept(true);
        doc.end();
        return doc;
    }

    private QapiDoc readDefinitionDoc(SourceInfo start, String firstLine) {
        if (!firstLine.endsWith(":")) {
            throw error("line should end with ':'");
        }
        // The name is checked against the definition later, by the expression checker.
        String symbol = firstLine.substring(1, firstLine.length() - 1);
        if (symbol.isEmpty()) {
            throw error("name required after '@'");
        }
        QapiDoc doc = new QapiDoc(start, symbol);
        tokens.accept(false);
        String line = docLine();
        boolean noMoreArgs = false;
        Pattern taggedSection = style.enforced() ? TAGGED_SECTION : TAGGED_SECTION_RELAXED;

        while (line != null) {
            while (line != null && line.isEmpty()) {
                tokens.accept(false);
                line = docLine();
            }
            if (line == null) {
                break;
            }
            Matcher match;
            if (line.equals("Features:")) {
                if (!doc.features().isEmpty()) {
                    throw error("duplicated 'Features:' line");
                }
                tokens.accept(false);
                line = docLine();
                while (line != null && line.isEmpty()) {
                    tokens.accept(false);
                    line = docLine();
                }
                while (line != null && (match = atNameColon(line)) != null) {
                    doc.newFeature(info(), match.group(1));
                    appendRest(doc, line, match);
                    line = indentedLines(doc);
                }
                if (doc.features().isEmpty()) {
                    throw error("feature descriptions expected");
                }
                noMoreArgs = true;
            } else if ((match = atNameColon(line)) != null) {
                if (noMoreArgs) {
                    throw error("description of '@" + match.group(1) + ":' follows a section");
                }
                while (line != null && (match = atNameColon(line)) != null) {
                    doc.newArgument(info(), match.group(1));
                    appendRest(doc, line, match);
                    line = indentedLines(doc);
                }
                noMoreArgs = true;
            } else if ((match = lookingAt(taggedSection, line)) != null) {
                // "Tag::" is reST markup, not a section.
                String tag = match.group(1);
                rejectRemovedSection(tag);
                doc.newTaggedSection(info(), QapiDoc.Kind.fromTag(tag));
                appendRest(doc, line, match);
                line = indentedLines(doc);
                noMoreArgs = true;
            } else {
                doc.ensureUntaggedSection(info());
                doc.appendLine(line);
                line = paragraph(doc);
            }
        }
        return doc;
    }

    private void rejectRemovedSection(String tag) {
        if (tag.contains("Note")) {
            throw error("The '" + tag + "' section is no longer supported. Please use rST's '.. note::' or"
                    + " '.. admonition:: notes' directives, or another suitable admonition instead.");
        }
        if (tag.contains("Example")) {
            throw error("The '" + tag + "' section is no longer supported. Please use the"
                    + " '.. qmp-example::' directive, or other suitable markup instead.");
        }
    }

    private static void appendRest(QapiDoc doc, String line, Matcher match) {
        String text = line.substring(match.end());
        if (!text.isEmpty()) {
            doc.appendLine(text);
        }
    }

    /**
     * The text of the current comment line without {@code "# "} and trailing space, {@code ""}
     * for a bare {@code #}, or null at the closing {@code ##}.
     */
    private String docLine() {
        Token token = token();
        int type = token.getType();
        if (type != QapiLexer.COMMENT && type != QapiLexer.DOC_COMMENT) {
            throw error("documentation comment must end with '##'");
        }
        String value = token.getText();
        if (value.startsWith("##")) {
            if (!value.equals("##")) {
                throw error("junk after '##' at end of documentation comment");
            }
            literalMode = false;
            return null;
        }
        if (value.equals("#")) {
            return "";
        }
        if (value.charAt(1) != ' ') {
            throw error("missing space after #");
        }
        String line = rstrip(value.substring(2));
        if (line.endsWith("::") && LITERAL_BLOCK_START.matcher(line).matches()) {
            literalMode = true;
            literalModeIndent = 0;
        } else if (literalMode && !line.isEmpty()) {
            int indent = indentOf(line);
            if (literalModeIndent == 0) {
                literalModeIndent = indent;
            } else if (indent < literalModeIndent) {
                // reST directives end where indentation decreases.
                literalMode = false;
            }
        }
        if (!literalMode && style.enforced()) {
            validateLineFormat(line);
        }
        return line;
    }

    /** QEMU's line format rules: at most 70 columns, two spaces between sentences. */
    private void validateLineFormat(String line) {
        int length = line.codePointCount(0, line.length()) + 2;
        if (length > 70 && !URL_LINE.matcher(line).matches()) {
            throw error("documentation line longer than 70 characters");
        }
        if (!mayHaveSingleSpacedSentence(line)) {
            return;
        }
        Matcher sentence = SINGLE_SPACED_SENTENCE.matcher(line);
        while (sentence.find()) {
            if (sentence.group(2) == null) {
                continue;
            }
            // Point at the space after the full stop, as QEMU does: counted from the line start
            // plus the "# " prefix, wherever the comment actually starts.
            int lineStart = source.lineStart(tokens.LT(1).getStartIndex());
            int offset = lineStart + 2 + line.codePointCount(0, sentence.start(2)) + 1;
            throw source.errorAt(info(), offsetInCodePoints(lineStart, offset - lineStart),
                    "Use two spaces between sentences\nIf this not the end of a sentence, please report a bug.");
        }
    }

    /** The char offset {@code codePoints} code points after {@code from}, clamped to the text. */
    private int offsetInCodePoints(int from, int codePoints) {
        String text = source.text();
        int offset = from;
        for (int n = 0; n < codePoints && offset < text.length(); n++) {
            offset += Character.charCount(text.codePointAt(offset));
        }
        return offset;
    }

    /** Reads the indented continuation lines of a description or tagged section. */
    private String indentedLines(QapiDoc doc) {
        tokens.accept(false);
        String line = docLine();
        while (line != null && line.isEmpty()) {
            doc.appendLine(line);
            tokens.accept(false);
            line = docLine();
        }
        if (line == null) {
            return null;
        }
        int indent = indentOf(line);
        if (indent == 0) {
            return line;
        }
        doc.appendLine(line);
        boolean previousLineBlank = false;
        while (true) {
            tokens.accept(false);
            line = docLine();
            if (line == null) {
                return null;
            }
            if (atNameColon(line) != null) {
                return line;
            }
            int currentIndent = indentOf(line);
            if (!line.isEmpty() && currentIndent < indent) {
                if (previousLineBlank) {
                    return line;
                }
                throw error("unexpected de-indent (expected at least " + indent + " spaces)");
            }
            doc.appendLine(line);
            // QEMU sets this after any line, blank or not; kept for identical behaviour.
            previousLineBlank = true;
        }
    }

    /** Reads the rest of a paragraph, up to a blank line or the end of the block. */
    private String paragraph(QapiDoc doc) {
        while (true) {
            tokens.accept(false);
            String line = docLine();
            if (line == null || line.isEmpty()) {
                return line;
            }
            doc.appendLine(line);
        }
    }

    /**
     * A cheap test that lets most lines skip the sentence regex (the front end's hottest path
     * on a cold start): it can only report a full stop, '!' or '?' followed by one space.
     */
    private static boolean mayHaveSingleSpacedSentence(String line) {
        for (int i = line.indexOf(' ', 1); i > 0; i = line.indexOf(' ', i + 1)) {
            char before = line.charAt(i - 1);
            if (before == '.' || before == '!' || before == '?') {
                return true;
            }
        }
        return false;
    }

    private static Matcher atNameColon(String line) {
        return line.startsWith("@") ? lookingAt(AT_NAME_COLON, line) : null;
    }

    private static Matcher lookingAt(Pattern pattern, String line) {
        Matcher matcher = pattern.matcher(line);
        return matcher.lookingAt() ? matcher : null;
    }

    /** The number of leading white-space characters (Python's {@code \\s}). */
    private static int indentOf(String line) {
        int count = 0;
        int i = 0;
        while (i < line.length()) {
            int ch = line.codePointAt(i);
            if (!QapiTokenSource.isPythonSpace(ch)) {
                break;
            }
            count++;
            i += Character.charCount(ch);
        }
        return count;
    }

    private static String rstrip(String text) {
        int end = text.length();
        while (end > 0) {
            int ch = text.codePointBefore(end);
            if (!QapiTokenSource.isPythonSpace(ch)) {
                break;
            }
            end -= Character.charCount(ch);
        }
        return text.substring(0, end);
    }
}

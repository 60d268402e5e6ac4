package org.qapi4j.codegen.parse;

import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.Token;
import org.qapi4j.codegen.diag.Diagnostic;
import org.qapi4j.codegen.diag.SchemaException;
import org.qapi4j.codegen.source.SourceInfo;

/**
 * The text of one schema file as QEMU sees it, and the locations in it.
 *
 * <p>QEMU reads sources with universal newlines and appends a newline when the last line lacks
 * one; its end of file is that final newline. It reports lexical and syntax errors with a
 * column that it counts in its own way (a tab takes {@code col = (col + 7) % 8 + 1}), and shares
 * one {@link SourceInfo} among everything on a line. This class reproduces all three.
 */
final class SourceText {
    private final String text;
    private final List<SourceInfo> lineInfos = new ArrayList<>();

    SourceText(String raw, SourceInfo firstLine) {
        String normalized = raw.replace("\r\n", "\n").replace('\r', '\n');
        if (normalized.isEmpty() || normalized.charAt(normalized.length() - 1) != '\n') {
            normalized += "\n";
        }
        this.text = normalized;
        lineInfos.add(firstLine);
    }

    String text() {
        return text;
    }

    /** The location of line {@code line} (1-based); one shared instance per line. */
    SourceInfo line(int line) {
        while (lineInfos.size() < line) {
            lineInfos.add(lineInfos.get(lineInfos.size() - 1).nextLine(1));
        }
        return lineInfos.get(line - 1);
    }

    /** Where QEMU places a token: EOF is the file's final newline, on the last line. */
    SourceInfo lineOf(Token token) {
        return line(token.getType() == Token.EOF ? token.getLine() - 1 : token.getLine());
    }

    int offsetOf(Token token) {
        return token.getType() == Token.EOF ? text.length() - 1 : token.getStartIndex();
    }

    /** A syntax error reported at the start of {@code token}. */
    SchemaException errorAt(Token token, String message) {
        return errorAt(lineOf(token), offsetOf(token), message);
    }

    /** A syntax error reported at character {@code offset} of line {@code info}. */
    SchemaException errorAt(SourceInfo info, int offset, String message) {
        return new SchemaException(new Diagnostic(info, column(offset), message));
    }

    /** The offset at which the line containing {@code offset} starts. */
    int lineStart(int offset) {
        return text.lastIndexOf('\n', offset - 1) + 1;
    }

    /** QEMU's column of {@code offset}: 1-based, tabs counted its way, code points not chars. */
    int column(int offset) {
        int col = 1;
        int i = lineStart(offset);
        while (i < offset) {
            int ch = text.codePointAt(i);
            col = ch == '\t' ? (col + 7) % 8 + 1 : col + 1;
            i += Character.charCount(ch);
        }
        return col;
    }
}

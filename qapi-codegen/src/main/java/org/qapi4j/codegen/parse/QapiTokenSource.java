package org.qapi4j.codegen.parse;

import org.antlr.v4.runtime.CharStream;
import org.antlr.v4.runtime.CommonToken;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenFactory;
import org.antlr.v4.runtime.TokenSource;

/**
 * The lexer as the parser sees it: QEMU's lexical errors are raised here, and strings arrive
 * unescaped.
 *
 * <p>QEMU lexes one token ahead of its parser and raises a lexical error the moment the bad
 * token is read, so a stray character is reported even where a syntax error would follow it,
 * and never when an earlier error has already stopped the parse. Raising from
 * {@link #nextToken()} gives exactly that timing, because the token stream asks for a token
 * exactly when QEMU's {@code accept()} would read it.
 */
final class QapiTokenSource implements TokenSource {
    private final QapiLexer lexer;
    private final SourceText source;

    QapiTokenSource(QapiLexer lexer, SourceText source) {
        this.lexer = lexer;
        this.source = source;
    }

    @Override
    public Token nextToken() {
        Token token = lexer.nextToken();
        switch (token.getType()) {
            case QapiLexer.STRAY:
                throw source.errorAt(token, "stray '" + strayText(token.getStartIndex()) + "'");
            case QapiLexer.STRING:
            case QapiLexer.UNTERMINATED_STRING:
                return unescaped(token);
            default:
                return token;
        }
    }

    /** What QEMU shows of a stray character: it and what follows, up to a delimiter. */
    private String strayText(int start) {
        String text = source.text();
        int end = start;
        while (end < text.length()) {
            int ch = text.codePointAt(end);
            if (isDelimiter(ch)) {
                break;
            }
            end += Character.charCount(ch);
        }
        return text.substring(start, end);
    }

    private static boolean isDelimiter(int ch) {
        return "[]{}:,'".indexOf(ch) >= 0 || isPythonSpace(ch);
    }

    /** Python's {@code str.isspace()} (and regex {@code \s}), which QEMU's lexer relies on. */
    static boolean isPythonSpace(int ch) {
        return ch == ' ' || (ch >= '\t' && ch <= '\r') || (ch >= 0x1c && ch <= 0x1f)
                || ch == 0x85 || ch == 0xa0 || ch == 0x1680 || (ch >= 0x2000 && ch <= 0x200a)
                || ch == 0x2028 || ch == 0x2029 || ch == 0x202f || ch == 0x205f || ch == 0x3000;
    }

    /**
     * Validates a string the way QEMU scans it, character by character, so that the first
     * problem is the one reported; returns the token with its value as text.
     */
    private Token unescaped(Token token) {
        String raw = token.getText();
        StringBuilder value = new StringBuilder(raw.length());
        boolean escaped = false;
        int i = 1;
        while (i < raw.length()) {
            int ch = raw.codePointAt(i);
            i += Character.charCount(ch);
            if (escaped) {
                // Only \\ is an escape: QEMU has no use for others.
                if (ch != '\\') {
                    throw source.errorAt(token, "unknown escape \\" + new String(Character.toChars(ch)));
                }
                escaped = false;
            } else if (ch == '\\') {
                escaped = true;
                continue;
            } else if (ch == '\'') {
                CommonToken string = new CommonToken(token);
                string.setType(QapiLexer.STRING);
                string.setText(value.toString());
                return string;
            }
            if (ch < 32 || ch >= 127) {
                throw source.errorAt(token, "funny character in string");
            }
            value.appendCodePoint(ch);
        }
        // The string ran into the end of its line.
        throw source.errorAt(token, "missing terminating \"'\"");
    }

    @Override
    public int getLine() {
        return lexer.getLine();
    }

    @Override
    public int getCharPositionInLine() {
        return lexer.getCharPositionInLine();
    }

    @Override
    public CharStream getInputStream() {
        return lexer.getInputStream();
    }

    @Override
    public String getSourceName() {
        return lexer.getSourceName();
    }

    @Override
    public void setTokenFactory(TokenFactory<?> factory) {
        lexer.setTokenFactory(factory);
    }

    @Override
    public TokenFactory<?> getTokenFactory() {
        return lexer.getTokenFactory();
    }
}

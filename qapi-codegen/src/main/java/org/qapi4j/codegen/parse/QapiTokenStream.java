package org.qapi4j.codegen.parse;

import org.antlr.v4.runtime.BufferedTokenStream;
import org.antlr.v4.runtime.Token;

/**
 * A token stream that skips plain {@code #} comments, except while a documentation block is
 * being read.
 *
 * <p>QEMU's lexer has exactly this switch ({@code accept(skip_comment)}): inside an expression a
 * comment is whitespace, inside a documentation block every comment line is content. A
 * {@code ##} line is never skipped. Like {@code BufferedTokenStream}, it reads a token when the
 * previous one is consumed, which is when QEMU reads it.
 */
final class QapiTokenStream extends BufferedTokenStream {
    private boolean skipComments = true;

    QapiTokenStream(QapiTokenSource source) {
        super(source);
    }

    /** Consumes the current token; the next one is read with comments skipped or not. */
    void accept(boolean skipComments) {
        this.skipComments = skipComments;
        consume();
        this.skipComments = true;
    }

    private boolean skipped(Token token) {
        return skipComments && token.getType() == QapiLexer.COMMENT;
    }

    @Override
    protected int adjustSeekIndex(int i) {
        return nextVisible(i);
    }

    private int nextVisible(int i) {
        sync(i);
        Token token = get(i);
        while (skipped(token)) {
            i++;
            sync(i);
            token = get(i);
        }
        return i;
    }

    @Override
    protected Token LB(int k) {
        if (k == 0 || p - k < 0) {
            return null;
        }
        int i = p;
        for (int n = 0; n < k; n++) {
            i--;
            while (i > 0 && skipped(get(i))) {
                i--;
            }
        }
        return i < 0 ? null : get(i);
    }

    @Override
    public Token LT(int k) {
        lazyInit();
        if (k == 0) {
            return null;
        }
        if (k < 0) {
            return LB(-k);
        }
        int i = p;
        for (int n = 1; n < k; n++) {
            if (sync(i + 1)) {
                i = nextVisible(i + 1);
            }
        }
        return get(i);
    }
}

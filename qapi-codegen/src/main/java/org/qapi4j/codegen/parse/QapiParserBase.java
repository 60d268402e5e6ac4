package org.qapi4j.codegen.parse;

import java.util.Map;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.TokenStream;

/**
 * What the generated parser's actions call.
 *
 * <p>QEMU rejects a duplicate key as soon as it has read the colon after it, before it reads the
 * value, so the check runs inside the parse rather than on the finished value.
 *
 * <p>Nesting is limited to {@value #MAX_NESTING} levels, the limit QEMU's JSON parser applies
 * to QMP input. QEMU's schema parser has none and dies of Python's recursion limit (about a
 * thousand levels) with a traceback; no real schema nests more than a handful of levels, so a
 * clear error in QEMU's style serves better than a stack overflow.
 */
abstract class QapiParserBase extends Parser {
    static final int MAX_NESTING = 1024;

    private SourceText source;
    private int nesting;

    QapiParserBase(TokenStream input) {
        super(input);
    }

    void setSource(SourceText source) {
        this.source = source;
    }

    void enterNested() {
        if (++nesting > MAX_NESTING) {
            throw source.errorAt(getInputStream().LT(-1), "nesting too deep (at most " + MAX_NESTING + " levels)");
        }
    }

    void exitNested() {
        nesting--;
    }

    void rejectDuplicateKey(Map<String, Object> object, String key) {
        if (object.containsKey(key)) {
            throw source.errorAt(getCurrentToken(), "duplicate key '" + key + "'");
        }
    }
}

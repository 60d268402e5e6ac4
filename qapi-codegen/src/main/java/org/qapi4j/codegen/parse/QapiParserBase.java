package org.qapi4j.codegen.parse;

import java.util.Map;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.TokenStream;

/**
 * What the generated parser's actions call: QEMU rejects a duplicate key as soon as it has read
 * the colon after it, before it reads the value, so the check runs inside the parse rather than
 * on the finished value.
 */
abstract class QapiParserBase extends Parser {
    private SourceText source;

    QapiParserBase(TokenStream input) {
        super(input);
    }

    void setSource(SourceText source) {
        this.source = source;
    }

    void rejectDuplicateKey(Map<String, Object> object, String key) {
        if (object.containsKey(key)) {
            throw source.errorAt(getCurrentToken(), "duplicate key '" + key + "'");
        }
    }
}

package org.qapi4j.codegen.parse;

import java.util.Map;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.ATNState;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * Stops at the first syntax error and reports it in QEMU's words.
 *
 * <p>QEMU's parser says what it expected, and each of its messages belongs to one point of the
 * grammar. Here, the set of tokens the ANTLR parser expects at the point of failure identifies
 * that point, so it maps to the message. ANTLR's own recovery is switched off: QEMU stops at
 * the first error, and so do we.
 */
final class QemuErrorStrategy extends DefaultErrorStrategy {
    private static final Map<IntervalSet, String> MESSAGES = Map.of(
            IntervalSet.of(QapiLexer.STRING).or(IntervalSet.of(QapiLexer.RBRACE)),
            "expected string or '}'",
            IntervalSet.of(QapiLexer.COLON),
            "expected ':'",
            IntervalSet.of(QapiLexer.COMMA).or(IntervalSet.of(QapiLexer.RBRACE)),
            "expected ',' or '}'",
            IntervalSet.of(QapiLexer.STRING),
            "expected string",
            valueStart().or(IntervalSet.of(QapiLexer.RBRACKET)),
            "expected '{', '[', ']', string, or boolean",
            IntervalSet.of(QapiLexer.COMMA).or(IntervalSet.of(QapiLexer.RBRACKET)),
            "expected ',' or ']'",
            valueStart(),
            "expected '{', '[', string, or boolean");

    private final SourceText source;

    QemuErrorStrategy(SourceText source) {
        this.source = source;
    }

    private static IntervalSet valueStart() {
        IntervalSet set = new IntervalSet();
        for (int type : new int[] {
                QapiLexer.LBRACE, QapiLexer.LBRACKET, QapiLexer.STRING, QapiLexer.TRUE, QapiLexer.FALSE}) {
            set.add(type);
        }
        return set;
    }

    private RuntimeException syntaxError(Parser parser) {
        IntervalSet expected = parser.getExpectedTokens();
        String message = MESSAGES.get(expected);
        if (message == null) {
            // Unreachable with this grammar; kept readable should the grammar change.
            message = "expected " + expected.toString(parser.getVocabulary());
        }
        return source.errorAt(parser.getCurrentToken(), message);
    }

    @Override
    public void sync(Parser parser) {
        ATNState state = parser.getInterpreter().atn.states.get(parser.getState());
        IntervalSet next = parser.getATN().nextTokens(state);
        int lookahead = parser.getInputStream().LA(1);
        if (next.contains(lookahead) || next.contains(Token.EPSILON)) {
            return;
        }
        throw syntaxError(parser);
    }

    @Override
    public void reportError(Parser parser, RecognitionException e) {
        throw syntaxError(parser);
    }

    @Override
    public void recover(Parser parser, RecognitionException e) {
        throw syntaxError(parser);
    }

    @Override
    public Token recoverInline(Parser parser) {
        throw syntaxError(parser);
    }
}

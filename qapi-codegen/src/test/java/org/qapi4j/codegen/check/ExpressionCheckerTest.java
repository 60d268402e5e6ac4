package org.qapi4j.codegen.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.qapi4j.codegen.check.Values.arr;
import static org.qapi4j.codegen.check.Values.expr;
import static org.qapi4j.codegen.check.Values.obj;
import static org.qapi4j.codegen.check.Values.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.qapi4j.codegen.ast.DocStyle;
import org.qapi4j.codegen.ast.Expression;
import org.qapi4j.codegen.ast.QapiDoc;
import org.qapi4j.codegen.diag.SchemaException;
import org.qapi4j.codegen.source.SourceInfo;

/** Valid definitions, normalization, pragmas, documentation and Python's regex corner cases. */
class ExpressionCheckerTest {

    private static List<Expression> check(Expression... exprs) {
        return ExpressionChecker.checkExpressions(new ArrayList<>(List.of(exprs)), DocStyle.STRICT);
    }

    private static SchemaException failure(Expression expr, DocStyle style) {
        return catchThrowableOfType(SchemaException.class,
                () -> ExpressionChecker.checkExpressions(List.of(expr), style));
    }

    // ---- valid definitions and normalization -------------------------------------------------

    @Test
    void returnsTheSameListAndSkipsIncludes() {
        List<Expression> exprs = new ArrayList<>(List.of(
                expr(obj("include", "sub.json")),
                expr(parse("{'struct': 'Foo', 'data': {}}"))));

        List<Expression> result = ExpressionChecker.checkExpressions(exprs, DocStyle.STRICT);

        assertThat(result).isSameAs(exprs);
        assertThat(exprs.get(0).info().definitionName()).isNull();
        assertThat(exprs.get(1).info().definitionMeta()).isEqualTo("struct");
        assertThat(exprs.get(1).info().definitionName()).isEqualTo("Foo");
    }

    @Test
    void includeIsPassedOverEvenWithOtherKeys() {
        // Python skips any expression with an 'include' key before looking at anything else.
        assertThatCode(() -> check(expr(obj("include", true, "struct", "bad name"))))
                .doesNotThrowAnyException();
    }

    @Test
    void normalizesStructMembersAndFeatures() {
        Expression struct = expr(parse("{'struct': 'Foo', 'base': 'Base',"
                + " 'data': {'a': 'int', '*b': ['str'], 'c': {'type': 'X', 'features': ['f']}},"
                + " 'features': ['deprecated', {'name': 'unstable', 'if': 'CONFIG_X'}]}"));
        Map<String, Object> data = struct.data();
        Object features = data.get("features");

        check(struct);

        assertThat(data).isEqualTo(parse("{'struct': 'Foo', 'base': 'Base',"
                + " 'data': {'a': {'type': 'int'}, '*b': {'type': ['str']},"
                + " 'c': {'type': 'X', 'features': [{'name': 'f'}]}},"
                + " 'features': [{'name': 'deprecated'}, {'name': 'unstable', 'if': 'CONFIG_X'}]}"));
        assertThat(data.get("features")).as("normalized in place").isSameAs(features);
        assertThat(List.copyOf(Values.dict(data.get("data")).keySet())).containsExactly("a", "*b", "c");
    }

    @Test
    void normalizesEnumMembers() {
        Expression enumExpr = expr(parse("{'enum': 'Color', 'prefix': 'COL',"
                + " 'data': ['red', {'name': 'green', 'if': {'all': ['A', 'B']}}, '2d',"
                + " {'name': 'blue', 'features': ['f']}]}"));

        check(enumExpr);

        assertThat(enumExpr.data()).isEqualTo(parse("{'enum': 'Color', 'prefix': 'COL',"
                + " 'data': [{'name': 'red'}, {'name': 'green', 'if': {'all': ['A', 'B']}},"
                + " {'name': '2d'}, {'name': 'blue', 'features': [{'name': 'f'}]}]}"));
    }

    @Test
    void normalizesUnionBaseAndBranches() {
        Expression union = expr(parse("{'union': 'Shape', 'base': {'kind': 'ShapeKind', '*id': 'str'},"
                + " 'discriminator': 'kind', 'data': {'circle': 'Circle', 'square': {'type': 'Sq', 'if': 'X'}}}"));

        check(union);

        assertThat(union.data()).isEqualTo(parse("{'union': 'Shape',"
                + " 'base': {'kind': {'type': 'ShapeKind'}, '*id': {'type': 'str'}},"
                + " 'discriminator': 'kind',"
                + " 'data': {'circle': {'type': 'Circle'}, 'square': {'type': 'Sq', 'if': 'X'}}}"));
    }

    @Test
    void normalizesAlternateCommandAndEvent() {
        Expression alternate = expr(parse("{'alternate': 'Alt', 'data': {'n': 'int', 'l': ['str']}}"));
        Expression command = expr(parse("{'command': 'do-it', 'data': {'x': 'int'}, 'returns': ['Foo'],"
                + " 'allow-oob': true, 'allow-preconfig': true, 'gen': false, 'success-response': false,"
                + " 'if': {'not': {'any': ['A', 'B']}}, 'features': ['unstable']}"));
        Expression event = expr(parse("{'event': 'SOMETHING_HAPPENED', 'data': {'why': 'str'}}"));
        Expression boxed = expr(parse("{'event': 'BOXED', 'data': 'Arg', 'boxed': true}"));

        check(alternate, command, event, boxed);

        assertThat(alternate.data()).isEqualTo(
                parse("{'alternate': 'Alt', 'data': {'n': {'type': 'int'}, 'l': {'type': ['str']}}}"));
        assertThat(command.get("data")).isEqualTo(parse("{'x': {'type': 'int'}}"));
        assertThat(command.get("features")).isEqualTo(arr(obj("name", "unstable")));
        assertThat(event.get("data")).isEqualTo(parse("{'why': {'type': 'str'}}"));
        assertThat(boxed.get("data")).isEqualTo("Arg");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{'command': 'x-foo'}",
        "{'command': 'X-foo'}",
        "{'command': 'x-'}",
        "{'command': '__org.qemu_x-foo'}",
        "{'command': 'q'}",
        "{'struct': '__org.qemu_Foo', 'data': {}}",
        "{'struct': 'X-Foo1', 'data': {}}",
        "{'event': 'X_FOO'}",
        "{'event': '__com.example_BAR_2'}",
        "{'enum': 'Enum1', 'data': ['0', '1-2', 'x-y']}",
        "{'struct': 'Foo', 'data': {'*a': 'int', 'q': 'int', 'hasx': 'int', 'u2': 'int'}}",
        "{'command': 'foo', 'boxed': true, 'data': 'Args', 'coroutine': true}",
        "{'command': 'foo', 'returns': 'int', 'data': 'Args'}"
    })
    void acceptsValidDefinitions(String expression) {
        assertThatCode(() -> check(expr(parse(expression)))).doesNotThrowAnyException();
    }

    // ---- Python regex corner cases (verified against expr.py) --------------------------------

    @Test
    void nameMayEndInOneNewlineLikePythonsDollar() {
        assertThatCode(() -> check(expr(obj("struct", "Foo\n", "data", obj()))))
                .doesNotThrowAnyException();
        SchemaException error = failure(expr(obj("struct", "Foo\n\n", "data", obj())), DocStyle.STRICT);
        assertThat(error.diagnostic().message()).isEqualTo("struct has an invalid name");
    }

    @Test
    void ignoreCaseAcceptsTheLettersThatFoldToAscii() {
        // Under re.IGNORECASE, [a-z] matches U+017F (long s) and U+212A (Kelvin sign) too.
        assertThatCode(() -> check(expr(obj("command", "foo\u017f")), expr(obj("command", "\u212aelvin"))))
                .doesNotThrowAnyException();
        SchemaException error = failure(expr(obj("command", "foo\u00e9")), DocStyle.STRICT);
        assertThat(error.diagnostic().message()).isEqualTo("command has an invalid name");
    }

    @Test
    void camelCaseCheckIsAsciiOnly() {
        SchemaException error = failure(expr(obj("struct", "Foo\u017f", "data", obj())), DocStyle.STRICT);
        assertThat(error.diagnostic().message()).isEqualTo("name of struct must use CamelCase");
    }

    @Test
    void emptyEnumMemberNameIsAnInvalidName() {
        // QEMU crashes with IndexError here; the only sensible error is the name syntax.
        SchemaException error = failure(expr(obj("enum", "Foo", "data", arr(""))), DocStyle.STRICT);
        assertThat(error.diagnostic().message()).isEqualTo("'data' member '' has an invalid name");
    }

    @Test
    void keysAreSortedByCodePoint() {
        // U+FF21 sorts before U+1F600 in Python; UTF-16 order would put the surrogates first.
        SchemaException error = failure(
                expr(obj("command", "foo", "\uFF21", true, "\uD83D\uDE00", true)), DocStyle.STRICT);
        assertThat(error.diagnostic().message())
                .startsWith("command has unknown keys '\uFF21', '\uD83D\uDE00'\n");
    }

    // ---- pragmas ------------------------------------------------------------------------------

    @Test
    void commandNameExceptionsPermitUnderscore() {
        Expression command = expr(obj("command", "foo_bar"));
        command.info().pragma().setCommandNameExceptions(List.of("foo_bar"));
        assertThatCode(() -> check(command)).doesNotThrowAnyException();

        Expression upper = expr(obj("command", "Foo_bar"));
        upper.info().pragma().setCommandNameExceptions(List.of("Foo_bar"));
        assertThat(failure(upper, DocStyle.STRICT).diagnostic().message())
                .isEqualTo("name of command must not use uppercase or '_'");
    }

    @Test
    void memberNameExceptionsPermitCaseAndUnderscoreInTypes() {
        Expression struct = expr(parse("{'struct': 'Foo', 'data': {'Bar_baz': 'int'}}"));
        Expression enumExpr = expr(parse("{'enum': 'Enu', 'data': ['A_B']}"));
        Expression union = expr(parse("{'union': 'Uni', 'base': {'Kind_X': 'Enu'},"
                + " 'discriminator': 'Kind_X', 'data': {}}"));
        List<String> exceptions = List.of("Foo", "Enu", "Uni");
        for (Expression e : List.of(struct, enumExpr, union)) {
            e.info().pragma().setMemberNameExceptions(exceptions);
        }
        assertThatCode(() -> check(struct, enumExpr, union)).doesNotThrowAnyException();
    }

    @Test
    void memberNameExceptionsDoNotCoverCommandArgumentsOrReservedNames() {
        Expression command = expr(parse("{'command': 'foo', 'data': {'A': 'int'}}"));
        command.info().pragma().setMemberNameExceptions(List.of("foo"));
        assertThat(failure(command, DocStyle.STRICT).diagnostic().message())
                .isEqualTo("name of 'data' member 'A' must not use uppercase or '_'");

        Expression struct = expr(parse("{'struct': 'Foo', 'data': {'*has_x': 'int'}}"));
        struct.info().pragma().setMemberNameExceptions(List.of("Foo"));
        assertThat(failure(struct, DocStyle.STRICT).diagnostic().message())
                .isEqualTo("'data' member '*has_x' uses reserved name");

        Expression feature = expr(parse("{'struct': 'Foo', 'data': {}, 'features': ['F']}"));
        feature.info().pragma().setMemberNameExceptions(List.of("Foo"));
        assertThat(failure(feature, DocStyle.STRICT).diagnostic().message())
                .isEqualTo("name of 'features' member 'F' must not use uppercase or '_'");
    }

    @Test
    void docRequiredPragma() {
        Expression struct = expr(parse("{'struct': 'Foo', 'data': {}}"));
        struct.info().pragma().setDocRequired(true);
        SchemaException error = failure(struct, DocStyle.STRICT);
        assertThat(error.diagnostic().message()).isEqualTo("documentation comment required");
        assertThat(error.diagnostic().render())
                .isEqualTo("test.json: In struct 'Foo':\ntest.json:1: documentation comment required");
    }

    @Test
    void docRequiredComesAfterTheNameCheck() {
        Expression struct = expr(parse("{'struct': 'foo', 'data': {}}"));
        struct.info().pragma().setDocRequired(true);
        assertThat(failure(struct, DocStyle.STRICT).diagnostic().message())
                .isEqualTo("name of struct must use CamelCase");
    }

    // ---- documentation ------------------------------------------------------------------------

    @Test
    void docMustBeForThisDefinition() {
        SourceInfo docInfo = Values.info();
        Expression struct = expr(parse("{'struct': 'Foo', 'data': {}}"), new QapiDoc(docInfo, "Bar"));
        SchemaException error = failure(struct, DocStyle.STRICT);
        assertThat(error.diagnostic().message()).isEqualTo("documentation comment is for 'Bar'");
        assertThat(error.diagnostic().info()).isSameAs(struct.info());
        assertThat(error.diagnostic().info().definitionName()).isEqualTo("Foo");
    }

    @Test
    void docMismatchComesBeforeTheKeyCheck() {
        Expression struct = expr(parse("{'struct': 'Foo'}"), new QapiDoc(Values.info(), "Bar"));
        assertThat(failure(struct, DocStyle.STRICT).diagnostic().message())
                .isEqualTo("documentation comment is for 'Bar'");
    }

    @Test
    void docSectionsAreCheckedAgainstTheDefinition() {
        SourceInfo returnsAt = Values.info().nextLine(3);
        QapiDoc doc = new QapiDoc(Values.info(), "Foo");
        doc.newTaggedSection(returnsAt, QapiDoc.Kind.RETURNS);
        Expression struct = expr(parse("{'struct': 'Foo', 'data': {}}"), doc);

        SchemaException error = failure(struct, DocStyle.STRICT);

        assertThat(error.diagnostic().message()).isEqualTo("'Returns' section is only valid for commands");
        assertThat(error.diagnostic().info()).isSameAs(returnsAt);
    }

    @Test
    void relaxedStyleAcceptsReturnsOnCommandWithoutReturns() {
        QapiDoc doc = new QapiDoc(Values.info(), "foo");
        doc.newTaggedSection(Values.info().nextLine(2), QapiDoc.Kind.RETURNS);

        assertThat(failure(expr(obj("command", "foo"), doc), DocStyle.STRICT).diagnostic().message())
                .isEqualTo("'Returns' section, but command doesn't return anything");
        assertThatCode(() -> ExpressionChecker.checkExpressions(
                List.of(expr(obj("command", "foo"), doc)), DocStyle.RELAXED))
                .doesNotThrowAnyException();
    }

    @Test
    void matchingDocPasses() {
        Expression event = expr(obj("event", "FOO"), new QapiDoc(Values.info(), "FOO"));
        event.info().pragma().setDocRequired(true);
        assertThatCode(() -> check(event)).doesNotThrowAnyException();
    }

    @Test
    void stopsAtTheFirstBadExpression() {
        Expression good = expr(parse("{'struct': 'Foo', 'data': {'a': 'int'}}"));
        Expression bad = expr(parse("{'struct': 'bar', 'data': {'b': 'int'}}"));
        Expression later = expr(parse("{'struct': 'Baz', 'data': {'c': 'int'}}"));

        assertThat(catchThrowableOfType(SchemaException.class, () -> check(good, bad, later))
                .diagnostic().info()).isSameAs(bad.info());
        assertThat(good.get("data")).isEqualTo(parse("{'a': {'type': 'int'}}"));
        assertThat(later.get("data")).as("never reached").isEqualTo(parse("{'c': 'int'}"));
    }
}

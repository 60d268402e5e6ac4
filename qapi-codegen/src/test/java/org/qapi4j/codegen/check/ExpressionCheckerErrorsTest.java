package org.qapi4j.codegen.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.qapi4j.codegen.ast.DocStyle;
import org.qapi4j.codegen.ast.Expression;
import org.qapi4j.codegen.diag.SchemaException;

/**
 * Every error expr.py can raise, with QEMU's exact text and the definition it is reported in.
 *
 * <p>Each row is one top-level expression in QAPI notation, the expected message and the
 * expected definition name (null when the error comes before the definition is known). The
 * expectations were produced by running QEMU's expr.py on the same expressions. Rows are kept on
 * one line each so that they can be fed to expr.py again when it changes.
 */
class ExpressionCheckerErrorsTest {

    private static final String ONE_KEY = "expression must have exactly one key"
            + " 'enum', 'struct', 'union', 'alternate', 'command', 'event'";

    private static Arguments row(String expression, String message, String definition) {
        return Arguments.of(expression, message, definition);
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                // check_exprs: what is defined, and its name
                row("{'foo': 'Bar'}", ONE_KEY, null),
                row("{'struct': 'Foo', 'command': 'foo'}", ONE_KEY, null),
                row("{'enum': ['Foo'], 'data': []}", "'enum' requires a string name", null),
                row("{'command': true}", "'command' requires a string name", null),
                // names
                row("{'struct': 'foo', 'data': {}}", "name of struct must use CamelCase", "foo"),
                row("{'struct': 'FOO', 'data': {}}", "name of struct must use CamelCase", "FOO"),
                row("{'alternate': 'FooList', 'data': {'a': 'int'}}", "alternate name should not end in 'List'", "FooList"),
                row("{'struct': 'q_Foo', 'data': {}}", "struct has an invalid name", "q_Foo"),
                row("{'struct': 'Foo!', 'data': {}}", "struct has an invalid name", "Foo!"),
                row("{'struct': '__Foo', 'data': {}}", "struct has an invalid name", "__Foo"),
                row("{'enum': '9Foo', 'data': []}", "enum has an invalid name", "9Foo"),
                row("{'command': 'Foo'}", "name of command must not use uppercase or '_'", "Foo"),
                row("{'command': 'foo_bar'}", "name of command must not use uppercase or '_'", "foo_bar"),
                row("{'command': 'q-foo'}", "command has an invalid name", "q-foo"),
                row("{'event': 'Foo'}", "name of event must not use lowercase or '-'", "Foo"),
                row("{'event': 'FOO-BAR'}", "name of event must not use lowercase or '-'", "FOO-BAR"),
                row("{'event': 'X-'}", "name of event must not use lowercase or '-'", "X-"),
                // check_keys
                row("{'enum': 'Foo'}", "enum misses key 'data'", "Foo"),
                row("{'union': 'Foo'}", "union misses keys 'base', 'data', 'discriminator'", "Foo"),
                row("{'struct': 'Foo', 'data': {}, 'bogus': true}", "struct has unknown key 'bogus'\nValid keys are 'base', 'data', 'features', 'if', 'struct'.", "Foo"),
                row("{'command': 'foo', 'zz': true, 'aa': true}", "command has unknown keys 'aa', 'zz'\nValid keys are 'allow-oob', 'allow-preconfig', 'boxed', 'command', 'coroutine', 'data', 'features', 'gen', 'if', 'returns', 'success-response'.", "foo"),
                row("{'event': 'FOO', 'returns': 'X'}", "event has unknown key 'returns'\nValid keys are 'boxed', 'data', 'event', 'features', 'if'.", "FOO"),
                row("{'alternate': 'Foo', 'data': {'a': 'int'}, 'base': 'X'}", "alternate has unknown key 'base'\nValid keys are 'alternate', 'data', 'features', 'if'.", "Foo"),
                row("{'union': 'Foo', 'base': 'B', 'discriminator': 'a', 'data': {}, 'prefix': 'P'}", "union has unknown key 'prefix'\nValid keys are 'base', 'data', 'discriminator', 'features', 'if', 'union'.", "Foo"),
                row("{'enum': 'Foo', 'data': [], 'base': 'B'}", "enum has unknown key 'base'\nValid keys are 'data', 'enum', 'features', 'if', 'prefix'.", "Foo"),
                // check_enum
                row("{'enum': 'Foo', 'data': {}}", "'data' must be an array", "Foo"),
                row("{'enum': 'Foo', 'data': [], 'prefix': ['x']}", "'prefix' must be a string", "Foo"),
                row("{'enum': 'Foo', 'data': [{'if': 'X'}]}", "'data' member misses key 'name'", "Foo"),
                row("{'enum': 'Foo', 'data': [['a']]}", "'data' member requires a string name", "Foo"),
                row("{'enum': 'Foo', 'data': ['Bar']}", "name of 'data' member 'Bar' must not use uppercase or '_'", "Foo"),
                row("{'enum': 'Foo', 'data': ['a_b']}", "name of 'data' member 'a_b' must not use uppercase or '_'", "Foo"),
                row("{'enum': 'Foo', 'data': ['1-x', 'a b']}", "'data' member 'a b' has an invalid name", "Foo"),
                row("{'enum': 'Foo', 'data': [{'name': 'a', 'bogus': 'x'}]}", "'data' member has unknown key 'bogus'\nValid keys are 'features', 'if', 'name'.", "Foo"),
                row("{'enum': 'Foo', 'data': [{'name': 'a', 'if': 'x'}]}", "'if' condition 'x' of 'data' member 'a' is not a valid identifier", "Foo"),
                row("{'enum': 'Foo', 'data': [{'name': 'a', 'features': 'f'}]}", "'features' must be an array", "Foo"),
                row("{'enum': 'Foo', 'data': [{'name': 'a', 'features': ['F']}]}", "name of 'features' member 'F' must not use uppercase or '_'", "Foo"),
                // check_struct, check_type_implicit
                row("{'struct': 'Foo', 'data': ['a']}", "'data' should be an object or type name", "Foo"),
                row("{'struct': 'Foo', 'data': 'Bar'}", "'data' should be an object or type name", "Foo"),
                row("{'struct': 'Foo', 'data': {'Bar': 'int'}}", "name of 'data' member 'Bar' must not use uppercase or '_'", "Foo"),
                row("{'struct': 'Foo', 'data': {'*a_b': 'int'}}", "name of 'data' member '*a_b' must not use uppercase or '_'", "Foo"),
                row("{'struct': 'Foo', 'data': {'**a': 'int'}}", "'data' member '**a' has an invalid name", "Foo"),
                row("{'struct': 'Foo', 'data': {'*u': 'int'}}", "'data' member '*u' uses reserved name", "Foo"),
                row("{'struct': 'Foo', 'data': {'has-x': 'int'}}", "'data' member 'has-x' uses reserved name", "Foo"),
                row("{'struct': 'Foo', 'data': {'a': {'typ': 'int'}}}", "'data' member 'a' misses key 'type'", "Foo"),
                row("{'struct': 'Foo', 'data': {'a': {'type': 'int', 'x': 'y'}}}", "'data' member 'a' has unknown key 'x'\nValid keys are 'features', 'if', 'type'.", "Foo"),
                row("{'struct': 'Foo', 'data': {'a': {'type': 'int', 'if': true}}}", "'if' condition of 'data' member 'a' must be a string or an object", "Foo"),
                row("{'struct': 'Foo', 'data': {'a': {'type': 'int', 'features': [true]}}}", "'features' member requires a string name", "Foo"),
                row("{'struct': 'Foo', 'data': {'a': {'type': {'x': 'y'}}}}", "'data' member 'a' should be a type name or array", "Foo"),
                row("{'struct': 'Foo', 'data': {'a': ['x', 'y']}}", "'data' member 'a': array type must contain single type name", "Foo"),
                row("{'struct': 'Foo', 'data': {'a': [['x']]}}", "'data' member 'a': array type must contain single type name", "Foo"),
                row("{'struct': 'Foo', 'data': {}, 'base': ['Bar']}", "'base' should be a type name", "Foo"),
                row("{'struct': 'Foo', 'data': {}, 'base': {'a': 'int'}}", "'base' should be a type name", "Foo"),
                // check_union
                row("{'union': 'Foo', 'base': ['x'], 'discriminator': 'a', 'data': {}}", "'base' should be an object or type name", "Foo"),
                row("{'union': 'Foo', 'base': {'A': 'E'}, 'discriminator': 'A', 'data': {}}", "name of 'base' member 'A' must not use uppercase or '_'", "Foo"),
                row("{'union': 'Foo', 'base': {'a': 'E'}, 'discriminator': {}, 'data': {}}", "'discriminator' requires a string name", "Foo"),
                row("{'union': 'Foo', 'base': 'B', 'discriminator': 'a', 'data': []}", "'data' must be an object", "Foo"),
                row("{'union': 'Foo', 'base': 'B', 'discriminator': 'a', 'data': {'x': {'type': 'T', 'features': []}}}", "'data' member 'x' has unknown key 'features'\nValid keys are 'if', 'type'.", "Foo"),
                row("{'union': 'Foo', 'base': 'B', 'discriminator': 'a', 'data': {'x': {'if': 'X'}}}", "'data' member 'x' misses key 'type'", "Foo"),
                row("{'union': 'Foo', 'base': 'B', 'discriminator': 'a', 'data': {'x': {'type': 'T', 'if': {'any': 'X'}}}}", "'any' condition of 'data' member 'x' must be an array", "Foo"),
                row("{'union': 'Foo', 'base': 'B', 'discriminator': 'a', 'data': {'x': ['T']}}", "'data' member 'x' should be a type name", "Foo"),
                // check_alternate
                row("{'alternate': 'Foo', 'data': {}}", "'data' must not be empty", "Foo"),
                row("{'alternate': 'Foo', 'data': false}", "'data' must not be empty", "Foo"),
                row("{'alternate': 'Foo', 'data': ''}", "'data' must not be empty", "Foo"),
                row("{'alternate': 'Foo', 'data': ['a']}", "'data' must be an object", "Foo"),
                row("{'alternate': 'Foo', 'data': true}", "'data' must be an object", "Foo"),
                row("{'alternate': 'Foo', 'data': {'A': 'int'}}", "name of 'data' member 'A' must not use uppercase or '_'", "Foo"),
                row("{'alternate': 'Foo', 'data': {'*a': 'int'}}", "'data' member '*a' has an invalid name", "Foo"),
                row("{'alternate': 'Foo', 'data': {'a': {'type': 'int', 'features': []}}}", "'data' member 'a' has unknown key 'features'\nValid keys are 'if', 'type'.", "Foo"),
                row("{'alternate': 'Foo', 'data': {'a': {'type': 'int', 'if': ['X']}}}", "'if' condition of 'data' member 'a' must be a string or an object", "Foo"),
                row("{'alternate': 'Foo', 'data': {'a': {'type': true}}}", "'data' member 'a' should be a type name or array", "Foo"),
                row("{'alternate': 'Foo', 'data': {'a': ['x', 'y']}}", "'data' member 'a': array type must contain single type name", "Foo"),
                // check_command
                row("{'command': 'foo', 'boxed': true}", "'boxed': true requires 'data'", "foo"),
                row("{'command': 'foo', 'boxed': 'yes'}", "'boxed': true requires 'data'", "foo"),
                row("{'command': 'foo', 'boxed': true, 'data': {'a': 'int'}}", "'data' should be a type name", "foo"),
                row("{'command': 'foo', 'data': ['x']}", "'data' should be an object or type name", "foo"),
                row("{'command': 'foo', 'data': {'a_b': 'int'}}", "name of 'data' member 'a_b' must not use uppercase or '_'", "foo"),
                row("{'command': 'foo', 'returns': {}}", "'returns' should be a type name or array", "foo"),
                row("{'command': 'foo', 'returns': []}", "'returns': array type must contain single type name", "foo"),
                // check_event
                row("{'event': 'FOO', 'boxed': true}", "'boxed': true requires 'data'", "FOO"),
                row("{'event': 'FOO', 'boxed': true, 'data': ['X']}", "'data' should be a type name", "FOO"),
                row("{'event': 'FOO', 'data': true}", "'data' should be an object or type name", "FOO"),
                row("{'event': 'FOO', 'data': {'u': 'int'}}", "'data' member 'u' uses reserved name", "FOO"),
                // check_if on the definition
                row("{'struct': 'Foo', 'data': {}, 'if': 'defined(X)'}", "'if' condition 'defined(X)' of struct is not a valid identifier", "Foo"),
                row("{'struct': 'Foo', 'data': {}, 'if': '1X'}", "'if' condition '1X' of struct is not a valid identifier", "Foo"),
                row("{'struct': 'Foo', 'data': {}, 'if': ''}", "'if' condition '' of struct is not a valid identifier", "Foo"),
                row("{'struct': 'Foo', 'data': {}, 'if': ['X']}", "'if' condition of struct must be a string or an object", "Foo"),
                row("{'struct': 'Foo', 'data': {}, 'if': {'nor': 'X'}}", "'if' condition of struct has unknown key 'nor'\nValid keys are 'all', 'any', 'not'.", "Foo"),
                row("{'struct': 'Foo', 'data': {}, 'if': {}}", "'if' condition of struct has conflicting keys", "Foo"),
                row("{'struct': 'Foo', 'data': {}, 'if': {'all': ['A'], 'any': ['B']}}", "'if' condition of struct has conflicting keys", "Foo"),
                row("{'struct': 'Foo', 'data': {}, 'if': {'all': 'A'}}", "'all' condition of struct must be an array", "Foo"),
                row("{'struct': 'Foo', 'data': {}, 'if': {'any': []}}", "'if' condition [] of struct is useless", "Foo"),
                row("{'struct': 'Foo', 'data': {}, 'if': {'not': {'any': ['A', {'all': ['B', 'c']}]}}}", "'if' condition 'c' of struct is not a valid identifier", "Foo"),
                row("{'command': 'foo', 'if': {'not': true}}", "'if' condition of command must be a string or an object", "foo"),
                // check_features on the definition
                row("{'struct': 'Foo', 'data': {}, 'features': 'f'}", "'features' must be an array", "Foo"),
                row("{'struct': 'Foo', 'data': {}, 'features': [{'if': 'X'}]}", "'features' member misses key 'name'", "Foo"),
                row("{'struct': 'Foo', 'data': {}, 'features': [{'name': 'f', 'x': 'y'}]}", "'features' member has unknown key 'x'\nValid keys are 'if', 'name'.", "Foo"),
                row("{'struct': 'Foo', 'data': {}, 'features': ['Bad']}", "name of 'features' member 'Bad' must not use uppercase or '_'", "Foo"),
                row("{'struct': 'Foo', 'data': {}, 'features': ['f-', 'q_x']}", "'features' member 'q_x' has an invalid name", "Foo"),
                row("{'struct': 'Foo', 'data': {}, 'features': ['f', {'name': 'g', 'if': {'not': 'x'}}]}", "'if' condition 'x' of 'features' member 'g' is not a valid identifier", "Foo"),
                row("{'struct': 'Foo', 'data': {}, 'features': ['f', true]}", "'features' member requires a string name", "Foo"),
                // check_flags
                row("{'command': 'foo', 'gen': true}", "flag 'gen' may only use false value", "foo"),
                row("{'command': 'foo', 'success-response': 'no'}", "flag 'success-response' may only use false value", "foo"),
                row("{'command': 'foo', 'allow-oob': false}", "flag 'allow-oob' may only use true value", "foo"),
                row("{'command': 'foo', 'allow-preconfig': 'yes'}", "flag 'allow-preconfig' may only use true value", "foo"),
                row("{'command': 'foo', 'data': 'X', 'boxed': 'x'}", "flag 'boxed' may only use true value", "foo"),
                row("{'event': 'FOO', 'data': 'X', 'boxed': false}", "flag 'boxed' may only use true value", "FOO"),
                row("{'command': 'foo', 'allow-oob': true, 'coroutine': true}", "flags 'allow-oob' and 'coroutine' are incompatible", "foo"),
                row("{'command': 'foo', 'coroutine': 'yes', 'gen': 'no'}", "flag 'gen' may only use false value", "foo"),
                // evaluation order: the first check in QEMU's order wins
                row("{'struct': 'Foo', 'data': {'A': 'int'}, 'if': 'x', 'features': [true]}", "name of 'data' member 'A' must not use uppercase or '_'", "Foo"),
                row("{'command': 'foo', 'if': 'x', 'features': 'f', 'gen': true}", "'if' condition 'x' of command is not a valid identifier", "foo"),
                row("{'command': 'foo', 'features': 'f', 'gen': true}", "'features' must be an array", "foo"),
                row("{'command': 'foo', 'returns': {}, 'bogus': true}", "command has unknown key 'bogus'\nValid keys are 'allow-oob', 'allow-preconfig', 'boxed', 'command', 'coroutine', 'data', 'features', 'gen', 'if', 'returns', 'success-response'.", "foo"),
                row("{'struct': 'foo', 'bogus': true}", "name of struct must use CamelCase", "foo"),
                row("{'enum': 'Foo', 'data': ['B'], 'prefix': true}", "'prefix' must be a string", "Foo"),
                row("{'union': 'Foo', 'base': ['x'], 'discriminator': true, 'data': []}", "'base' should be an object or type name", "Foo"),
                row("{'alternate': 'Foo', 'data': {'a': {'typ': 'int', 'if': 'x'}}}", "'data' member 'a' misses key 'type'", "Foo"),
                row("{'struct': 'Foo', 'data': {'a': {'features': ['F'], 'type': {}, 'if': 'x'}}}", "'if' condition 'x' of 'data' member 'a' is not a valid identifier", "Foo"),
                row("{'struct': 'Foo', 'data': {'a': {'features': ['F'], 'type': {}}}}", "name of 'features' member 'F' must not use uppercase or '_'", "Foo"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void reportsQemusError(String expression, String message, String definition) {
        Expression expr = Values.expr(Values.parse(expression));

        SchemaException error = catchThrowableOfType(SchemaException.class,
                () -> ExpressionChecker.checkExpressions(List.of(expr), DocStyle.STRICT));

        assertThat(error).as("expected an error").isNotNull();
        assertThat(error.diagnostic().message()).isEqualTo(message);
        assertThat(error.diagnostic().info()).isSameAs(expr.info());
        assertThat(error.diagnostic().info().definitionName()).isEqualTo(definition);
    }
}

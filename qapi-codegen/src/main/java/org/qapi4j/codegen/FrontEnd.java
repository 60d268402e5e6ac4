package org.qapi4j.codegen;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.qapi4j.codegen.ast.DocStyle;
import org.qapi4j.codegen.ast.Expression;
import org.qapi4j.codegen.check.ExpressionChecker;
import org.qapi4j.codegen.diag.SchemaException;
import org.qapi4j.codegen.model.Schema;
import org.qapi4j.codegen.parse.SchemaParser;

/**
 * The schema compiler's front end, as one call: parse (with includes and pragmas), check the
 * shape of every expression, then build and check the linked model.
 *
 * <p>The stages are QEMU's: {@code parser.py}, {@code expr.py}, {@code schema.py}. Each stops
 * at the first problem with a {@link SchemaException} carrying QEMU's message and location,
 * so the first error reported is the one QEMU reports.
 */
public final class FrontEnd {
    private FrontEnd() {}

    /**
     * Loads the schema whose main file is {@code fileName}.
     *
     * @param baseDir what relative file names are relative to; messages and module names show
     *     file names as written
     * @throws SchemaException if the schema cannot be read or is not valid
     */
    public static Schema load(Path baseDir, String fileName, DocStyle style) {
        return build(fileName, SchemaParser.parse(baseDir, fileName, style), style);
    }

    /** Loads a schema given as text, named {@code fileName} in messages. */
    public static Schema loadText(Path baseDir, String fileName, String text, DocStyle style) {
        return build(fileName, SchemaParser.parseText(baseDir, fileName, text, style), style);
    }

    private static Schema build(String fileName, SchemaParser.Result parsed, DocStyle style) {
        List<Expression> checked = ExpressionChecker.checkExpressions(new ArrayList<>(parsed.expressions()), style);
        return Schema.build(fileName, checked, parsed.docs(), style);
    }
}

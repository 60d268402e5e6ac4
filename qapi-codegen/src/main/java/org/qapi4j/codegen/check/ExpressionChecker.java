package org.qapi4j.codegen.check;

import java.util.ArrayList;
import java.util.List;
import org.qapi4j.codegen.ast.DocStyle;
import org.qapi4j.codegen.ast.Expression;
import org.qapi4j.codegen.ast.QapiDoc;
import org.qapi4j.codegen.diag.SchemaException;
import org.qapi4j.codegen.source.SourceInfo;

/**
 * Checks the shape of parsed schema expressions and normalizes their shorthand forms in place:
 * a port of QEMU's {@code scripts/qapi/expr.py}.
 *
 * <p>This is the context-free stage between the parser and the model: it makes sure every
 * top-level expression is one kind of definition with the right keys, that names follow QAPI's
 * conventions, and that values have the right JSON types, without looking at other
 * definitions. Checks run in QEMU's order and the first failure is thrown, so the error a schema
 * gets is the one QEMU reports, with the same text and location.
 */
public final class ExpressionChecker {

    /** The keys that make an expression a definition, in QEMU's message order. */
    private static final List<String> METAS =
            List.of("enum", "struct", "union", "alternate", "command", "event");

    private ExpressionChecker() {
    }

    /**
     * expr.py's {@code check_exprs}: checks and normalizes every expression; {@code include}
     * directives are passed over.
     *
     * @param style under {@link DocStyle#RELAXED}, a {@code Returns} section on a command that
     *     returns nothing is accepted; nothing else changes
     * @return {@code exprs} itself, normalized
     * @throws SchemaException at the first problem
     */
    public static List<Expression> checkExpressions(List<Expression> exprs, DocStyle style) {
        for (Expression expr : exprs) {
            if (expr.has("include")) {
                continue;
            }
            checkExpression(expr, style);
        }
        return exprs;
    }

    private static void checkExpression(Expression expr, DocStyle style) {
        SourceInfo info = expr.info();
        String meta = metaOf(expr);
        NameRules.checkIsStr(expr.get(meta), info, "'" + meta + "'");
        String name = (String) expr.get(meta);
        // From here on, QEMU's messages say which definition they are about.
        info.setDefinition(meta, name);
        NameRules.checkDefinitionName(name, info, meta);
        checkDoc(expr, name, style);

        switch (meta) {
            case "enum":
                DefinitionRules.checkEnum(expr);
                break;
            case "union":
                DefinitionRules.checkUnion(expr);
                break;
            case "alternate":
                DefinitionRules.checkAlternate(expr);
                break;
            case "struct":
                DefinitionRules.checkStruct(expr);
                break;
            case "command":
                DefinitionRules.checkCommand(expr);
                break;
            case "event":
                DefinitionRules.checkEvent(expr);
                break;
            default:
                throw new IllegalStateException("unexpected meta type " + meta);
        }

        ConditionRules.checkIf(expr.data(), info, meta);
        FeatureRules.checkFeatures(expr.get("features"), info);
        FlagRules.checkFlags(expr);
    }

    /** The one definition key the expression must have. */
    private static String metaOf(Expression expr) {
        List<String> metas = new ArrayList<>();
        for (String meta : METAS) {
            if (expr.has(meta)) {
                metas.add(meta);
            }
        }
        if (metas.size() != 1) {
            throw new SchemaException(expr.info(),
                    "expression must have exactly one key"
                            + " 'enum', 'struct', 'union', 'alternate',"
                            + " 'command', 'event'");
        }
        return metas.get(0);
    }

    /**
     * The documentation comment must document this definition, and its sections must suit the
     * definition's kind; without one, the pragma {@code doc-required} makes it an error.
     */
    private static void checkDoc(Expression expr, String name, DocStyle style) {
        QapiDoc doc = expr.doc();
        if (doc != null) {
            if (!name.equals(doc.symbol())) {
                throw new SchemaException(expr.info(),
                        "documentation comment is for '" + PyValues.str(doc.symbol()) + "'");
            }
            doc.checkExpression(expr, style.enforced());
        } else if (expr.info().pragma().docRequired()) {
            throw new SchemaException(expr.info(), "documentation comment required");
        }
    }
}

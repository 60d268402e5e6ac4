package org.qapi4j.codegen.model;

import java.nio.file.Path;
import java.nio.file.Paths;
import org.qapi4j.codegen.ast.DocStyle;
import org.qapi4j.codegen.FrontEnd;

/**
 * Builds schemas from text for the tests, through the whole front end (parser, expression
 * checker, model).
 */
final class SchemaFixtures {
    private SchemaFixtures() {
    }

    static Schema build(String text) {
        return build(text, DocStyle.STRICT);
    }

    static Schema build(String text, DocStyle style) {
        return FrontEnd.loadText(Paths.get("."), "test.json", text, style);
    }

    static Schema buildFile(Path dir, String fileName, DocStyle style) {
        return FrontEnd.load(dir, fileName, style);
    }
}

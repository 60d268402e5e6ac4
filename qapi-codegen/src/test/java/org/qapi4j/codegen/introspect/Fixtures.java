package org.qapi4j.codegen.introspect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.qapi4j.codegen.FrontEnd;
import org.qapi4j.codegen.ast.DocStyle;
import org.qapi4j.codegen.model.Schema;

/** Schemas, resources and comparisons shared by the introspection tests. */
final class Fixtures {
    private Fixtures() {
    }

    /** A schema from text, without includes. */
    static Schema schema(String text) {
        return FrontEnd.loadText(Path.of("."), "test.json", text, DocStyle.STRICT);
    }

    /** The folder of this package's test resources ({@code src/test/resources/.../introspect}). */
    static Path resourceDir() {
        URL url = Fixtures.class.getResource("README.md");
        if (url == null) {
            throw new IllegalStateException("introspection test resources not on the class path");
        }
        try {
            return Path.of(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The symbols of a defines file: one a line, {@code #} lines and blank lines ignored. */
    static Set<String> defines(Path file) {
        Set<String> symbols = new TreeSet<>();
        for (String line : read(file).split("\n")) {
            String symbol = line.strip();
            if (!symbol.isEmpty() && !symbol.startsWith("#")) {
                symbols.add(symbol);
            }
        }
        return symbols;
    }

    /**
     * Null when {@code ours} equals {@code theirs} (as JSON values: member order does not
     * matter, entry order does); else a message naming the first difference.
     */
    static String firstDifference(List<?> ours, List<?> theirs) {
        int common = Math.min(ours.size(), theirs.size());
        for (int i = 0; i < common; i++) {
            if (!ours.get(i).equals(theirs.get(i))) {
                return "entry " + i + " differs:\n  ours:   " + ours.get(i) + "\n  theirs: "
                        + theirs.get(i);
            }
        }
        if (ours.size() != theirs.size()) {
            return "ours has " + ours.size() + " entries, theirs " + theirs.size() + "; first extra: "
                    + (ours.size() > common ? ours.get(common) : theirs.get(common));
        }
        return null;
    }
}

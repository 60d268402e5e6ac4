package org.qapi4j.codegen.emit;

import java.util.Objects;

/**
 * One generated file, not yet written anywhere.
 *
 * @param kind Java source, or a resource the generated code loads at run time
 * @param relativePath where it goes below the output root, with '/' separators (for example
 *     {@code org/example/qmp/RunState.java})
 * @param content the whole text, UTF-8 when written
 */
public record GeneratedFile(Kind kind, String relativePath, String content) {
    public enum Kind { SOURCE, RESOURCE }

    public GeneratedFile {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(relativePath, "relativePath");
        Objects.requireNonNull(content, "content");
    }
}

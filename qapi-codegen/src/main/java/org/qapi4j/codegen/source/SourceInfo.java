package org.qapi4j.codegen.source;

/**
 * Where something was written: file, line, the chain of includes that led there, and the
 * definition it belongs to.
 *
 * <p>This mirrors QEMU's {@code QAPISourceInfo} closely because QEMU's error messages are built
 * from it: {@link #toString()} renders the {@code In file included from ...} lines, the
 * {@code FILE: In struct 'X':} line and {@code FILE:LINE}, exactly as QEMU prints them.
 *
 * <p>The parser creates one instance per source line and shares it among everything on that
 * line. The definition ({@link #setDefinition}) is set once the checker knows what a top-level
 * expression defines; like QEMU, it is the only mutable part.
 */
public final class SourceInfo {
    private final String fileName;
    private final int line;
    private final SourceInfo parent;
    private final Pragma pragma;
    private String definitionMeta;
    private String definitionName;

    private SourceInfo(String fileName, int line, SourceInfo parent, Pragma pragma) {
        this.fileName = fileName;
        this.line = line;
        this.parent = parent;
        this.pragma = pragma;
    }

    /**
     * The location of the first line of a file.
     *
     * @param fileName the file name as it is to be printed
     * @param includedFrom the location of the {@code include} directive, or null for the root
     *     module; an included module shares its includer's pragmas
     */
    public static SourceInfo startOf(String fileName, SourceInfo includedFrom) {
        Pragma pragma = includedFrom != null ? includedFrom.pragma : new Pragma();
        return new SourceInfo(fileName, 1, includedFrom, pragma);
    }

    /** The location {@code lines} lines further down the same file. */
    public SourceInfo nextLine(int lines) {
        SourceInfo next = new SourceInfo(fileName, line + lines, parent, pragma);
        next.definitionMeta = definitionMeta;
        next.definitionName = definitionName;
        return next;
    }

    public String fileName() {
        return fileName;
    }

    public int line() {
        return line;
    }

    /** The location of the include directive that brought this file in, or null. */
    public SourceInfo parent() {
        return parent;
    }

    public Pragma pragma() {
        return pragma;
    }

    /** What the enclosing definition is ({@code struct}, {@code command}, ...), or null. */
    public String definitionMeta() {
        return definitionMeta;
    }

    /** The name of the enclosing definition, or null. */
    public String definitionName() {
        return definitionName;
    }

    public void setDefinition(String meta, String name) {
        this.definitionMeta = meta;
        this.definitionName = name;
    }

    /** {@code FILE:LINE}. */
    public String location() {
        return fileName + ":" + line;
    }

    /** {@code FILE: In META 'NAME':} and a newline, or nothing outside a definition. */
    public String inDefinition() {
        if (definitionName == null) {
            return "";
        }
        return fileName + ": In " + definitionMeta + " '" + definitionName + "':\n";
    }

    /** One {@code In file included from FILE:LINE:} line per enclosing include, outermost first. */
    public String includePath() {
        StringBuilder path = new StringBuilder();
        for (SourceInfo p = parent; p != null; p = p.parent) {
            path.insert(0, "In file included from " + p.location() + ":\n");
        }
        return path.toString();
    }

    @Override
    public String toString() {
        return includePath() + inDefinition() + location();
    }
}

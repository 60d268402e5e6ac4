package org.qapi4j.codegen;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.qapi4j.codegen.model.Conditions;

/**
 * The condition symbols a generation run defines, as {@code qapi-gen} and the Maven plugin take
 * them: one by one ({@code -D}, {@code <defines>}), from a defines file ({@code --defines-file},
 * {@code <definesFile>}), or from a preset shipped with the generator ({@code
 * --defines-preset}, {@code <definesPreset>}).
 *
 * <p>A defines file has one symbol a line; blank lines and lines starting with {@code #} are
 * ignored. A preset is such a file in this jar, below {@value #PRESET_RESOURCES}: {@code
 * qemu-7.2-x86_64} holds the symbols with which the introspection generated from QEMU 7.2's
 * schema equals what Debian 12's {@code qemu-system-x86_64} answers to {@code
 * query-qmp-schema}. The preset's header says how it was derived, and how to derive one for
 * another build.
 */
public final class GenerationDefines {
    /** Where the presets lie on the class path. */
    public static final String PRESET_RESOURCES = "org/qapi4j/codegen/defines/";

    /** The presets this generator ships, by name. */
    public static final List<String> PRESETS = List.of("qemu-7.2-x86_64");

    private GenerationDefines() {}

    /** A defines file, preset or symbol that cannot be used; the message says which and why. */
    public static final class InvalidDefinesException extends Exception {
        private static final long serialVersionUID = 1L;

        public InvalidDefinesException(String message) {
            super(message);
        }
    }

    /** Whether {@code symbol} can be a condition symbol: not empty, no white space. */
    public static boolean isSymbol(String symbol) {
        return symbol != null && !symbol.isEmpty() && symbol.chars().noneMatch(Character::isWhitespace);
    }

    /**
     * The symbols of the preset {@code name}.
     *
     * @throws InvalidDefinesException when there is no such preset
     */
    public static Set<String> preset(String name) throws InvalidDefinesException {
        if (!PRESETS.contains(name)) {
            throw new InvalidDefinesException("unknown defines preset '" + name + "' (known: "
                    + String.join(", ", PRESETS) + ")");
        }
        String resource = PRESET_RESOURCES + name + ".defines";
        try (InputStream in = GenerationDefines.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("preset " + name + " is missing from the generator's jar: " + resource);
            }
            return parse("preset " + name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("can't read preset " + name + " from the generator's jar", e);
        }
    }

    /**
     * The symbols of the defines file {@code file}.
     *
     * @param name the file as messages name it
     * @throws InvalidDefinesException when it cannot be read or holds something that is not a symbol
     */
    public static Set<String> file(Path file, String name) throws InvalidDefinesException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InvalidDefinesException("can't read defines file '" + name + "': No such file or directory");
        } catch (IOException e) {
            throw new InvalidDefinesException("can't read defines file '" + name + "': "
                    + (Files.isDirectory(file) ? "Is a directory" : String.valueOf(e.getMessage())));
        }
        return parse(name, text);
    }

    /**
     * The symbols of a defines file's text.
     *
     * @param name the file as messages name it ({@code NAME:LINE: ...})
     */
    public static Set<String> parse(String name, String text) throws InvalidDefinesException {
        Set<String> symbols = new TreeSet<>();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (!isSymbol(line)) {
                throw new InvalidDefinesException(name + ":" + (i + 1) + ": invalid condition symbol '" + line + "'");
            }
            symbols.add(line);
        }
        return symbols;
    }

    /**
     * The conditions of a run: everything holds when no symbol was given in any way ({@code
     * given} false), else exactly {@code symbols} are defined (an empty defines file defines
     * nothing, so every condition that needs a symbol is false).
     */
    public static Conditions conditions(boolean given, Collection<String> symbols) {
        return given ? Conditions.defined(new TreeSet<>(symbols)) : Conditions.all();
    }
}

package org.qapi4j.codegen.output;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.qapi4j.codegen.emit.JavaGenerator;
import org.qapi4j.codegen.model.Module;
import org.qapi4j.codegen.model.Schema;

/**
 * What a generation run read: every schema file (path and SHA-256 of its content) and the
 * options. A run whose stamp equals the previous run's has nothing to do and can skip parsing
 * and generation altogether.
 *
 * <p>Checking needs no parse: {@link #isCurrent} re-hashes the files the previous run recorded.
 * A new include can only appear by editing a recorded file, and a recorded file that is gone
 * makes the stamp stale, so that list is enough.
 *
 * <p>The options should name everything else the output depends on: generator options, output
 * directories, and the generator itself ({@link #generatorIdentity()}), so that a new plugin
 * version regenerates.
 */
public final class InputStamp {
    private static final String HEADER = "qapi4j input stamp 1";

    private final SortedMap<String, String> options;
    private final SortedMap<String, String> files;

    private InputStamp(SortedMap<String, String> options, SortedMap<String, String> files) {
        this.options = Collections.unmodifiableSortedMap(options);
        this.files = Collections.unmodifiableSortedMap(files);
    }

    /**
     * Hashes {@code files} now.
     *
     * @throws IOException if a file cannot be read
     */
    public static InputStamp of(Map<String, String> options, Collection<Path> files) throws IOException {
        SortedMap<String, String> hashes = new TreeMap<>();
        for (Path file : files) {
            Path absolute = file.toAbsolutePath().normalize();
            hashes.put(absolute.toString(), sha256(absolute));
        }
        return new InputStamp(new TreeMap<>(options), hashes);
    }

    /**
     * The files a schema was read from: its user modules, resolved against the directory of
     * its root file.
     *
     * @param baseDir the directory the schema was loaded relative to ({@code FrontEnd.load}'s)
     */
    public static List<Path> sourceFiles(Schema schema, Path baseDir) {
        Path schemaDir = baseDir.resolve(schema.rootFileName()).toAbsolutePath().normalize().getParent();
        List<Path> paths = new ArrayList<>();
        for (Module module : schema.modules()) {
            if (Module.isUserModule(module.name())) {
                paths.add(schemaDir.resolve(module.name()).normalize());
            }
        }
        return paths;
    }

    /**
     * Whether the stamp stored in {@code stampFile} is what a run with {@code options} would
     * stamp now: same options, and every file it recorded still there with the same content.
     */
    public static boolean isCurrent(Path stampFile, Map<String, String> options) throws IOException {
        Optional<InputStamp> previous = read(stampFile);
        if (previous.isEmpty() || !previous.get().options.equals(new TreeMap<>(options))) {
            return false;
        }
        for (Map.Entry<String, String> file : previous.get().files.entrySet()) {
            Path path = Path.of(file.getKey());
            if (!Files.isRegularFile(path) || !sha256(path).equals(file.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** The stamp stored in {@code stampFile}; empty when there is none or it is not a stamp. */
    public static Optional<InputStamp> read(Path stampFile) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(stampFile, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            return Optional.empty();
        }
        SortedMap<String, String> options = new TreeMap<>();
        SortedMap<String, String> files = new TreeMap<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.startsWith("option ") && line.indexOf('=') > 0) {
                int eq = line.indexOf('=');
                options.put(unescape(line.substring("option ".length(), eq)), unescape(line.substring(eq + 1)));
            } else if (line.startsWith("file ") && line.indexOf(' ', 5) > 0) {
                int space = line.indexOf(' ', 5);
                files.put(unescape(line.substring(space + 1)), line.substring(5, space));
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(new InputStamp(options, files));
    }

    /** Stores the stamp, creating directories as needed; rewrites the file only if it changed. */
    public void write(Path stampFile) throws IOException {
        OutputWriter.writeIfChanged(stampFile.toAbsolutePath(), text().getBytes(StandardCharsets.UTF_8));
    }

    /** Deletes a stored stamp, so that the next run regenerates (after a failed run). */
    public static void invalidate(Path stampFile) throws IOException {
        Files.deleteIfExists(stampFile);
    }

    /** The options, sorted by name. */
    public SortedMap<String, String> options() {
        return options;
    }

    /** Absolute file name to lowercase hex SHA-256, sorted by name. */
    public SortedMap<String, String> files() {
        return files;
    }

    /**
     * Names the code that generates, so that a changed generator makes stamps stale: the
     * SHA-256 of the jar holding {@link JavaGenerator}, or its class directory's name when it
     * is not in a jar (a build of this project; stamps then do not see generator changes).
     */
    public static String generatorIdentity() {
        CodeSource source = JavaGenerator.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return "unknown";
        }
        try {
            Path location = Path.of(source.getLocation().toURI());
            return Files.isRegularFile(location) ? "jar sha256 " + sha256(location) : "classes " + location;
        } catch (URISyntaxException | IllegalArgumentException | IOException e) {
            return source.getLocation().toString();
        }
    }

    String text() {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        options.forEach((key, value) -> text.append("option ").append(escape(key).replace("=", "\\e"))
                .append('=').append(escape(value)).append('\n'));
        files.forEach((path, hash) -> text.append("file ").append(hash).append(' ').append(escape(path)).append('\n'));
        return text.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InputStamp other && options.equals(other.options) && files.equals(other.files);
    }

    @Override
    public int hashCode() {
        return options.hashCode() * 31 + files.hashCode();
    }

    @Override
    public String toString() {
        return text();
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
    }

    private static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\\' && i + 1 < s.length()) {
                char next = s.charAt(++i);
                out.append(next == 'n' ? '\n' : next == 'r' ? '\r' : next == 'e' ? '=' : next);
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}

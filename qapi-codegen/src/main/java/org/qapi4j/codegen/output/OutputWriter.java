package org.qapi4j.codegen.output;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.qapi4j.codegen.emit.GeneratedFile;

/**
 * Writes generated files below a sources root and a resources root (which may be the same
 * directory), touching only what changed.
 *
 * <ul>
 *   <li>A file whose content is already right is not written, so its timestamp stays and
 *       incremental compilers and IDEs see nothing to do.
 *   <li>Each root keeps a manifest ({@value #MANIFEST_NAME}) of the files generated there. A file
 *       the previous run generated and this run does not is deleted (with directories that become
 *       empty); a file that is not in the manifest is never deleted, so pointing the output at a
 *       directory with other files in it loses nothing.
 * </ul>
 *
 * <p>Paths in {@link GeneratedFile#relativePath()} use {@code /}, must be relative and must not
 * leave the root; a list naming one path twice in the same root is refused. Files are UTF-8.
 */
public final class OutputWriter {
    /** The manifest's name, in each output root. */
    public static final String MANIFEST_NAME = ".qapi4j-generated";

    private static final String MANIFEST_HEADER =
            "# Files qapi4j generated in this directory; the next run deletes those it no longer generates.";

    private final Path sourcesRoot;
    private final Path resourcesRoot;

    public OutputWriter(Path sourcesRoot, Path resourcesRoot) {
        this.sourcesRoot = sourcesRoot.toAbsolutePath().normalize();
        this.resourcesRoot = resourcesRoot.toAbsolutePath().normalize();
    }

    /** A writer that puts sources and resources in the same directory, as {@code qapi-gen -o}. */
    public static OutputWriter singleRoot(Path root) {
        return new OutputWriter(root, root);
    }

    public Path sourcesRoot() {
        return sourcesRoot;
    }

    public Path resourcesRoot() {
        return resourcesRoot;
    }

    /** Makes temporary file names unique within this process (the pid sets processes apart). */
    private static final AtomicLong TEMP_COUNTER = new AtomicLong();

    /** Brings the output roots to exactly {@code files} (as far as this writer's files go). */
    public WriteResult write(List<GeneratedFile> files) throws IOException {
        Map<Path, Map<String, String>> byRoot = new LinkedHashMap<>();
        for (Path root : roots()) {
            byRoot.put(root, new TreeMap<>());
        }
        for (GeneratedFile file : files) {
            String path = checkRelativePath(file.relativePath());
            Path root = rootOf(file.kind());
            if (byRoot.get(root).put(path, file.content()) != null) {
                throw new IllegalArgumentException("generated twice: " + root.resolve(path));
            }
        }
        WriteResult result = new WriteResult(0, 0, 0);
        for (Map.Entry<Path, Map<String, String>> entry : byRoot.entrySet()) {
            result = result.plus(writeRoot(entry.getKey(), entry.getValue()));
        }
        return result;
    }

    /**
     * Whether every root has a manifest and every file it lists exists: what a run that skips
     * generation (because its inputs did not change) relies on.
     */
    public boolean outputsPresent() throws IOException {
        for (Path root : roots()) {
            Set<String> listed = manifest(root);
            if (listed == null) {
                return false;
            }
            for (String path : listed) {
                if (!Files.isRegularFile(root.resolve(path))) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The paths the manifest in {@code root} lists, or null when there is no manifest.
     *
     * @throws UncheckedIOException if the manifest exists but cannot be read
     */
    public static Set<String> readManifest(Path root) {
        try {
            return manifest(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> manifest(Path root) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(root.resolve(MANIFEST_NAME), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        }
        Set<String> paths = new TreeSet<>();
        for (String line : lines) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            // Never trust the manifest with a path that leaves the root: skip what is not ours.
            if (isSafeRelativePath(line)) {
                paths.add(line);
            }
        }
        return paths;
    }

    private List<Path> roots() {
        return sourcesRoot.equals(resourcesRoot) ? List.of(sourcesRoot) : List.of(sourcesRoot, resourcesRoot);
    }

    private Path rootOf(GeneratedFile.Kind kind) {
        return kind == GeneratedFile.Kind.SOURCE ? sourcesRoot : resourcesRoot;
    }

    private static WriteResult writeRoot(Path root, Map<String, String> files) throws IOException {
        Set<String> previous = manifest(root);
        Files.createDirectories(root);
        // Directories once each, not once per file (Files.createDirectories on an existing
        // directory costs an exception).
        Set<Path> directories = new java.util.TreeSet<>();
        for (String path : files.keySet()) {
            directories.add(root.resolve(path).getParent());
        }
        for (Path directory : directories) {
            Files.createDirectories(directory);
        }
        // Files are independent: compare and write them on all cores (a full QEMU schema is
        // some 850 files, and each costs a handful of system calls).
        int written;
        try {
            written = (int) files.entrySet().parallelStream()
                    .filter(file -> writeIfChangedUnchecked(root.resolve(file.getKey()),
                            file.getValue().getBytes(StandardCharsets.UTF_8)))
                    .count();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        int unchanged = files.size() - written;
        int deleted = 0;
        if (previous != null) {
            for (String path : previous) {
                if (!files.containsKey(path) && delete(root, path)) {
                    deleted++;
                }
            }
        }
        StringBuilder manifest = new StringBuilder(MANIFEST_HEADER).append('\n');
        for (String path : files.keySet()) {
            manifest.append(path).append('\n');
        }
        writeIfChanged(root.resolve(MANIFEST_NAME), manifest.toString().getBytes(StandardCharsets.UTF_8));
        return new WriteResult(written, unchanged, deleted);
    }

    private static boolean writeIfChangedUnchecked(Path target, byte[] content) {
        try {
            return writeIfChanged(target, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code content} unless the file already holds exactly that; says whether it wrote. */
    static boolean writeIfChanged(Path target, byte[] content) throws IOException {
        boolean exists = Files.isRegularFile(target);
        if (exists && Files.size(target) == content.length && Arrays.equals(Files.readAllBytes(target), content)) {
            return false;
        }
        if (!Files.isDirectory(target.getParent())) {
            Files.createDirectories(target.getParent());
        }
        if (!exists) {
            // A new file is created in place: there is no old content a reader could see
            // half-replaced, and a first generation into an empty directory (some 850 files for
            // QEMU's schema) creates half as many inodes and renames nothing. A run cut short
            // leaves a partial file outside the manifest, which the next run compares and replaces.
            try {
                Files.write(target, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                return true;
            } catch (FileAlreadyExistsException raced) {
                // Someone created it since the check above: replace it as an existing file.
            }
        }
        // Replace through a file written beside the target and moved over it, so that a reader
        // never sees half a file.
        // Not Files.createTempFile: its files are private (0600), and generated files should get
        // the permissions any other file written here would.
        Path temp = target.resolveSibling("." + target.getFileName() + "." + TEMP_COUNTER.incrementAndGet()
                + "-" + ProcessHandle.current().pid() + ".tmp");
        try {
            Files.write(temp, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        return true;
    }

    /** Deletes a previously generated file and the directories it leaves empty, up to the root. */
    private static boolean delete(Path root, String path) throws IOException {
        Path file = root.resolve(path);
        if (!Files.isRegularFile(file) || !Files.deleteIfExists(file)) {
            return false;
        }
        for (Path dir = file.getParent(); dir != null && !dir.equals(root) && dir.startsWith(root);
                dir = dir.getParent()) {
            try {
                Files.delete(dir);
            } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                break;
            }
        }
        return true;
    }

    private static String checkRelativePath(String path) {
        if (!isSafeRelativePath(path) || path.equals(MANIFEST_NAME)) {
            throw new IllegalArgumentException("not a relative path inside the output root: '" + path + "'");
        }
        return path;
    }

    /** Relative, '/'-separated, no empty, '.' or '..' segment, no backslash. */
    static boolean isSafeRelativePath(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.indexOf('\\') >= 0 || path.indexOf(':') >= 0) {
            return false;
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }
}

package org.qapi4j.maven.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fenced code blocks of README.md and what each quotes, by the markers {@code
 * examples/README.md} defines: a line {@code <!-- from PATH -->}, {@code <!-- added to PATH -->}
 * or {@code <!-- output of COMMAND -->} right before the block.
 *
 * <p>A quoted block is found in its file when its lines are consecutive lines of the file, the
 * same apart from one indentation added to all of them; a line {@code ...} (or {@code // ...},
 * {@code # ...}, {@code <!-- ... -->}) in the block stands for lines left out, and each stretch
 * between such lines may have its own indentation.
 */
public final class ReadmeQuotes {
    private static final Pattern MARKER = Pattern.compile("<!-- (from|added to|output of) (.+?) -->");
    private static final Pattern STEP = Pattern.compile("^(\\d+)\\. ");
    private static final Set<String> ELISIONS = Set.of("...", "// ...", "# ...", "<!-- ... -->");

    private ReadmeQuotes() {}

    /** What a marker says of the block after it. */
    public enum Kind {
        /** The block is found in a file. */
        FROM,
        /** The block is found in a file, and is what its step adds there. */
        ADDED_TO,
        /** The block's lines are printed by a command. */
        OUTPUT
    }

    /**
     * A fenced block.
     *
     * @param line where its fence is in the README (1-based)
     * @param section the heading above it, without the {@code #}s
     * @param step the number of the list item it belongs to ({@code 3.} -> 3), or 0
     * @param language what follows the opening fence ({@code java}, {@code sh}, ...)
     * @param lines its content, the indentation common to all of them removed
     * @param kind its marker's kind, or null when it has none
     * @param target the marker's file (relative to the project root) or command, or null
     */
    public record Block(int line, String section, int step, String language, List<String> lines, Kind kind,
            String target) {
        /** The block as the README shows it, for messages. */
        public String text() {
            return String.join("\n", lines);
        }
    }

    /** Every fenced block of the Markdown file {@code readme}. */
    public static List<Block> blocks(Path readme) throws IOException {
        List<String> lines = Files.readAllLines(readme);
        List<Block> blocks = new ArrayList<>();
        String section = "";
        int step = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String trimmed = line.strip();
            if (line.startsWith("#")) {
                section = line.replaceFirst("^#+\\s*", "").strip();
                step = 0;
                continue;
            }
            Matcher item = STEP.matcher(line);
            if (item.find()) {
                step = Integer.parseInt(item.group(1));
            }
            if (!trimmed.startsWith("```")) {
                continue;
            }
            String language = trimmed.substring(3).strip();
            List<String> content = new ArrayList<>();
            int open = i;
            for (i++; i < lines.size() && !lines.get(i).strip().equals("```"); i++) {
                content.add(lines.get(i));
            }
            Kind kind = null;
            String target = null;
            Matcher marker = open > 0 ? MARKER.matcher(lines.get(open - 1).strip()) : null;
            if (marker != null && marker.matches()) {
                kind = switch (marker.group(1)) {
                    case "from" -> Kind.FROM;
                    case "added to" -> Kind.ADDED_TO;
                    default -> Kind.OUTPUT;
                };
                target = marker.group(2).strip();
            }
            blocks.add(new Block(open + 1, section, step, language, unindent(content), kind, target));
        }
        return blocks;
    }

    /** The blocks under the heading {@code section}. */
    public static List<Block> blocksIn(Path readme, String section) throws IOException {
        return blocks(readme).stream().filter(b -> b.section().equals(section)).toList();
    }

    /** Whether {@code line} stands for lines left out. */
    public static boolean isElision(String line) {
        return ELISIONS.contains(line.strip());
    }

    /**
     * Where {@code quote} is in {@code file}: for each stretch between elisions, its first line
     * and the line after its last (0-based), in order; null when it is not there.
     */
    public static List<int[]> find(List<String> file, List<String> quote) {
        List<List<String>> parts = new ArrayList<>();
        List<String> part = new ArrayList<>();
        for (String line : quote) {
            if (isElision(line)) {
                if (!part.isEmpty()) {
                    parts.add(part);
                }
                part = new ArrayList<>();
            } else {
                part.add(line);
            }
        }
        if (!part.isEmpty()) {
            parts.add(part);
        }
        List<int[]> found = new ArrayList<>();
        int from = 0;
        for (List<String> stretch : parts) {
            int start = findStretch(file, stretch, from);
            if (start < 0) {
                return null;
            }
            found.add(new int[] {start, start + stretch.size()});
            from = start + stretch.size();
        }
        return found.isEmpty() ? null : found;
    }

    /** {@code text} without the lines of {@code quote}, which must be there, with no elision. */
    public static String remove(String text, List<String> quote) {
        if (quote.stream().anyMatch(ReadmeQuotes::isElision)) {
            throw new IllegalArgumentException("a quote with elisions can't be removed:\n" + String.join("\n", quote));
        }
        List<String> lines = new ArrayList<>(text.lines().toList());
        List<int[]> found = find(lines, quote);
        if (found == null) {
            throw new IllegalArgumentException("not found:\n" + String.join("\n", quote));
        }
        int[] range = found.get(0);
        lines.subList(range[0], range[1]).clear();
        return String.join("\n", lines) + "\n";
    }

    private static int findStretch(List<String> file, List<String> stretch, int from) {
        for (int i = from; i + stretch.size() <= file.size(); i++) {
            String first = file.get(i);
            if (!first.endsWith(stretch.get(0))) {
                continue;
            }
            String indent = first.substring(0, first.length() - stretch.get(0).length());
            if (!indent.isBlank()) {
                continue;
            }
            boolean all = true;
            for (int j = 1; j < stretch.size() && all; j++) {
                String want = stretch.get(j);
                String have = file.get(i + j);
                all = want.isBlank() ? have.isBlank() : have.equals(indent + want);
            }
            if (all) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> unindent(List<String> lines) {
        int common = Integer.MAX_VALUE;
        for (String line : lines) {
            if (!line.isBlank()) {
                common = Math.min(common, line.length() - line.stripLeading().length());
            }
        }
        int cut = common == Integer.MAX_VALUE ? 0 : common;
        return lines.stream().map(line -> line.isBlank() ? "" : line.substring(cut)).toList();
    }
}

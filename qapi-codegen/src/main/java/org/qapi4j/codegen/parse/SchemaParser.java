package org.qapi4j.codegen.parse;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;
import org.qapi4j.codegen.ast.DocStyle;
import org.qapi4j.codegen.ast.Expression;
import org.qapi4j.codegen.ast.QapiDoc;
import org.qapi4j.codegen.diag.Diagnostic;
import org.qapi4j.codegen.diag.SchemaException;
import org.qapi4j.codegen.source.Pragma;
import org.qapi4j.codegen.source.SourceInfo;

/**
 * Reads a schema file and everything it includes into top-level expressions and documentation
 * blocks, and applies the {@code include} and {@code pragma} directives.
 *
 * <p>This is the only entry into the parse package: the ANTLR lexer, parser and tokens stay
 * behind it. What comes out are plain {@link Expression}s and {@link QapiDoc}s, unchecked; the
 * expression checker gives them meaning. An included file's expressions take the place of its
 * {@code include} directive (which is kept, as a marker for the model's modules); a file
 * included twice is read once; an inclusion cycle is an error.
 */
public final class SchemaParser {
    private final Path baseDir;
    private final String fileName;
    private final Set<String> included;
    private final SourceInfo includedFrom;
    private final DocStyle style;
    private final List<Expression> expressions = new ArrayList<>();
    private final List<QapiDoc> docs = new ArrayList<>();

    /** What a schema file and its includes hold, in source order. */
    public record Result(List<Expression> expressions, List<QapiDoc> docs) {}

    private SchemaParser(
            Path baseDir, String fileName, Set<String> included, SourceInfo includedFrom, DocStyle style) {
        this.baseDir = baseDir;
        this.fileName = fileName;
        this.included = included;
        this.includedFrom = includedFrom;
        this.style = style;
        included.add(absolute(baseDir, fileName));
    }

    /**
     * Parses the schema file {@code fileName} and all it includes.
     *
     * @param baseDir what relative file names are relative to (the working directory of a
     *     command line run); messages show file names as written, never resolved
     * @throws SchemaException if the schema cannot be read or is malformed
     */
    public static Result parse(Path baseDir, String fileName, DocStyle style) {
        String text;
        try {
            text = read(baseDir, fileName);
        } catch (IOException e) {
            throw new SchemaException(new Diagnostic(null, 0,
                    "can't read schema file '" + fileName + "': " + describe(e)));
        }
        return parseText(baseDir, fileName, text, style);
    }

    /**
     * Parses schema text that does not come from a file system (an editor buffer, a fuzzer's
     * input). {@code fileName} names it in messages; includes are resolved against it.
     */
    public static Result parseText(Path baseDir, String fileName, String text, DocStyle style) {
        SchemaParser parser = new SchemaParser(baseDir, fileName, new HashSet<>(), null, style);
        parser.run(text);
        return new Result(List.copyOf(parser.expressions), List.copyOf(parser.docs));
    }

    private void run(String text) {
        SourceText source = new SourceText(text, SourceInfo.startOf(fileName, includedFrom));
        QapiLexer lexer = new QapiLexer(CharStreams.fromString(source.text(), fileName));
        lexer.removeErrorListeners();
        QapiTokenStream tokens = new QapiTokenStream(new QapiTokenSource(lexer, source));
        QapiParser parser = new QapiParser(tokens);
        parser.removeErrorListeners();
        parser.setErrorHandler(new QemuErrorStrategy(source));
        parser.setBuildParseTree(false);
        parser.setSource(source);
        DocCommentReader docReader = new DocCommentReader(tokens, source, style);

        QapiDoc pendingDoc = null;
        while (tokens.LA(1) != Token.EOF) {
            SourceInfo info = source.lineOf(tokens.LT(1));
            if (tokens.LA(1) == QapiLexer.DOC_COMMENT) {
                rejectDocWithoutDefinition(pendingDoc);
                pendingDoc = docReader.read();
                docs.add(pendingDoc);
                continue;
            }
            Object value = parser.value().v;
            if (!(value instanceof Map)) {
                throw new SchemaException(info, "top-level expression must be an object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> expr = (Map<String, Object>) value;
            if (expr.containsKey("include")) {
                rejectDocWithoutDefinition(pendingDoc);
                include(expr, info);
            } else if (expr.containsKey("pragma")) {
                rejectDocWithoutDefinition(pendingDoc);
                pragmas(expr, info);
            } else {
                if (pendingDoc != null && pendingDoc.symbol() == null) {
                    throw new SchemaException(pendingDoc.info(), "definition documentation required");
                }
                expressions.add(new Expression(expr, info, pendingDoc));
            }
            pendingDoc = null;
        }
        rejectDocWithoutDefinition(pendingDoc);
    }

    private static void rejectDocWithoutDefinition(QapiDoc doc) {
        if (doc != null && doc.symbol() != null) {
            throw new SchemaException(doc.info(),
                    "documentation for '" + doc.symbol() + "' is not followed by the definition");
        }
    }

    // ---- include --------------------------------------------------------------------------

    private void include(Map<String, Object> expr, SourceInfo info) {
        if (expr.size() != 1) {
            throw new SchemaException(info, "invalid 'include' directive");
        }
        if (!(expr.get("include") instanceof String)) {
            throw new SchemaException(info, "value of 'include' must be a string");
        }
        String include = (String) expr.get("include");
        String includeFile = joinPath(parentOf(fileName), include);
        Map<String, Object> marker = new LinkedHashMap<>();
        marker.put("include", includeFile);
        expressions.add(new Expression(marker, info, null));

        String target = absolute(baseDir, includeFile);
        for (SourceInfo at = info; at != null; at = at.parent()) {
            if (target.equals(absolute(baseDir, at.fileName()))) {
                throw new SchemaException(info, "inclusion loop for " + include);
            }
        }
        if (included.contains(target)) {
            return;
        }
        String text;
        try {
            text = read(baseDir, includeFile);
        } catch (IOException e) {
            throw new SchemaException(info, "can't read include file '" + includeFile + "': " + describe(e));
        }
        SchemaParser child = new SchemaParser(baseDir, includeFile, included, info, style);
        child.run(text);
        expressions.addAll(child.expressions);
        docs.addAll(child.docs);
    }

    /** Python's {@code os.path.dirname}. */
    private static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        if (slash < 0) {
            return "";
        }
        String head = path.substring(0, slash + 1);
        // Trailing slashes go, unless the head is nothing but slashes.
        String trimmed = head.replaceAll("/+$", "");
        return trimmed.isEmpty() ? head : trimmed;
    }

    /** Python's {@code os.path.join} of two parts. */
    private static String joinPath(String directory, String path) {
        if (path.startsWith("/") || directory.isEmpty()) {
            return path;
        }
        return directory.endsWith("/") ? directory + path : directory + "/" + path;
    }

    private static String absolute(Path baseDir, String path) {
        return baseDir.resolve(path).toAbsolutePath().normalize().toString();
    }

    // ---- pragma ---------------------------------------------------------------------------

    private static void pragmas(Map<String, Object> expr, SourceInfo info) {
        if (expr.size() != 1) {
            throw new SchemaException(info, "invalid 'pragma' directive");
        }
        if (!(expr.get("pragma") instanceof Map)) {
            throw new SchemaException(info, "value of 'pragma' must be an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> pragmas = (Map<String, Object>) expr.get("pragma");
        Pragma pragma = info.pragma();
        for (Map.Entry<String, Object> entry : pragmas.entrySet()) {
            String name = entry.getKey();
            Object value = entry.getValue();
            switch (name) {
                case "doc-required":
                    if (!(value instanceof Boolean)) {
                        throw new SchemaException(info, "pragma 'doc-required' must be boolean");
                    }
                    pragma.setDocRequired((Boolean) value);
                    break;
                case "command-name-exceptions":
                    pragma.setCommandNameExceptions(stringList(name, value, info));
                    break;
                case "command-returns-exceptions":
                    pragma.setCommandReturnsExceptions(stringList(name, value, info));
                    break;
                case "documentation-exceptions":
                    pragma.setDocumentationExceptions(stringList(name, value, info));
                    break;
                case "member-name-exceptions":
                    pragma.setMemberNameExceptions(stringList(name, value, info));
                    break;
                default:
                    throw new SchemaException(info, "unknown pragma '" + name + "'");
            }
        }
    }

    private static List<String> stringList(String name, Object value, SourceInfo info) {
        if (value instanceof List) {
            List<String> strings = new ArrayList<>();
            for (Object element : (List<?>) value) {
                if (!(element instanceof String)) {
                    strings = null;
                    break;
                }
                strings.add((String) element);
            }
            if (strings != null) {
                return strings;
            }
        }
        throw new SchemaException(info, "pragma " + name + " must be a list of strings");
    }

    // ---- files ----------------------------------------------------------------------------

    private static String read(Path baseDir, String fileName) throws IOException {
        Path path = baseDir.resolve(fileName);
        if (Files.isDirectory(path)) {
            throw new IOException("Is a directory");
        }
        byte[] bytes = Files.readAllBytes(path);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IOException("Invalid UTF-8", e);
        }
    }

    /** The reason as C's {@code strerror} words it, which is what QEMU prints. */
    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}

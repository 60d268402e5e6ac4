package org.qapi4j.codegen.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.qapi4j.codegen.testing.CliRun;
import org.qapi4j.codegen.testing.SharedData;

/**
 * The project's own schema corpus: the language beyond QEMU's conformance corpus, and every
 * diagnostic the front end can emit, each proved identical to what QEMU prints.
 *
 * <p>The cases live in {@code src/test/resources/org/qapi4j/codegen/schemas/}, one folder per
 * kind. A case is a {@code NAME.json} at the top of its folder with a sibling {@code NAME.err};
 * files in subfolders (named after their case) are only included by cases. Each case runs, as
 * QEMU's harness runs its own, in (a copy of) its folder with its relative file name:
 *
 * <ul>
 *   <li>{@code bad/}: {@code qapi-gen -o OUT NAME.json} must fail and print exactly
 *       {@code NAME.err}.
 *   <li>{@code good/}: it must succeed silently ({@code NAME.err} is empty), and
 *       {@code qapi-gen --dump NAME.json} must print exactly {@code NAME.out}.
 *   <li>{@code relaxed/}: with {@code --doc-style=relaxed} the run must print exactly
 *       {@code NAME.err} (empty: it must succeed); without it, exactly {@code NAME.strict.err}
 *       (QEMU's verdict). These pin what the relaxed style turns off and what it keeps.
 *   <li>{@code deviation/}: inputs on which QEMU does not report an error but crashes, so the
 *       expected {@code NAME.err} is ours, by design; see {@link #DEVIATIONS}.
 * </ul>
 *
 * <p><b>Where the expectations come from.</b> Every {@code .err}, {@code .out} and
 * {@code .strict.err} in {@code bad/}, {@code good/} and {@code relaxed/} was produced by QEMU's
 * own front end ({@code scripts/qapi} at QEMU commit cd5a79dc98e3): {@code QAPISchema(NAME.json)}
 * run in the case's folder, the message printed as {@code qapi-gen.py} prints it
 * ({@code str(QAPIError)} and a newline), and the dump as {@code tests/qapi-schema/test-qapi.py}'s
 * {@code test_frontend} prints it. To re-verify a case against QEMU, from its folder:
 *
 * <pre>
 * python3 -c "import sys; sys.path.insert(0, 'QEMU/scripts')
 * from qapi.schema import QAPISchema; from qapi.error import QAPIError
 * try: QAPISchema('NAME.json')
 * except QAPIError as e: print(e, file=sys.stderr); sys.exit(1)"
 * </pre>
 *
 * and diff its standard error with {@code NAME.err} (for a good case, run test-qapi.py's
 * {@code test_frontend('NAME.json')} and diff with {@code NAME.out}). Only the relaxed verdicts
 * ({@code relaxed/NAME.err}) and {@code deviation/} are ours: QEMU has no relaxed style, and
 * crashes on the deviation inputs.
 *
 * <p><b>Regenerating.</b> {@code -Dqapi4j.regenerate=true} rewrites every expected file in the
 * source tree from <em>our</em> output instead of asserting (golden files). That is for a
 * deliberate change of output; a human must read the resulting {@code git diff}, and any change
 * in {@code bad/}, {@code good/} or {@code relaxed/*.strict.err} must be re-verified against QEMU
 * as above before it is committed.
 *
 * <p>Which case covers which message is listed in {@code README.md} beside the cases.
 */
class OwnSchemaCorpusTest {
    static final String RESOURCES = "org/qapi4j/codegen/schemas";
    static final boolean REGENERATE = Boolean.getBoolean("qapi4j.regenerate");

    /**
     * Our deliberate deviations from QEMU, and why. On each of these inputs QEMU's generator dies
     * with a Python traceback instead of reporting a schema error; we report one.
     */
    static final Map<String, String> DEVIATIONS = Map.of(
            "nesting-too-deep",
            "1025 nested arrays: QEMU's recursive descent hits Python's recursion limit "
                    + "(RecursionError); we stop at 1024 levels with a located error, so a hostile "
                    + "schema cannot overflow our stack either",
            "nesting-too-deep-objects",
            "1100 nested objects: as nesting-too-deep, through get_members",
            "empty-enum-member",
            "an enum member named '': QEMU indexes member_name[0] and dies of IndexError; "
                    + "we report the name as invalid",
            "invalid-utf8",
            "a schema file that is not UTF-8: QEMU dies of UnicodeDecodeError; "
                    + "we report it as unreadable",
            "include-invalid-utf8",
            "an included file that is not UTF-8: as invalid-utf8, with the include chain");

    @TempDir
    static Path workDir;

    static Path cases;

    @BeforeAll
    static void copyCases() throws URISyntaxException {
        Path source = Path.of(OwnSchemaCorpusTest.class.getResource("/" + RESOURCES).toURI());
        cases = workDir.resolve("schemas");
        SharedData.copyTree(source, cases);
    }

    @Test
    void everyCategoryHasCases() {
        assertThat(caseNames("bad")).hasSizeGreaterThan(150);
        assertThat(caseNames("good")).hasSizeGreaterThan(20);
        assertThat(caseNames("relaxed")).hasSizeGreaterThanOrEqualTo(2);
        assertThat(caseNames("deviation")).containsExactlyInAnyOrderElementsOf(DEVIATIONS.keySet());
    }

    @TestFactory
    Stream<DynamicTest> badCasesFailWithQemusMessage() {
        return caseNames("bad").stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            Path dir = cases.resolve("bad");
            CliRun run = CliRun.of(dir, "-o", workDir.resolve("out").toString(), name + ".json");
            check(dir, name + ".err", run.err());
            assertThat(run.status()).as("exit status").isEqualTo(1);
            assertThat(run.out()).isEmpty();
        }));
    }

    @TestFactory
    Stream<DynamicTest> goodCasesPassAndDumpQemusModel() {
        return caseNames("good").stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            Path dir = cases.resolve("good");
            CliRun run = CliRun.of(dir, "-o", workDir.resolve("out").toString(), name + ".json");
            check(dir, name + ".err", run.err());
            assertThat(run.status()).as("exit status").isZero();
            if (Files.exists(dir.resolve(name + ".out")) || REGENERATE) {
                CliRun dump = CliRun.of(dir, "--dump", name + ".json");
                assertThat(dump.err()).isEmpty();
                check(dir, name + ".out", dump.out());
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> relaxedCasesTurnOffOnlyTheDocumentationRules() {
        return caseNames("relaxed").stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            Path dir = cases.resolve("relaxed");
            CliRun strict = CliRun.of(dir, "-o", workDir.resolve("out").toString(), name + ".json");
            check(dir, name + ".strict.err", strict.err());
            assertThat(strict.status()).as("strict exit status").isEqualTo(strict.err().isEmpty() ? 0 : 1);
            CliRun relaxed = CliRun.of(dir, "-o", workDir.resolve("out").toString(),
                    "--doc-style=relaxed", name + ".json");
            check(dir, name + ".err", relaxed.err());
            assertThat(relaxed.status()).as("relaxed exit status").isEqualTo(relaxed.err().isEmpty() ? 0 : 1);
        }));
    }

    /** See {@link #DEVIATIONS} for why each of these differs from QEMU. */
    @TestFactory
    Stream<DynamicTest> deviationsReportWhereQemuCrashes() {
        return caseNames("deviation").stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            Path dir = cases.resolve("deviation");
            CliRun run = CliRun.of(dir, "-o", workDir.resolve("out").toString(), name + ".json");
            check(dir, name + ".err", run.err());
            assertThat(run.status()).as("exit status").isEqualTo(1);
        }));
    }

    /** The root schema itself unreadable: QEMU's {@code can't read schema file} (schema.py). */
    @Test
    void missingRootSchema() {
        CliRun run = CliRun.of(cases.resolve("bad"), "-o", workDir.resolve("out").toString(), "no-such.json");
        assertThat(run.err()).isEqualTo("can't read schema file 'no-such.json': No such file or directory\n");
        assertThat(run.status()).isEqualTo(1);
    }

    /** QEMU: {@code IsADirectoryError}, an {@code OSError}, so the same message path. */
    @Test
    void rootSchemaIsADirectory() {
        CliRun run = CliRun.of(cases.resolve("bad"), "-o", workDir.resolve("out").toString(), "inc-directory");
        assertThat(run.err()).isEqualTo("can't read schema file 'inc-directory': Is a directory\n");
        assertThat(run.status()).isEqualTo(1);
    }

    // ---- helpers ---------------------------------------------------------------------------

    /** The cases of a category: top-level {@code NAME.json} files with a {@code NAME.err}. */
    static List<String> caseNames(String category) {
        Path dir = cases.resolve(category);
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - ".json".length()))
                    .filter(n -> Files.exists(dir.resolve(n + ".err")))
                    .sorted()
                    .forEach(names::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    /** Asserts {@code actual} is the expected file's content, or rewrites it when regenerating. */
    static void check(Path dir, String expectedFile, String actual) throws IOException {
        if (REGENERATE) {
            Path target = sourceTree().resolve(cases.relativize(dir).toString()).resolve(expectedFile);
            Files.writeString(target, actual, StandardCharsets.UTF_8);
            return;
        }
        String expected = Files.readString(dir.resolve(expectedFile), StandardCharsets.UTF_8);
        assertThat(actual).as(expectedFile).isEqualTo(expected);
    }

    /** The case folder in the source tree (Maven runs tests in the module's base directory). */
    static Path sourceTree() {
        Path base = Path.of(System.getProperty("basedir", ""));
        return base.toAbsolutePath().resolve("src/test/resources").resolve(RESOURCES);
    }
}

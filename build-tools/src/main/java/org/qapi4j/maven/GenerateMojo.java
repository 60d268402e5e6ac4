package org.qapi4j.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.lang.model.SourceVersion;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.model.Resource;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.qapi4j.codegen.Generation;
import org.qapi4j.codegen.GenerationDefines;
import org.qapi4j.codegen.ast.DocStyle;
import org.qapi4j.codegen.diag.Diagnostic;
import org.qapi4j.codegen.diag.SchemaException;
import org.qapi4j.codegen.emit.GeneratorOptions;
import org.qapi4j.codegen.fork.ForkedGeneration;
import org.qapi4j.codegen.output.InputStamp;
import org.qapi4j.codegen.output.OutputWriter;

/**
 * Generates Java from a QAPI schema, and adds it to the build: the sources as a compile source
 * root, the resources (introspection data) as a resource directory.
 *
 * <p>Incremental: when neither the schema files (the main file and everything it includes,
 * by content) nor the configuration changed since the last run, and the output is still there,
 * nothing is parsed or written. Otherwise only files whose content changed are written, and
 * files the last run generated and this one does not are deleted.
 *
 * <p>A schema error fails the build with QEMU's message, include chain and all, and is also
 * logged as {@code /absolute/file:[LINE,COLUMN] message}, the form IDEs link to the source.
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public class GenerateMojo extends AbstractMojo {

    /** The schema's main file. */
    @Parameter(property = "qapi.schema", required = true)
    private File schema;

    /** The Java package of the generated code. */
    @Parameter(property = "qapi.packageName", defaultValue = GeneratorOptions.DEFAULT_PACKAGE)
    private String packageName;

    /** Where generated sources go; added as a compile source root. */
    @Parameter(defaultValue = "${project.build.directory}/generated-sources/qapi", required = true)
    private File outputDirectory;

    /** Where generated resources go; added as a resource directory. May equal {@link #outputDirectory}. */
    @Parameter(defaultValue = "${project.build.directory}/generated-resources/qapi", required = true)
    private File resourcesDirectory;

    /**
     * The condition symbols ({@code 'if': 'CONFIG_X'}) this build defines; what their
     * conditions exclude is not generated. With {@link #definesFile} and {@link #definesPreset},
     * the symbols of all three are defined. None of them given: every condition holds and
     * everything is generated.
     */
    @Parameter
    private List<String> defines;

    /**
     * A file listing condition symbols to define, one a line ({@code #} starts a comment
     * line); relative to the project. Its content is part of the input stamp.
     */
    @Parameter(property = "qapi.definesFile")
    private File definesFile;

    /**
     * A preset of condition symbols shipped with the generator: {@code qemu-7.2-x86_64}, the
     * symbols of Debian 12's {@code qemu-system-x86_64} (QEMU 7.2), with which the generated
     * introspection equals the binary's {@code query-qmp-schema}.
     */
    @Parameter(property = "qapi.definesPreset")
    private String definesPreset;

    /**
     * {@code strict}: QEMU's current documentation rules; {@code relaxed}: doc comments are
     * read but their rules are not enforced (QEMU 7.2's schema needs it).
     */
    @Parameter(property = "qapi.docStyle", defaultValue = "strict")
    private String docStyle;

    /** Show non-ABI type names in introspection, as {@code qapi-gen.py -u}. */
    @Parameter(property = "qapi.unmaskIntrospection", defaultValue = "false")
    private boolean unmaskIntrospection;

    /**
     * Generate in a JVM of its own (the default) rather than in Maven's. The child runs with C1
     * only, so that C2 does not spend the build's cores compiling code that runs once: for QEMU's
     * whole schema it takes about half the time of generating in Maven's JVM (see {@code
     * ForkedGeneration} and {@code bin/bench-codegen}). Set it to false where starting a process
     * is not allowed or to debug the generator in Maven's JVM; the output is the same.
     */
    @Parameter(property = "qapi.fork", defaultValue = "true")
    private boolean fork;

    /** The plugin's own classpath: what the child JVM runs. */
    @Parameter(defaultValue = "${plugin.artifacts}", readonly = true, required = true)
    private List<Artifact> pluginArtifacts;

    /** Skip generation (and do not add the output to the build). */
    @Parameter(property = "qapi.skip", defaultValue = "false")
    private boolean skip;

    /** Where the input stamps live that let an unchanged run skip all work. */
    @Parameter(defaultValue = "${project.build.directory}/qapi4j-stamps", required = true)
    private File stampDirectory;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Parameter(defaultValue = "${mojoExecution}", readonly = true, required = true)
    private MojoExecution mojoExecution;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("QAPI generation skipped (skip=true)");
            return;
        }
        Path baseDir = project.getBasedir().toPath().toAbsolutePath().normalize();
        Path schemaPath = baseDir.resolve(schema.toPath()).normalize();
        // Messages name files as they are passed to the front end: relative to the project
        // when the schema is in it, as qapi-gen.py run from the project's directory would.
        String schemaName = schemaPath.startsWith(baseDir)
                ? baseDir.relativize(schemaPath).toString().replace(File.separatorChar, '/')
                : schemaPath.toString();
        if (packageName == null || !SourceVersion.isName(packageName)) {
            throw new MojoExecutionException("packageName '" + packageName + "' is not a Java package name");
        }
        Defines defines = defines(baseDir);
        GeneratorOptions options = new GeneratorOptions(packageName,
                GenerationDefines.conditions(defines.given(), defines.symbols()), unmaskIntrospection);
        DocStyle style = docStyle();
        OutputWriter writer = new OutputWriter(outputDirectory.toPath(), resourcesDirectory.toPath());
        Map<String, String> stampOptions = stampOptions(schemaPath, options, style, writer);
        Path stampFile = stampDirectory.toPath().resolve(mojoExecution.getExecutionId() + ".stamp");

        try {
            if (InputStamp.isCurrent(stampFile, stampOptions) && writer.outputsPresent()) {
                getLog().info("QAPI schema " + schemaName + " and configuration unchanged since the last run:"
                        + " skipping generation");
            } else {
                // A run that fails must not leave a stamp that makes the next one skip.
                InputStamp.invalidate(stampFile);
                ForkedGeneration.Outcome outcome = fork
                        ? generateForked(new ForkedGeneration.Request(baseDir, schemaName,
                                style.name().toLowerCase(Locale.ROOT), packageName, defines.given(),
                                List.copyOf(defines.symbols()), unmaskIntrospection, writer.sourcesRoot(),
                                writer.resourcesRoot()))
                        : generate(new Generation.Request(baseDir, schemaName, style, options, writer));
                getLog().info("QAPI schema " + schemaName + ": " + outcome.summary() + " in " + describeOutput(writer));
                InputStamp.of(stampOptions, outcome.sourceFiles()).write(stampFile);
            }
        } catch (IOException e) {
            throw new MojoExecutionException("QAPI generation from " + schemaName + " failed: " + e, e);
        }
        addToProject(writer);
    }

    /** Runs {@code request}; a schema error is logged line by line and fails the build. */
    private ForkedGeneration.Outcome generate(Generation.Request request) throws IOException, MojoFailureException {
        Path baseDir = request.baseDir();
        try {
            Generation.Result result = Generation.run(request);
            return new ForkedGeneration.Outcome(result.summary(), InputStamp.sourceFiles(result.schema(), baseDir));
        } catch (SchemaException e) {
            Diagnostic diagnostic = e.diagnostic();
            ForkedGeneration.Location location = diagnostic.info() == null ? null
                    : new ForkedGeneration.Location(diagnostic.info().fileName(), diagnostic.info().line(),
                            diagnostic.column(), diagnostic.message());
            throw schemaFailure(baseDir, List.of(diagnostic.render().split("\n")), location);
        }
    }

    private ForkedGeneration.Outcome generateForked(ForkedGeneration.Request request)
            throws IOException, MojoFailureException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<Path> classpath = pluginArtifacts.stream().map(artifact -> artifact.getFile().toPath()).toList();
        try {
            return ForkedGeneration.run(java, classpath, request, line -> getLog().warn(line));
        } catch (ForkedGeneration.InvalidSchema e) {
            throw schemaFailure(request.baseDir(), e.renderedLines(), e.location());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the generator ran", e);
        }
    }

    /** Logs a schema error as QEMU renders it, then in javac's form, and fails the build. */
    private MojoFailureException schemaFailure(Path baseDir, List<String> rendered, ForkedGeneration.Location location) {
        for (String line : rendered) {
            getLog().error(line);
        }
        if (location != null) {
            // javac's form as Maven prints it, which IDEs turn into a link.
            Path file = baseDir.resolve(location.fileName()).normalize();
            getLog().error(file + ":[" + location.line() + "," + Math.max(1, location.column()) + "] "
                    + location.message());
        }
        return new MojoFailureException(String.join("\n", rendered));
    }

    /** The defines of the configuration, all ways of giving them together. */
    private record Defines(boolean given, Set<String> symbols) {}

    private Defines defines(Path baseDir) throws MojoExecutionException {
        Set<String> symbols = new TreeSet<>();
        boolean given = false;
        if (defines != null && !defines.isEmpty()) {
            for (String symbol : defines) {
                if (!GenerationDefines.isSymbol(symbol)) {
                    throw new MojoExecutionException("defines: '" + symbol + "' is not a condition symbol");
                }
            }
            symbols.addAll(defines);
            given = true;
        }
        try {
            if (definesPreset != null && !definesPreset.isBlank()) {
                symbols.addAll(GenerationDefines.preset(definesPreset.strip()));
                given = true;
            }
            if (definesFile != null) {
                Path file = baseDir.resolve(definesFile.toPath()).normalize();
                symbols.addAll(GenerationDefines.file(file, file.toString()));
                given = true;
            }
        } catch (GenerationDefines.InvalidDefinesException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        }
        return new Defines(given, symbols);
    }

    private DocStyle docStyle() throws MojoExecutionException {
        for (DocStyle style : DocStyle.values()) {
            if (style.name().equalsIgnoreCase(docStyle)) {
                return style;
            }
        }
        throw new MojoExecutionException("docStyle '" + docStyle + "': expected strict or relaxed");
    }

    /** Everything besides the schema files that the output depends on. */
    private static Map<String, String> stampOptions(
            Path schemaPath, GeneratorOptions options, DocStyle style, OutputWriter writer) {
        Map<String, String> stamp = new LinkedHashMap<>();
        stamp.put("schema", schemaPath.toString());
        stamp.put("package", options.packageName());
        stamp.put("conditions", options.conditions().toString());
        stamp.put("unmaskIntrospection", String.valueOf(options.unmaskIntrospection()));
        stamp.put("docStyle", style.name().toLowerCase(Locale.ROOT));
        stamp.put("outputDirectory", writer.sourcesRoot().toString());
        stamp.put("resourcesDirectory", writer.resourcesRoot().toString());
        stamp.put("generator", InputStamp.generatorIdentity());
        return stamp;
    }

    private static String describeOutput(OutputWriter writer) {
        return writer.sourcesRoot().equals(writer.resourcesRoot())
                ? writer.sourcesRoot().toString()
                : writer.sourcesRoot() + " and " + writer.resourcesRoot();
    }

    private void addToProject(OutputWriter writer) {
        project.addCompileSourceRoot(writer.sourcesRoot().toString());
        String resources = writer.resourcesRoot().toString();
        for (Resource existing : project.getResources()) {
            if (resources.equals(existing.getDirectory())) {
                return;
            }
        }
        Resource resource = new Resource();
        resource.setDirectory(resources);
        resource.addExclude(OutputWriter.MANIFEST_NAME);
        if (writer.sourcesRoot().equals(writer.resourcesRoot())) {
            resource.addExclude("**/*.java");
        }
        project.addResource(resource);
    }
}

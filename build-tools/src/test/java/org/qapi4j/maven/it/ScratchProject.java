package org.qapi4j.maven.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away Maven project that uses this build's {@code qapi-maven-plugin} and
 * {@code qmp-runtime}, built by a real Maven process.
 *
 * <p>How the scratch build finds this build's artifacts without anything being installed in
 * the user's local repository: {@code invoker:install} (bound in {@code build-tools/pom.xml},
 * phase {@code pre-integration-test}) stages the plugin, its dependencies, the parent POM and
 * {@code qmp-runtime} from the reactor into {@code build-tools/target/it-repo}. The scratch
 * build runs Maven 3.9 with that directory as its local repository and the user's local
 * repository as a read-only tail ({@code -Dmaven.repo.local.tail}), where it finds Maven's own
 * plugins; it is offline when the outer build is. Maven 3.9 is the outer build's Maven when
 * that is 3.9 or newer ({@code ./mvnw}), otherwise the project's wrapper.
 *
 * <p>The settings come from system properties the failsafe configuration sets
 * ({@code qapi4j.it.*}); a test module other than build-tools needs the same invoker and
 * failsafe configuration (and this class, from build-tools' test jar).
 *
 * <pre>{@code
 * ScratchProject p = ScratchProject.create("qemu-master")
 *         .copyTree(qemuSchemaDir, "src/main/qapi")
 *         .writePom(ScratchProject.pluginConfiguration("src/main/qapi/qapi-schema.json", "relaxed"),
 *                 "-Xlint:all", "-Werror");
 * ScratchProject.Result r = p.mvn("compile");
 * assertThat(r.exitCode()).as(r.output()).isZero();
 * }</pre>
 */
public final class ScratchProject {
    /** Versions of Maven's plugins the scratch builds use: the parent POM's pins. */
    private static final Map<String, String> PLUGINS = Map.of(
            "maven-compiler-plugin", "3.15.0",
            "maven-resources-plugin", "3.3.1",
            "maven-surefire-plugin", "3.5.4",
            "maven-jar-plugin", "3.4.2",
            "maven-install-plugin", "3.1.4",
            "maven-deploy-plugin", "3.1.4",
            "maven-clean-plugin", "3.5.0",
            "maven-site-plugin", "3.21.0");

    private static final long TIMEOUT_MINUTES = 15;

    private final Path dir;

    private ScratchProject(Path dir) {
        this.dir = dir;
    }

    /** A new, empty project directory {@code target/it-work/NAME} (emptied if it exists). */
    public static ScratchProject create(String name) throws IOException {
        Path dir = Path.of(property("qapi4j.it.workDir")).resolve(name).toAbsolutePath();
        deleteTree(dir);
        // Maven looks upwards for .mvn to find the project root; stop it at the scratch project,
        // so that nothing of the enclosing build's configuration applies.
        Files.createDirectories(dir.resolve(".mvn"));
        return new ScratchProject(dir);
    }

    public Path dir() {
        return dir;
    }

    /** Resolves a path of the project. */
    public Path path(String relativePath) {
        return dir.resolve(relativePath);
    }

    /** Writes a UTF-8 file of the project, creating directories. */
    public ScratchProject writeFile(String relativePath, String content) throws IOException {
        Path file = dir.resolve(relativePath);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return this;
    }

    /** Copies the files below {@code source} to {@code relativeTarget} in the project. */
    public ScratchProject copyTree(Path source, String relativeTarget) throws IOException {
        Path target = dir.resolve(relativeTarget);
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path to = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(file, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return this;
    }

    /**
     * Copies the Maven project in {@code source} (a directory with a {@code pom.xml}) into this
     * one, leaving out what a build of it left there ({@code target} directories).
     */
    public ScratchProject copyProject(Path source) throws IOException {
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path relative = source.relativize(file);
                boolean built = false;
                for (Path part : relative) {
                    built |= part.toString().equals("target");
                }
                if (built) {
                    continue;
                }
                Path to = dir.resolve(relative.toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(file, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return this;
    }

    /** This build's root directory (where README.md and examples/ are). */
    public static Path projectRoot() {
        return Path.of(property("qapi4j.it.projectRoot")).toAbsolutePath().normalize();
    }

    /** The version being built, which the scratch builds get from the staged repository. */
    public static String version() {
        return property("qapi4j.it.version");
    }

    /**
     * The plugin's {@code <configuration>} content for a schema and doc style ({@code strict}
     * or {@code relaxed}); add other parameters by writing the XML yourself.
     */
    public static String pluginConfiguration(String schema, String docStyle) {
        return "<schema>" + schema + "</schema>\n<docStyle>" + docStyle + "</docStyle>";
    }

    /**
     * Writes {@code pom.xml}: a jar project depending on {@code qmp-runtime}, running
     * {@code qapi-maven-plugin:generate} with {@code pluginConfiguration} (XML inside
     * {@code <configuration>}), compiling for Java 17 with {@code compilerArgs}.
     */
    public ScratchProject writePom(String pluginConfiguration, String... compilerArgs) throws IOException {
        String version = property("qapi4j.it.version");
        StringBuilder pom = new StringBuilder();
        pom.append("""
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0"
                         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>org.qapi4j.scratch</groupId>
                  <artifactId>scratch</artifactId>
                  <version>1</version>
                  <properties>
                    <maven.compiler.release>17</maven.compiler.release>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                  </properties>
                  <dependencies>
                    <dependency>
                      <groupId>org.qapi4j</groupId>
                      <artifactId>qmp-runtime</artifactId>
                      <version>@VERSION@</version>
                    </dependency>
                  </dependencies>
                  <build>
                    <pluginManagement>
                      <plugins>
                """.replace("@VERSION@", version));
        PLUGINS.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(plugin -> pom.append(
                "        <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>" + plugin.getKey()
                        + "</artifactId><version>" + plugin.getValue() + "</version></plugin>\n"));
        pom.append("""
                      </plugins>
                    </pluginManagement>
                    <plugins>
                      <plugin>
                        <groupId>org.qapi4j</groupId>
                        <artifactId>qapi-maven-plugin</artifactId>
                        <version>@VERSION@</version>
                        <executions>
                          <execution>
                            <goals><goal>generate</goal></goals>
                          </execution>
                        </executions>
                        <configuration>
                """.replace("@VERSION@", version));
        pom.append(pluginConfiguration.indent(12));
        pom.append("""
                        </configuration>
                      </plugin>
                      <plugin>
                        <groupId>org.apache.maven.plugins</groupId>
                        <artifactId>maven-compiler-plugin</artifactId>
                        <configuration>
                          <compilerArgs>
                """);
        for (String arg : compilerArgs) {
            pom.append("              <arg>").append(arg).append("</arg>\n");
        }
        pom.append("""
                          </compilerArgs>
                        </configuration>
                      </plugin>
                    </plugins>
                  </build>
                </project>
                """);
        return writeFile("pom.xml", pom.toString());
    }

    /** What a Maven run did: its exit code and everything it printed (stdout and stderr). */
    public record Result(int exitCode, String output) {
        public boolean succeeded() {
            return exitCode == 0;
        }
    }

    /** Runs Maven in the project (batch mode, this build's artifacts) with goals and options. */
    public Result mvn(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(mavenExecutable().toString());
        command.add("-B");
        command.add("--no-transfer-progress");
        if (System.getProperty("qapi4j.it.offline", "").endsWith("true")) {
            command.add("-o");
        }
        command.add("-Dmaven.repo.local=" + Path.of(property("qapi4j.it.repo")).toAbsolutePath());
        command.add("-Dmaven.repo.local.tail=" + property("qapi4j.it.userRepo"));
        command.addAll(Arrays.asList(arguments));

        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.remove("MAVEN_ARGS");
        env.remove("MAVEN_OPTS");
        Process process = builder.start();
        // Read while it runs, or a full pipe stalls it.
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (InputStream in = process.getInputStream()) {
                output.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        reader.start();
        if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            reader.join();
            throw new IllegalStateException("mvn " + String.join(" ", arguments) + " still running after "
                    + TIMEOUT_MINUTES + " minutes:\n" + output);
        }
        reader.join();
        return new Result(process.exitValue(), output.toString());
    }

    /** Maven 3.9 or newer: the outer build's, else the project's wrapper (which brings 3.9.9). */
    static Path mavenExecutable() {
        String version = System.getProperty("qapi4j.it.mavenVersion", "");
        String home = System.getProperty("qapi4j.it.mavenHome", "");
        String[] parts = version.split("\\.");
        boolean tailSupported = parts.length >= 2 && isNumber(parts[0]) && isNumber(parts[1])
                && (Integer.parseInt(parts[0]) > 3 || (Integer.parseInt(parts[0]) == 3 && Integer.parseInt(parts[1]) >= 9));
        if (tailSupported && !home.isEmpty() && Files.isExecutable(Path.of(home, "bin", "mvn"))) {
            return Path.of(home, "bin", "mvn");
        }
        Path wrapper = Path.of(property("qapi4j.it.projectRoot"), "mvnw");
        if (!Files.isExecutable(wrapper)) {
            throw new IllegalStateException("need Maven 3.9+ for the scratch builds; outer Maven is " + version
                    + " and there is no executable " + wrapper);
        }
        return wrapper;
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isEmpty() || value.startsWith("${")) {
            throw new IllegalStateException("system property " + name
                    + " is not set: run this test through failsafe (build-tools/pom.xml sets it)");
        }
        return value;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Every regular file below {@code relativeDir} of the project, '/'-separated, sorted. */
    public List<String> files(String relativeDir) throws IOException {
        Path root = dir.resolve(relativeDir);
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .sorted(Comparator.naturalOrder())
                    .toList();
        }
    }
}

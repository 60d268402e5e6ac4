package org.qapi4j.qmp.client;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Real QEMU processes for the tests that compare with QEMU: each with its QMP monitors on Unix
 * sockets in a private temporary folder (nothing on the network), all killed when the lab
 * closes, the folder deleted. What a scenario reports is printed and kept.
 */
public final class QemuLab implements AutoCloseable {
    public static final String BINARY = "qemu-system-x86_64";

    private final Path qemu;
    private final Path dir;
    private final List<Process> processes = new ArrayList<>();
    private final List<String> report = new ArrayList<>();

    public QemuLab(Path qemu) throws IOException {
        this.qemu = qemu;
        this.dir = Files.createTempDirectory("qmp-lab");
    }

    /** The lab's private folder (keep paths short: Unix socket names have about 100 bytes). */
    public Path dir() {
        return dir;
    }

    /**
     * Starts {@code qemu-system-x86_64 ARGS -qmp unix:DIR/NAME.sock,server=on,wait=off} and
     * waits until the socket exists.
     *
     * @return the QMP socket
     */
    public Path start(String name, String... args) throws Exception {
        return start(name, List.of(), args).get(0);
    }

    /**
     * Starts QEMU with one QMP monitor per name ({@code name} first, then {@code moreMonitors}):
     * QEMU serves one client per socket. Waits until QEMU listens on every socket (QEMU
     * creates the file, then listens: a client that connects in between is refused).
     *
     * @return the QMP sockets, in that order
     */
    public List<Path> start(String name, List<String> moreMonitors, String... args) throws Exception {
        List<Path> sockets = new ArrayList<>();
        sockets.add(dir.resolve(name + ".sock"));
        for (String monitor : moreMonitors) {
            sockets.add(dir.resolve(monitor + ".sock"));
        }
        Path log = dir.resolve(name + ".log");
        List<String> command = new ArrayList<>();
        command.add(qemu.toString());
        command.addAll(List.of(args));
        for (Path socket : sockets) {
            command.add("-qmp");
            command.add("unix:" + socket + ",server=on,wait=off");
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(process);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!sockets.stream().allMatch(QemuLab::listening)) {
            if (!process.isAlive()) {
                throw new AssertionError("QEMU " + command + " exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("QEMU did not create its QMP socket in 30 s: " + command);
            }
            Thread.sleep(20);
        }
        return sockets;
    }

    /**
     * Whether a process listens on the Unix socket {@code socket}: Linux lists it in
     * {@code /proc/net/unix} with the accepting flag (no probe connection, which QEMU would
     * take for its one client). Elsewhere, whether the file exists.
     */
    private static boolean listening(Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        Path table = Path.of("/proc/net/unix");
        if (!Files.isReadable(table)) {
            return true;
        }
        try {
            String path = socket.toAbsolutePath().toString();
            for (String line : Files.readAllLines(table)) {
                String[] fields = line.trim().split("\\s+");
                // Num RefCount Protocol Flags Type St Inode Path; Flags 00010000 = accepting.
                if (fields.length >= 8 && fields[7].equals(path) && fields[3].equals("00010000")) {
                    return true;
                }
            }
            return false;
        } catch (java.io.IOException e) {
            return true;
        }
    }

    /** A connection builder for {@code socket} with the lab's timeouts. */
    public QmpConnection.Builder connect(Path socket) {
        return QmpConnection.builder().unix(socket).connectTimeout(Duration.ofSeconds(10))
                .commandTimeout(Duration.ofSeconds(30));
    }

    /** Keeps a line of the scenario's results (RealQemuClientTest writes them to a report). */
    public void report(String format, Object... args) {
        report.add(String.format(format, args));
    }

    public List<String> reported() {
        return List.copyOf(report);
    }

    @Override
    public void close() throws IOException {
        for (Process p : processes) {
            p.destroyForcibly();
        }
        try {
            for (Process p : processes) {
                p.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            // Still remove the lab's files; the caller sees the interrupt.
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** QEMU's binary on the {@code PATH}, or null when it is not installed. */
    public static Path binary() {
        return onPath(BINARY);
    }

    private static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (!d.isEmpty()) {
                Path candidate = Path.of(d, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }
}

package org.qapi4j.tests;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One real QEMU process with its QMP monitor on a Unix socket in a private temporary folder
 * (nothing on the network), killed when closed, the folder deleted.
 */
final class RealQemu implements AutoCloseable {
    static final String BINARY = "qemu-system-x86_64";

    private final Path binary;
    private final Path dir;
    private Process process;

    RealQemu(Path binary) throws IOException {
        this.binary = binary;
        this.dir = Files.createTempDirectory("qemu-");
    }

    /** QEMU's binary on the {@code PATH}, or null. */
    static Path binary() {
        String path = System.getenv("PATH");
        for (String entry : path == null ? new String[0] : path.split(File.pathSeparator)) {
            Path candidate = entry.isEmpty() ? null : Path.of(entry, BINARY);
            if (candidate != null && Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** The private folder, for the files QEMU is given (keep paths short: socket names are). */
    Path dir() {
        return dir;
    }

    /**
     * Starts {@code qemu-system-x86_64 ARGS -qmp unix:DIR/qmp.sock,server=on,wait=off} and waits
     * until QEMU listens there.
     *
     * @return the QMP socket
     */
    Path start(String... args) throws IOException, InterruptedException {
        Path socket = dir.resolve("qmp.sock");
        Path log = dir.resolve("qemu.log");
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("-qmp", "unix:" + socket + ",server=on,wait=off"));
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!listening(socket)) {
            if (!process.isAlive()) {
                throw new AssertionError("QEMU " + command + " exited with " + process.exitValue() + ":\n"
                        + Files.readString(log));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("QEMU did not listen on its QMP socket in 30 s: " + command);
            }
            Thread.sleep(20);
        }
        return socket;
    }

    /**
     * Whether a process listens on {@code socket}: Linux lists it in {@code /proc/net/unix} as
     * accepting, found without connecting (QEMU would take a probe for its one client).
     * Elsewhere, whether the file exists.
     */
    private static boolean listening(Path socket) throws IOException {
        Path table = Path.of("/proc/net/unix");
        if (!Files.exists(socket) || !Files.isReadable(table)) {
            return Files.exists(socket);
        }
        for (String line : Files.readAllLines(table)) {
            String[] fields = line.trim().split("\\s+");
            // Num RefCount Protocol Flags Type St Inode Path; Flags 00010000 = accepting.
            if (fields.length >= 8 && fields[7].equals(socket.toString()) && fields[3].equals("00010000")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                // Still remove the files; the caller sees the interrupt.
                Thread.currentThread().interrupt();
            }
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }
}

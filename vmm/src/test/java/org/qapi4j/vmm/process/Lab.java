package org.qapi4j.vmm.process;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Real processes for multi-process tests: {@code bin/vmm}'s main class in a JVM of its own, or
 * QEMU 7.2, each with a QMP monitor on a Unix socket in the lab's folder, or any command. Closing
 * the lab kills what is still running and deletes the folder.
 */
public final class Lab implements AutoCloseable {
    /** QEMU 7.2's binary, where the machine has it. */
    public static final Path QEMU = Path.of("/usr/bin/qemu-system-x86_64");

    private final Path dir;
    private final List<Process> processes = new ArrayList<>();

    public Lab() throws IOException {
        // Short paths: a Unix socket's name has about 100 bytes.
        this.dir = Files.createTempDirectory(Path.of("/tmp"), "vmm-lab");
    }

    public Path dir() {
        return dir;
    }

    /** Whether QEMU 7.2 is installed here. */
    public static boolean hasQemu() {
        return Files.isExecutable(QEMU);
    }

    /**
     * Skips the calling test where QEMU 7.2 is not installed, saying so on stdout and in the test
     * report: "SKIPPED: /usr/bin/qemu-system-x86_64 is not installed; {@code notDone}".
     */
    public static void assumeQemu(String notDone) {
        Assumptions.assumeTrue(hasQemu(), () -> {
            String message = "SKIPPED: " + QEMU + " is not installed; " + notDone;
            System.out.println(message);
            return message;
        });
    }

    /**
     * Starts our VMM, {@code org.qapi4j.vmm.Vmm ARGS -qmp unix:DIR/NAME.sock,server=on,wait=off},
     * with this test's classpath and a 64 MiB heap, and waits until it listens.
     */
    public Node vmm(String name, String... args) throws Exception {
        return startMonitored(name, vmmCommand(args));
    }

    private static List<String> vmmCommand(String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), "org.qapi4j.vmm.Vmm"));
        command.addAll(List.of(args));
        return command;
    }

    /** What a process that ran to its end printed, and its exit status. */
    public record Exited(int status, String stdout, String stderr) {}

    /**
     * Runs our VMM with {@code args} (and a QMP socket in the lab, {@code NAME.sock}) until it
     * exits by itself: for start-ups that must fail.
     */
    public Exited run(String name, String... args) throws Exception {
        List<String> command = vmmCommand(args);
        command.add("-qmp");
        command.add("unix:" + dir.resolve(name + ".sock") + ",server=on,wait=off");
        return exec(name, command, 30);
    }

    /**
     * Runs {@code command} as it is (see {@link #start}) until it exits by itself, and returns its
     * status and what it printed; fails if it still runs after {@code seconds}.
     */
    public Exited exec(String name, List<String> command, long seconds) throws Exception {
        Process process = start(name, command);
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(name + " " + command + " did not exit within " + seconds + " s");
        }
        return new Exited(process.exitValue(), Files.readString(dir.resolve(name + ".out")),
                Files.readString(dir.resolve(name + ".err")));
    }

    /**
     * Starts {@code command} as it is, no QMP monitor added: its input empty, its output in
     * {@code NAME.out} and its error output in {@code NAME.err} in the lab's folder.
     */
    public Process start(String name, List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(dir.resolve(name + ".out").toFile()).redirectError(dir.resolve(name + ".err").toFile())
                .start();
        processes.add(process);
        return process;
    }

    /** Starts QEMU 7.2 with {@code ARGS} and a QMP monitor, and waits until it listens. */
    public Node qemu(String name, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(QEMU.toString(), "-nodefaults", "-display", "none"));
        command.addAll(List.of(args));
        return startMonitored(name, command);
    }

    private Node startMonitored(String name, List<String> command) throws Exception {
        Path socket = dir.resolve(name + ".sock");
        Path log = dir.resolve(name + ".log");
        List<String> full = new ArrayList<>(command);
        full.add("-qmp");
        full.add("unix:" + socket + ",server=on,wait=off");
        Process process = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(process);
        Node node = new Node(name, process, socket, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!UnixSockets.listening(socket)) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " " + full + " exited with " + process.exitValue() + ":\n"
                        + Files.readString(log));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " did not listen on its QMP socket in 30 s: " + full);
            }
            Thread.sleep(10);
        }
        return node;
    }

    /** A process of the lab. */
    public record Node(String name, Process process, Path qmpSocket, Path log) {
        private static final Pattern NIC_LINE = Pattern.compile("NIC on ([0-9.]+):(\\d+)");

        /** A new QMP client of this node, negotiated. */
        public QmpLines qmp() throws IOException {
            return QmpLines.negotiated(qmpSocket);
        }

        /** What the process printed so far. */
        public String output() throws IOException {
            return Files.readString(log);
        }

        /** Where the guest's NIC listens, from the line the VMM prints once it serves. */
        public InetSocketAddress nic() throws IOException, InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                Matcher m = NIC_LINE.matcher(output());
                if (m.find()) {
                    return new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2)));
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(name + " printed no NIC address: " + output());
                }
                Thread.sleep(10);
            }
        }

        /** Waits for the process to exit and returns its status. */
        public int awaitExit(long seconds) throws InterruptedException {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                throw new AssertionError(name + " did not exit within " + seconds + " s");
            }
            return process.exitValue();
        }
    }

    @Override
    public void close() throws IOException {
        for (Process process : processes) {
            process.destroyForcibly();
        }
        try {
            for (Process process : processes) {
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}

package org.qapi4j.colo.demo;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One VMM as a real process: {@code LAUNCHER ARGS --nic 127.0.0.1:0 -nodefaults -qmp
 * unix:DIR/NAME.sock,server=on,wait=off}, its output in {@code DIR/NAME.out}. {@link #start}
 * returns once the VMM printed where its NIC listens.
 */
public final class VmmProcess implements AutoCloseable {
    private static final Pattern NIC_LINE = Pattern.compile("NIC on ([0-9.]+):(\\d+)");

    private final String name;
    private final Process process;
    private final Path qmpSocket;
    private final Path output;
    private final InetSocketAddress nic;

    private VmmProcess(String name, Process process, Path qmpSocket, Path output, InetSocketAddress nic) {
        this.name = name;
        this.process = process;
        this.qmpSocket = qmpSocket;
        this.output = output;
        this.nic = nic;
    }

    /**
     * {@code org.qapi4j.vmm.Vmm} in a JVM of its own with this JVM's class path (so with COLO, when
     * this class is on it), and {@code bin/vmm}'s heap and compiler options.
     */
    public static List<String> javaLauncher() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                "org.qapi4j.vmm.Vmm");
    }

    /** Starts a VMM in {@code dir} and waits (up to {@code timeoutMillis}) for its NIC line. */
    public static VmmProcess start(List<String> launcher, Path dir, String name, long timeoutMillis, String... args)
            throws IOException {
        Path socket = dir.resolve(name + ".sock");
        Path output = dir.resolve(name + ".out");
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(args));
        command.addAll(List.of("--nic", "127.0.0.1:0", "-nodefaults", "-qmp", "unix:" + socket + ",server=on,wait=off"));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(output.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            Matcher nicLine = NIC_LINE.matcher(Files.readString(output));
            if (nicLine.find()) {
                return new VmmProcess(name, process, socket, output,
                        new InetSocketAddress(nicLine.group(1), Integer.parseInt(nicLine.group(2))));
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IOException(name + " (" + String.join(" ", args) + ") "
                        + (process.isAlive() ? "printed no NIC line in time" : "exited") + ": " + Files.readString(output));
            }
            QmpClient.sleep(5);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public Path qmpSocket() {
        return qmpSocket;
    }

    public InetSocketAddress nic() {
        return nic;
    }

    /** What the VMM printed so far. */
    public String output() throws IOException {
        return Files.readString(output);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, and waits until the process is gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}

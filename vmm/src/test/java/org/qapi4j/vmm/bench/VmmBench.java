package org.qapi4j.vmm.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.qapi4j.vmm.process.KvClient;
import org.qapi4j.vmm.process.Lab;
import org.qapi4j.vmm.process.QmpLines;

/**
 * {@code bin/bench-vmm}: the VMM as whole processes of the real {@code bin/vmm} script (C1, its
 * class data sharing archive, a 64 MiB heap), with QEMU 7.2 and the loopback as references in the
 * same run:
 * <ol>
 *   <li>time from process start to the first QMP greeting, {@code bin/vmm -S} and {@code
 *       qemu-system-x86_64 -M none -S} interleaved, by a client that tries to connect every
 *       0.5 ms, reads the greeting, then negotiates and quits;
 *   <li>the kvstore guest of a 1 GiB machine through its NIC: C synchronous clients (PUT with a
 *       unique request id, then GET of that key, alternately) after a warm-up, rate and latency;
 *       then the same clients with 32 requests each in flight; and, as the floor, the same client
 *       against a line-echo server in this JVM (every line answered {@code OK});
 *   <li>that machine's memory: the process's RSS and the JVM heap, after start and after the load.
 * </ol>
 * Not a test: a main, run by {@code bin/bench-vmm} with the test classpath.
 */
public final class VmmBench {
    private static final Pattern NIC_LINE = Pattern.compile("NIC on ([0-9.]+):(\\d+)");
    private static final double WARM_UP_SECONDS = 3;
    private static final int IN_FLIGHT = 32;
    /** Keys per client: the store holds 4096, so the writes overwrite a small set. */
    private static final int KEYS_PER_CLIENT = 64;

    private VmmBench() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]).toAbsolutePath();
        int runs = Integer.parseInt(args[1]);
        int clients = Integer.parseInt(args[2]);
        double seconds = Double.parseDouble(args[3]);
        Path vmm = root.resolve("bin/vmm");
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "vmm-bench");
        try {
            greetings(vmm, dir, runs);
            System.out.println();
            kvstore(vmm, dir, clients, seconds);
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    // ---- 1. time to the first greeting ----

    private static void greetings(Path vmm, Path dir, int runs) throws Exception {
        Map<String, double[]> millis = new LinkedHashMap<>();
        millis.put("qapi4j bin/vmm -S", new double[runs]);
        boolean qemu = Lab.hasQemu();
        if (qemu) {
            millis.put("QEMU 7.2 -M none -S", new double[runs]);
        }
        // Unmeasured: builds the class data sharing archive if the jar is newer than it.
        firstGreetingMillis(vmmCommand(vmm, dir.resolve("warm.sock")), dir, "warm");
        for (int i = 0; i < runs; i++) {
            millis.get("qapi4j bin/vmm -S")[i] =
                    firstGreetingMillis(vmmCommand(vmm, dir.resolve("vmm" + i + ".sock")), dir, "vmm" + i);
            if (qemu) {
                Path socket = dir.resolve("qemu" + i + ".sock");
                millis.get("QEMU 7.2 -M none -S")[i] = firstGreetingMillis(List.of(Lab.QEMU.toString(),
                        "-M", "none", "-nodefaults", "-display", "none", "-S",
                        "-qmp", "unix:" + socket + ",server=on,wait=off"), dir, "qemu" + i);
            }
        }
        System.out.printf("== time to first QMP greeting, from process start (%d runs each, interleaved)%n", runs);
        System.out.printf("%-34s %10s %10s %10s%n", "", "median ms", "min ms", "max ms");
        for (Map.Entry<String, double[]> entry : millis.entrySet()) {
            double[] sorted = entry.getValue().clone();
            Arrays.sort(sorted);
            System.out.printf("%-34s %10.1f %10.1f %10.1f%n", entry.getKey(), median(sorted), sorted[0],
                    sorted[sorted.length - 1]);
        }
        if (!qemu) {
            System.out.println("(QEMU 7.2 not measured: " + Lab.QEMU + " is not installed)");
        }
    }

    private static List<String> vmmCommand(Path vmm, Path socket) {
        return List.of(vmm.toString(), "-S", "-qmp", "unix:" + socket + ",server=on,wait=off");
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /**
     * Starts {@code command} (whose last argument is {@code -qmp unix:SOCKET,...}), tries to
     * connect every 0.5 ms until the monitor accepts, reads the greeting: the milliseconds from
     * just before the start to the greeting's end. Then {@code qmp_capabilities} and {@code quit},
     * and waits for the process to end.
     */
    private static double firstGreetingMillis(List<String> command, Path dir, String name) throws Exception {
        String qmp = command.get(command.size() - 1);
        Path socket = Path.of(qmp.substring("unix:".length(), qmp.indexOf(',')));
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(socket);
        Path log = dir.resolve(name + ".log");
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            SocketChannel channel = null;
            long deadline = start + TimeUnit.SECONDS.toNanos(120); // bin/vmm may build first
            while (channel == null) {
                SocketChannel attempt = SocketChannel.open(StandardProtocolFamily.UNIX);
                try {
                    attempt.connect(address);
                    channel = attempt;
                } catch (IOException notYet) {
                    attempt.close();
                    if (!process.isAlive() || System.nanoTime() > deadline) {
                        throw new IOException(name + ": no QMP socket (" + command + "): " + Files.readString(log));
                    }
                    LockSupport.parkNanos(500_000);
                }
            }
            try (SocketChannel client = channel) {
                String greeting = readLine(client);
                long greeted = System.nanoTime();
                if (greeting == null || !greeting.startsWith("{\"QMP\"")) {
                    throw new IOException(name + ": not a greeting: " + greeting);
                }
                write(client, "{\"execute\": \"qmp_capabilities\"}");
                String reply = readLine(client);
                if (!"{\"return\": {}}".equals(reply)) {
                    throw new IOException(name + ": qmp_capabilities answered " + reply);
                }
                write(client, "{\"execute\": \"quit\"}");
                readLine(client);
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    throw new IOException(name + ": still running 30 s after quit");
                }
                return (greeted - start) / 1e6;
            }
        } finally {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void write(SocketChannel channel, String line) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /**
     * One line without its {@code \r\n} (QMP ends lines so), a byte at a time so that nothing
     * after it is consumed; null at the end of the stream.
     */
    private static String readLine(SocketChannel channel) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        while (true) {
            one.clear();
            int n;
            try {
                n = channel.read(one);
            } catch (IOException reset) {
                n = -1; // QEMU may reset the connection as it exits after quit
            }
            if (n < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            if (n == 1) {
                if (one.get(0) == '\n') {
                    return line.toString(StandardCharsets.UTF_8).stripTrailing();
                }
                line.write(one.get(0));
            }
        }
    }

    // ---- 2. and 3. kvstore through the NIC, memory ----

    private static void kvstore(Path vmm, Path dir, int clients, double seconds) throws Exception {
        Path socket = dir.resolve("kv.sock");
        Path log = dir.resolve("kv.log");
        Process process = new ProcessBuilder(vmm.toString(), "-m", "1G", "-qmp", "unix:" + socket + ",server=on,wait=off")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Load sync;
        Load pipelined;
        Load echoSync;
        Load echoPipelined;
        Memory started;
        Memory loaded;
        try {
            InetSocketAddress nic = nicAddress(process, log);
            long pid = process.pid(); // bin/vmm execs java: this is the VMM's JVM
            started = Memory.of(pid);
            sync = load(nic, clients, seconds, false, true, "s");
            pipelined = load(nic, clients, seconds, true, true, "p");
            loaded = Memory.of(pid);
            try (QmpLines qmp = QmpLines.negotiated(socket)) {
                qmp.call("{\"execute\": \"quit\"}");
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IOException("bin/vmm still running 30 s after quit");
            }
        } finally {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        // The floor, with the VMM gone so that both have the machine to themselves.
        try (LineEchoServer echo = LineEchoServer.start()) {
            echoSync = load(echo.address(), clients, seconds, false, false, "s");
            echoPipelined = load(echo.address(), clients, seconds, true, false, "p");
        }

        System.out.printf("== kvstore through the NIC: 1 GiB guest (bin/vmm -m 1G), %d clients, %s s each after %s s warm-up%n",
                clients, fmt(seconds), fmt(WARM_UP_SECONDS));
        System.out.printf("%-34s %10s %8s %8s %9s %14s%n", "", "sync op/s", "p50 µs", "p99 µs", "p99.9 µs",
                "pipelined op/s");
        System.out.println(row("qapi4j kvstore (PUT/GET)", sync, pipelined));
        System.out.println(row("floor: Java line echo, loopback", echoSync, echoPipelined));
        System.out.printf("(synchronous: one request in flight per client; pipelined: %d per client)%n", IN_FLIGHT);
        System.out.println();
        System.out.println("== memory of the 1 GiB guest's VMM process (MiB)");
        System.out.printf("%-34s %8s %8s %8s %10s %10s %10s%n", "", "VmRSS", "anon", "shmem", "heap used",
                "committed", "heap max");
        System.out.println(started.row("right after start"));
        System.out.println(loaded.row("after the load above"));
        System.out.println("(guest RAM is a sparse /dev/shm file mapped outside the heap: shmem is the pages it touched)");
    }

    private static String fmt(double seconds) {
        return seconds == Math.rint(seconds) ? String.valueOf((long) seconds) : String.valueOf(seconds);
    }

    private static String row(String name, Load sync, Load pipelined) {
        return String.format("%-34s %10.0f %8.1f %8.1f %9.1f %14.0f", name, sync.rate(),
                sync.latency().getValueAtPercentile(50) / 1e3, sync.latency().getValueAtPercentile(99) / 1e3,
                sync.latency().getValueAtPercentile(99.9) / 1e3, pipelined.rate());
    }

    private static InetSocketAddress nicAddress(Process process, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            String out = Files.readString(log);
            Matcher m = NIC_LINE.matcher(out);
            if (m.find()) {
                return new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2)));
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IOException("bin/vmm -m 1G did not print its NIC address: " + out);
            }
            Thread.sleep(5);
        }
    }

    /** What {@code clients} clients did in the measured seconds: operations per second and latencies (ns). */
    private record Load(double rate, Histogram latency) {}

    /** What one client did in the measured seconds: operations and their latencies (ns). */
    private record ClientLoad(long ops, Histogram latency) {}

    /**
     * {@code clients} clients, each on its own connection and thread, for {@link #WARM_UP_SECONDS}
     * unmeasured then {@code seconds} measured. Requests alternate {@code PUT <unique id> <key>
     * <value>} and {@code GET <key>} of the key just written; kvstore's answers are checked
     * ({@code OK <seq>}, {@code VALUE <seq> <value>}), the echo server's must only arrive.
     */
    private static Load load(InetSocketAddress address, int clients, double seconds, boolean pipelined,
            boolean kvstore, String tag) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(clients);
        try {
            long begin = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200); // all connected by then
            long measureFrom = begin + (long) (WARM_UP_SECONDS * 1e9);
            long measureTo = measureFrom + (long) (seconds * 1e9);
            List<Future<ClientLoad>> results = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                String id = tag + c;
                results.add(threads.submit(() -> {
                    try (KvClient client = new KvClient(address)) {
                        while (System.nanoTime() < begin) {
                            Thread.onSpinWait();
                        }
                        return pipelined
                                ? pipelined(client, id, kvstore, measureFrom, measureTo)
                                : synchronous(client, id, kvstore, measureFrom, measureTo);
                    }
                }));
            }
            Histogram latency = newHistogram();
            long ops = 0;
            for (Future<ClientLoad> result : results) {
                ClientLoad one = result.get();
                latency.add(one.latency());
                ops += one.ops();
            }
            return new Load(ops / seconds, latency);
        } finally {
            threads.shutdownNow();
        }
    }

    private static Histogram newHistogram() {
        return new Histogram(TimeUnit.SECONDS.toNanos(30), 3);
    }

    /** One request at a time: those sent in the window count, with their latencies. */
    private static ClientLoad synchronous(KvClient client, String id, boolean kvstore, long from, long to) throws IOException {
        Histogram latency = newHistogram();
        long measured = 0;
        for (long n = 0; ; n++) {
            long sent = System.nanoTime();
            if (sent >= to) {
                break;
            }
            String answer = client.call(request(id, n));
            long answered = System.nanoTime();
            check(answer, id, n, kvstore);
            if (sent >= from) {
                latency.recordValue(answered - sent);
                measured++;
            }
        }
        return new ClientLoad(measured, latency);
    }

    /** {@link #IN_FLIGHT} requests in flight: each answer sends the next; answers in the window count. */
    private static ClientLoad pipelined(KvClient client, String id, boolean kvstore, long from, long to) throws IOException {
        long sent = 0;
        long received = 0;
        long measured = 0;
        while (sent < IN_FLIGHT) {
            client.send(request(id, sent++));
        }
        while (received < sent) {
            String answer = client.answer();
            check(answer, id, received, kvstore);
            received++;
            long now = System.nanoTime();
            if (now >= from && now < to) {
                measured++;
            }
            if (now < to) {
                client.send(request(id, sent++));
            }
        }
        return new ClientLoad(measured, newHistogram());
    }

    /** Request {@code n} of client {@code id}: even ones write key {@code n/2 % 64}, odd ones read it back. */
    private static String request(String id, long n) {
        String key = id + "-k" + (n / 2 % KEYS_PER_CLIENT);
        return n % 2 == 0 ? "PUT " + id + "-" + n + " " + key + " " + value(n) : "GET " + key;
    }

    private static String value(long n) {
        return "value-" + (n - n % 2);
    }

    private static void check(String answer, String id, long n, boolean kvstore) throws IOException {
        boolean ok = answer != null && (!kvstore
                || (n % 2 == 0 ? answer.startsWith("OK ") : answer.startsWith("VALUE ") && answer.endsWith(" " + value(n))));
        if (!ok) {
            throw new IOException("client " + id + ", request " + n + " (" + request(id, n) + "): answered " + answer);
        }
    }

    /** A process's resident memory (kB, from /proc) and its JVM heap (kB, from jstat). */
    private record Memory(long rss, long anon, long shmem, long heapUsed, long heapCommitted, long heapMax) {
        static Memory of(long pid) throws Exception {
            Map<String, Long> status = new LinkedHashMap<>();
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                String[] f = line.split("\\s+");
                if (f.length >= 2 && (f[0].startsWith("Rss") || f[0].equals("VmRSS:"))) {
                    status.put(f[0].replace(":", ""), Long.parseLong(f[1]));
                }
            }
            Map<String, Double> gc = jstat("-gc", pid);
            Map<String, Double> capacity = jstat("-gccapacity", pid);
            double used = gc.get("S0U") + gc.get("S1U") + gc.get("EU") + gc.get("OU");
            double committed = gc.get("S0C") + gc.get("S1C") + gc.get("EC") + gc.get("OC");
            double max = capacity.get("NGCMX") + capacity.get("OGCMX");
            return new Memory(status.get("VmRSS"), status.getOrDefault("RssAnon", -1L),
                    status.getOrDefault("RssShmem", -1L), (long) used, (long) committed, (long) max);
        }

        /** {@code jstat OPTION PID}'s two lines as column name to value (kB for sizes). */
        private static Map<String, Double> jstat(String option, long pid) throws Exception {
            Path jstat = Path.of(System.getProperty("java.home"), "bin", "jstat");
            Process p = new ProcessBuilder(Files.isExecutable(jstat) ? jstat.toString() : "jstat", option,
                    String.valueOf(pid)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            String[] lines = out.strip().split("\n");
            if (p.exitValue() != 0 || lines.length < 2) {
                throw new IOException("jstat " + option + " " + pid + ": " + out);
            }
            String[] names = lines[lines.length - 2].trim().split("\\s+");
            String[] values = lines[lines.length - 1].trim().split("\\s+");
            Map<String, Double> columns = new LinkedHashMap<>();
            for (int i = 0; i < Math.min(names.length, values.length); i++) {
                try {
                    columns.put(names[i], Double.parseDouble(values[i]));
                } catch (NumberFormatException notANumber) {
                    // "-" for a column this collector does not have
                }
            }
            return columns;
        }

        String row(String name) {
            return String.format("%-34s %8.1f %8.1f %8.1f %10.1f %10.1f %10.1f", name, rss / 1024.0, anon / 1024.0,
                    shmem / 1024.0, heapUsed / 1024.0, heapCommitted / 1024.0, heapMax / 1024.0);
        }
    }
}

package org.qapi4j.tests.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.qmp.ErrorClass;
import org.qapi4j.qmp.dispatch.CommandContext;
import org.qapi4j.qmp.dispatch.CommandDispatcher;
import org.qapi4j.qmp.dispatch.CommandSpec;
import org.qapi4j.qmp.json.Json;
import org.qapi4j.qmp.server.QmpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code bin/bench-qmp}: our QMP server and QEMU 7.2 side by side, measured by the same client
 * ({@link QmpLoadClient}) on the same machine, over Unix and TCP sockets:
 * <ul>
 *   <li>synchronous {@code query-status} round trips: rate, p50 and p99 latency;
 *   <li>10,000 commands pipelined on one connection: rate;
 *   <li>4 concurrent clients, synchronous: total rate (QEMU needs a {@code -qmp} socket each);
 *   <li>the first client's greeting: from its connect to the whole greeting, on a server (or
 *       QEMU) that nobody has connected to yet.
 * </ul>
 * Goals (issue 4): at least 10x QEMU's synchronous rate, 50x its pipelined rate, p99 below
 * QEMU's p50.
 *
 * <p>Two more rows give the floor the machine sets: {@link BareSocketServer}, which answers
 * without doing any QMP work, waiting for input asleep and spinning. And every figure is taken
 * after a full unreported round of the same measurements, so that the JIT has compiled our
 * server's paths (the first pipelined burst otherwise runs interpreted).
 */
public final class QmpBench {
    private static final byte[] QUERY_STATUS = "{\"execute\":\"query-status\"}".getBytes(StandardCharsets.US_ASCII);
    private static final int CLIENTS = 4;

    private QmpBench() {}

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        int pipelined = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        Path dir = Files.createTempDirectory("qmp-bench");
        Map<String, List<String>> targets = new LinkedHashMap<>();
        long starting = System.nanoTime();
        QmpServer started = startOurs(dir);
        double startMillis = (System.nanoTime() - starting) / 1e6;
        try (QmpServer ours = started;
                BareSocketServer unixSleeping = BareSocketServer.unix(dir.resolve("bare-sleeping.sock"), false);
                BareSocketServer unixSpinning = BareSocketServer.unix(dir.resolve("bare-spinning.sock"), true);
                BareSocketServer tcpSleeping = BareSocketServer.tcp(false);
                BareSocketServer tcpSpinning = BareSocketServer.tcp(true)) {
            List<SocketAddress> addresses = ours.addresses();
            targets.put("qapi4j unix", List.of("unix:" + ((UnixDomainSocketAddress) addresses.get(0)).getPath()));
            targets.put("qapi4j tcp", List.of("tcp:127.0.0.1:" + ((InetSocketAddress) addresses.get(1)).getPort()));
            double ourFirst = QmpLoadClient.firstGreetingMillis(targets.get("qapi4j unix").get(0));
            Process qemu = startQemu(dir, targets);
            if (qemu != null) {
                double qemuFirst = QmpLoadClient.firstGreetingMillis(targets.get("QEMU 7.2 unix").get(0));
                System.out.printf("first greeting after connect: qapi4j %.2f ms (its start() took %.0f ms), QEMU 7.2 %.2f ms%n",
                        ourFirst, startMillis, qemuFirst);
            } else {
                System.out.printf("first greeting after connect: qapi4j %.2f ms (its start() took %.0f ms)%n", ourFirst, startMillis);
            }
            targets.put("bare unix/park", List.of(unixSleeping.address()));
            targets.put("bare unix/spin", List.of(unixSpinning.address()));
            targets.put("bare tcp/park", List.of(tcpSleeping.address()));
            targets.put("bare tcp/spin", List.of(tcpSpinning.address()));
            String only = System.getProperty("bench.only");
            if (only != null) {
                targets.keySet().removeIf(name -> !name.matches(only));
            }
            try {
                System.out.println("(warm-up round, not reported)");
                for (Map.Entry<String, List<String>> target : targets.entrySet()) {
                    measure(target.getValue(), seconds, pipelined);
                }
                System.out.printf("%-14s %12s %9s %9s %14s %14s%n",
                        "server", "sync req/s", "p50 µs", "p99 µs", "pipelined/s", CLIENTS + " clients/s");
                for (Map.Entry<String, List<String>> target : targets.entrySet()) {
                    System.out.println(measure(target.getValue(), seconds, pipelined).row(target.getKey()));
                }
            } finally {
                if (qemu != null) {
                    qemu.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static QmpServer startOurs(Path dir) throws IOException {
        return QmpServer.builder(new StatusOnly())
                .unix(dir.resolve("qapi4j.sock"))
                .tcp(new InetSocketAddress("127.0.0.1", 0))
                .start();
    }

    /** QEMU 7.2 with enough -qmp sockets for every measurement, or null when it is not installed. */
    private static Process startQemu(Path dir, Map<String, List<String>> targets) throws Exception {
        List<String> command = new ArrayList<>(List.of("qemu-system-x86_64", "-M", "none", "-nodefaults", "-display", "none"));
        List<String> unix = new ArrayList<>();
        List<String> tcp = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            Path socket = dir.resolve("qemu" + i + ".sock");
            command.addAll(List.of("-qmp", "unix:" + socket + ",server=on,wait=off"));
            unix.add("unix:" + socket);
            int port = freePort();
            command.addAll(List.of("-qmp", "tcp:127.0.0.1:" + port + ",server=on,wait=off"));
            tcp.add("tcp:127.0.0.1:" + port);
        }
        Process qemu;
        try {
            qemu = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("qemu.log").toFile()).start();
        } catch (IOException notInstalled) {
            System.out.println("(QEMU not measured: qemu-system-x86_64 is not installed)");
            return null;
        }
        for (int i = 0; i < 100 && !Files.exists(dir.resolve("qemu" + (CLIENTS - 1) + ".sock")); i++) {
            Thread.sleep(50);
        }
        targets.put("QEMU 7.2 unix", unix);
        targets.put("QEMU 7.2 tcp", tcp);
        return qemu;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** One server's figures. */
    private record Figures(double syncRate, long p50, long p99, double pipelinedRate, double concurrentRate) {
        String row(String name) {
            return String.format("%-14s %12.0f %9d %9d %14.0f %14.0f", name, syncRate, p50, p99, pipelinedRate, concurrentRate);
        }
    }

    private static Figures measure(List<String> addresses, double seconds, int pipelined) throws Exception {
        Histogram latencies;
        try (QmpLoadClient client = QmpLoadClient.connect(addresses.get(0))) {
            client.roundTrips(QUERY_STATUS, Math.min(1, seconds / 3)); // warm-up
            latencies = client.roundTrips(QUERY_STATUS, seconds);
        }
        double pipelinedRate;
        try (QmpLoadClient client = QmpLoadClient.connect(addresses.get(0))) {
            client.pipelined(QUERY_STATUS, Math.min(1000, pipelined)); // warm-up
            pipelinedRate = pipelined / client.pipelined(QUERY_STATUS, pipelined);
        }
        double concurrentRate = concurrent(addresses, seconds);
        return new Figures(latencies.getTotalCount() / seconds,
                latencies.getValueAtPercentile(50), latencies.getValueAtPercentile(99),
                pipelinedRate, concurrentRate);
    }

    /** {@link #CLIENTS} synchronous clients at once; each on its own socket where the server needs one. */
    private static double concurrent(List<String> addresses, double seconds) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<Long>> counts = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                String address = addresses.get(Math.min(i, addresses.size() - 1));
                counts.add(threads.submit(() -> {
                    try (QmpLoadClient client = QmpLoadClient.connect(address)) {
                        return client.roundTrips(QUERY_STATUS, seconds).getTotalCount();
                    }
                }));
            }
            long total = 0;
            for (Future<Long> count : counts) {
                total += count.get();
            }
            return total / seconds;
        } finally {
            threads.shutdownNow();
        }
    }

    /** A dispatcher with the one command the benchmark sends, answering what QEMU answers. */
    private static final class StatusOnly implements CommandDispatcher {
        private static final Map<String, CommandSpec> COMMANDS = Map.of(
                "query-status", new CommandSpec("query-status", false, true, true, false, false, false));

        @Override
        public Map<String, CommandSpec> commands() {
            return COMMANDS;
        }

        @Override
        public CompletionStage<JsonNode> dispatch(String name, ObjectNode arguments, CommandContext context) {
            if (!name.equals("query-status")) {
                throw new QmpException(ErrorClass.COMMAND_NOT_FOUND, "The command " + name + " has not been found");
            }
            ObjectNode status = Json.object();
            status.put("status", "prelaunch");
            status.put("singlestep", false);
            status.put("running", false);
            return CompletableFuture.completedStage(status);
        }
    }
}

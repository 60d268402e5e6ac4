package org.qapi4j.vmm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.qapi4j.vmm.cli.UsageException;
import org.qapi4j.vmm.cli.VmmOptions;
import org.qapi4j.vmm.machine.MachineConfigException;

/**
 * The part of {@link StartupTraining} that records what a failover runs: a kvstore client on
 * the NIC, and, when the COLO module is on the class path, a COLO pair that fails over with a
 * client on each side. Without it the archive holds none of these classes, and a secondary
 * taking over would load and verify them (the NIC's connection, the kvstore's request parsing,
 * COLO's exit path) while clients wait for their first answer: on a busy host that was the
 * larger part of the failover time. Best effort: whatever fails here only shortens the training.
 */
final class FailoverTraining {
    private final Path dir;

    FailoverTraining(Path dir) {
        this.dir = dir;
    }

    void run() throws IOException, MachineConfigException, UsageException, InterruptedException {
        Path secondaryQmp = dir.resolve("secondary.sock");
        Path primaryQmp = dir.resolve("primary.sock");
        Path migration = dir.resolve("colo-migration.sock");
        Vmm secondary = Vmm.start(VmmOptions.parse("-m", "16M", "-incoming", "unix:" + migration, "-qmp",
                "unix:" + secondaryQmp + ",server=on,wait=off"));
        Vmm primary = Vmm.start(VmmOptions.parse("-m", "16M", "-qmp", "unix:" + primaryQmp + ",server=on,wait=off"));
        try (Monitor s = new Monitor(secondaryQmp); Monitor p = new Monitor(primaryQmp)) {
            kvstore(primary);
            String caps = "{\"capabilities\": [{\"capability\": \"x-colo\", \"state\": true},"
                    + " {\"capability\": \"events\", \"state\": true}]}";
            if (!s.call("migrate-set-capabilities", caps).startsWith("{\"return\"")) {
                return; // no COLO module: the kvstore client above is all there is to train
            }
            p.call("migrate-set-capabilities", caps);
            p.call("migrate-set-parameters", "{\"x-checkpoint-delay\": 20}");
            p.call("migrate", "{\"uri\": \"unix:" + migration + "\"}");
            for (int i = 0; i < 500 && !(p.status().equals("colo") && s.status().equals("colo")); i++) {
                Thread.sleep(10);
            }
            kvstore(primary); // compared output, and checkpoints with dirty pages
            Thread.sleep(100);
            s.call("x-colo-lost-heartbeat", null);
            for (int i = 0; i < 500 && !s.status().equals("completed"); i++) {
                Thread.sleep(10);
            }
            kvstore(secondary); // the survivor's first clients
            p.call("x-colo-lost-heartbeat", null);
        } finally {
            primary.close();
            secondary.close();
            Files.deleteIfExists(primaryQmp);
            Files.deleteIfExists(secondaryQmp);
            Files.deleteIfExists(migration);
        }
    }

    /** A client's writes and reads through {@code vmm}'s NIC, as kvstore clients send them. */
    private static void kvstore(Vmm vmm) throws IOException {
        InetSocketAddress nic = vmm.vm().machine().nic().address();
        try (Socket socket = new Socket(nic.getAddress(), nic.getPort())) {
            socket.setSoTimeout(5000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            for (int i = 0; i < 20; i++) {
                out.write(("PUT training-" + System.nanoTime() + " key" + i + " value" + i + "\nGET key" + i + "\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                in.readLine();
                in.readLine();
            }
        }
    }

    /** A QMP client on a Unix socket, negotiated; answers only, events skipped. */
    private static final class Monitor implements AutoCloseable {
        private final SocketChannel channel;
        private final BufferedReader in;
        private final OutputStream out;

        Monitor(Path socket) throws IOException {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
            in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
            out = Channels.newOutputStream(channel);
            in.readLine();
            call("qmp_capabilities", null);
        }

        String call(String command, String arguments) throws IOException {
            String request = "{\"execute\": \"" + command + "\""
                    + (arguments == null ? "" : ", \"arguments\": " + arguments) + "}\n";
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            while (true) {
                String line = in.readLine();
                if (line == null || line.startsWith("{\"return\"") || line.startsWith("{\"error\"")) {
                    return String.valueOf(line);
                }
            }
        }

        String status() throws IOException {
            String answer = call("query-migrate", null);
            int at = answer.indexOf("\"status\": \"");
            return at < 0 ? "none" : answer.substring(at + 11, answer.indexOf('"', at + 11));
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}

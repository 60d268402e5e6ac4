package org.qapi4j.vmm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.qapi4j.vmm.cli.UsageException;
import org.qapi4j.vmm.cli.VmmCommandLine;
import org.qapi4j.vmm.cli.VmmOptions;
import org.qapi4j.vmm.machine.MachineConfigException;

/**
 * The training run behind {@code bin/vmm}'s class data sharing archive: a VMM started as {@code
 * bin/vmm} starts one, a QMP client that negotiates, runs the guest briefly and migrates it to a
 * second VMM in the same process, then {@code quit}; then a COLO failover ({@link
 * FailoverTraining}). Run under {@code -XX:ArchiveClassesAtExit},
 * it records the classes a start-up and a migration load, so that later starts map them in
 * instead of loading and verifying them (about half of the time to the first greeting, and
 * several milliseconds of a migration's downtime, when the switch-over would otherwise load
 * its classes while the guest stands still).
 */
public final class StartupTraining {
    private StartupTraining() {}

    /** Sends {@code request} and returns its answer, skipping events. */
    private static String call(BufferedReader in, OutputStream out, String request) throws IOException {
        out.write((request + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        while (true) {
            String line = in.readLine();
            if (line == null || line.startsWith("{\"return\"") || line.startsWith("{\"error\"")) {
                return String.valueOf(line);
            }
        }
    }

    public static void main(String[] args) throws IOException, MachineConfigException, UsageException {
        Path dir = Files.createTempDirectory("vmm-training");
        Path socket = dir.resolve("qmp.sock");
        Path migration = dir.resolve("migration.sock");
        // The first VMM starts as Vmm.main starts one (the prefetch, the command line as main
        // reads it, the signal handlers, the line it prints), so that what main alone loads is archived too:
        // a class missing from the archive costs a search through every jar on the class path.
        StartupPrefetch prefetch = StartupPrefetch.start();
        VmmCommandLine.Invocation invocation = VmmCommandLine.invoke(
                new String[] {"-S", "-m", "16M", "-qmp", "unix:" + socket + ",server=on,wait=off"},
                System.out, System.err);
        if (invocation instanceof VmmCommandLine.Invocation.Exit exit) {
            throw new IllegalStateException("the training command line was refused: exit status " + exit.status());
        }
        prefetch.takeSignals(number -> System.exit(0));
        Vmm vmm = Vmm.start(((VmmCommandLine.Invocation.Run) invocation).options(), prefetch::colo);
        vmm.describe(new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8));
        Vmm destination = Vmm.start(VmmOptions.parse("-m", "16M", "-nodefaults", "-incoming", "unix:" + migration));
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel),
                    StandardCharsets.UTF_8));
            OutputStream out = Channels.newOutputStream(channel);
            in.readLine();
            for (String request : new String[] {"qmp_capabilities", "query-status", "cont", "stop", "cont"}) {
                call(in, out, "{\"execute\": \"" + request + "\"}");
            }
            call(in, out, "{\"execute\": \"migrate\", \"arguments\": {\"uri\": \"unix:" + migration + "\"}}");
            for (int i = 0; i < 500 && !call(in, out, "{\"execute\": \"query-migrate\"}").contains("completed"); i++) {
                Thread.sleep(10);
            }
            call(in, out, "{\"execute\": \"quit\"}");
        } catch (IOException | RuntimeException e) {
            // A partial training run still records what it loaded.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            vmm.awaitExit();
            vmm.close();
            destination.close();
            try {
                new FailoverTraining(dir).run();
            } catch (IOException | MachineConfigException | UsageException | RuntimeException e) {
                // As above: what ran is recorded.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Files.deleteIfExists(migration);
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
    }
}

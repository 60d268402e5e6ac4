package org.qapi4j.vmm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
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
 * The training run behind {@code bin/vmm}'s class data sharing archive: a VMM started as {@code
 * bin/vmm} starts one, a QMP client that negotiates and runs the guest briefly, then {@code
 * quit}. Run under {@code -XX:ArchiveClassesAtExit}, it records the classes a start-up loads, so
 * that later starts map them in instead of loading and verifying them (about half of the time
 * to the first greeting).
 */
public final class StartupTraining {
    private StartupTraining() {}

    public static void main(String[] args) throws IOException, MachineConfigException, UsageException {
        Path dir = Files.createTempDirectory("vmm-training");
        Path socket = dir.resolve("qmp.sock");
        Vmm vmm = Vmm.start(VmmOptions.parse("-S", "-qmp", "unix:" + socket + ",server=on,wait=off"));
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel),
                    StandardCharsets.UTF_8));
            OutputStream out = Channels.newOutputStream(channel);
            in.readLine();
            for (String request : new String[] {"qmp_capabilities", "query-status", "cont", "stop", "quit"}) {
                out.write(("{\"execute\": \"" + request + "\"}\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                while (true) {
                    String line = in.readLine();
                    if (line == null || line.startsWith("{\"return\"") || line.startsWith("{\"error\"")) {
                        break;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // A partial training run still records what it loaded.
        } finally {
            vmm.awaitExit();
            vmm.close();
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
    }
}

package org.qapi4j.colo.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.qapi4j.vmm.machine.Machine;
import org.qapi4j.vmm.machine.MachineConfig;
import org.qapi4j.vmm.machine.device.DiskImage;

/**
 * The kvstore guest on a primary whose disk is replicated: after a barrier and a checkpoint the
 * secondary's image is the primary's, and after the primary dies and the secondary fails over,
 * a machine booted from the secondary's image serves what the primary stored up to that
 * checkpoint, and nothing after it.
 */
@Timeout(60)
class KvstoreReplicationTest {
    private static final long DISK = 4L << 20;

    @TempDir
    Path dir;

    private MachineConfig config(Path image, String name) {
        return new MachineConfig(8L << 20, "kvstore", Map.of(), "127.0.0.1", 0, image, DISK,
                dir.resolve(name + "-serial.log"));
    }

    private static String call(InetSocketAddress nic, String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(nic, 5000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write((request + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
    }

    @Test
    void theSecondaryHoldsThePrimarysStoreAndServesItAfterFailover() throws Exception {
        Path primaryFile = dir.resolve("primary.img");
        Path secondaryFile = dir.resolve("secondary.img");
        DiskImage.openOrCreate(primaryFile, DISK).close();
        Files.copy(primaryFile, secondaryFile); // both sides start from the same image

        List<IOException> primaryLosses = new CopyOnWriteArrayList<>();
        CompletableFuture<IOException> secondaryEnd = new CompletableFuture<>();
        try (SecondaryDisk secondary = SecondaryDisk.open(DiskImage.openOrCreate(secondaryFile, DISK), dir.resolve("buffers"));
                DiskReplicationServer server = DiskReplicationServer.listen(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), secondary, secondaryEnd::complete)) {
            PrimaryDisk[] primaryDisk = new PrimaryDisk[1];
            try (Machine primary = Machine.create(config(primaryFile, "primary"), image -> {
                try {
                    return primaryDisk[0] = new PrimaryDisk(image,
                            DiskReplicationClient.connect(server.localAddress(), image.dataBytes(),
                                    DiskReplicationClient.DEFAULT_TIMEOUT),
                            primaryLosses::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            })) {
                primary.resume();
                assertThat(call(primary.nicAddress(), "PUT r1 colour blue")).isEqualTo("OK 1");
                assertThat(call(primary.nicAddress(), "PUT r2 shape round")).isEqualTo("OK 2");
                assertThat(call(primary.nicAddress(), "PUT r3 colour green")).isEqualTo("OK 3");
                primary.pause();
                // COLO's checkpoint: the disk barrier, then (the device state, then) the secondary's checkpoint.
                primaryDisk[0].barrier();
                secondary.checkpoint();
                primaryDisk[0].flush();
                secondary.flush();
                assertThat(server.appliedWrites()).isPositive();
                assertThat(Files.mismatch(primaryFile, secondaryFile)).as("the images differ at").isEqualTo(-1L);
                primary.resume();
                assertThat(call(primary.nicAddress(), "PUT r4 size small")).isEqualTo("OK 4");
            } // the primary dies
            assertThat(secondaryEnd.get(10, TimeUnit.SECONDS)).hasMessageContaining("closed");
            assertThat(secondary.hiddenSectors()).as("r4 reached base, what it replaced is in hidden").isPositive();
            secondary.failover();
        }
        assertThat(primaryLosses).isEmpty();
        try (Machine survivor = Machine.create(config(secondaryFile, "secondary"))) {
            survivor.resume();
            assertThat(call(survivor.nicAddress(), "GET colour")).isEqualTo("VALUE 3 green");
            assertThat(call(survivor.nicAddress(), "GET shape")).isEqualTo("VALUE 2 round");
            // r4 came after the last checkpoint: the secondary resumes from the checkpoint, as COLO does
            // (the client's answer to r4 was held back until a checkpoint that never came).
            assertThat(call(survivor.nicAddress(), "GET size")).isEqualTo("NONE");
        }
    }
}

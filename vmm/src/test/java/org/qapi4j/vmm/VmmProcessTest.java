package org.qapi4j.vmm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qapi4j.vmm.process.KvStoreTraffic;
import org.qapi4j.vmm.process.KvClient;
import org.qapi4j.vmm.process.Lab;
import org.qapi4j.vmm.process.QmpLines;

/**
 * {@code bin/vmm}'s main class as a real process, its QMP monitor and its kvstore guest over real
 * sockets: many clients, {@code stop} and {@code cont}, {@code system_reset}, the power button,
 * {@code quit} and {@code pmemsave}, each as QEMU 7.2 does them (events and exit statuses).
 */
@Timeout(120)
class VmmProcessTest {

    @Test
    void manyClientsLoseNothingAcrossStopAndCont() throws Exception {
        try (Lab lab = new Lab()) {
            Lab.Node node = lab.vmm("vmm", "-m", "64");
            InetSocketAddress nic = node.nic();
            try (QmpLines qmp = node.qmp()) {
                ExecutorService pool = Executors.newFixedThreadPool(8);
                try {
                    List<Future<List<String>>> clients = new ArrayList<>();
                    for (int c = 0; c < 8; c++) {
                        clients.add(pool.submit(new KvStoreTraffic(nic, "c" + c, 300)));
                    }
                    // Freeze the guest while the clients write, then let it go on.
                    Thread.sleep(100);
                    assertThat(qmp.call("{\"execute\": \"stop\"}")).isEqualTo("{\"return\": {}}");
                    assertThat(qmp.takeEvents()).containsExactly(event("STOP"));
                    try (KvClient frozen = new KvClient(nic)) {
                        frozen.timeout(300);
                        frozen.send("PUT frozen-1 frozen yes");
                        assertThat(noAnswer(frozen)).as("a stopped guest answers nothing").isTrue();
                        assertThat(qmp.call("{\"execute\": \"cont\"}")).isEqualTo("{\"return\": {}}");
                        assertThat(qmp.takeEvents()).containsExactly(event("RESUME"));
                        frozen.timeout(10_000);
                        assertThat(frozen.answer()).as("the request sent while stopped").startsWith("OK ");
                    }
                    for (Future<List<String>> client : clients) {
                        assertThat(client.get()).as("every write acknowledged and read back").isEmpty();
                    }
                } finally {
                    pool.shutdownNow();
                }
            }
        }
    }

    @Test
    void resetRebootsTheGuestFromItsDiskAndQuitEndsTheProcess() throws Exception {
        try (Lab lab = new Lab()) {
            Path disk = lab.dir().resolve("guest.img");
            Lab.Node node = lab.vmm("vmm", "-m", "32", "--disk", disk + ",size=8M");
            InetSocketAddress nic = node.nic();
            try (KvClient client = new KvClient(nic)) {
                assertThat(client.call("PUT w1 answer 42")).isEqualTo("OK 1");
            }
            try (QmpLines qmp = node.qmp()) {
                assertThat(qmp.call("{\"execute\": \"system_reset\"}")).isEqualTo("{\"return\": {}}");
                assertThat(qmp.takeEvents()).containsExactly(
                        event("RESET", "{\"guest\": false, \"reason\": \"host-qmp-system-reset\"}"));
                assertThat(qmp.call("{\"execute\": \"query-status\"}"))
                        .isEqualTo("{\"return\": {\"status\": \"running\", \"singlestep\": false, \"running\": true}}");
                try (KvClient client = new KvClient(nic)) {
                    assertThat(client.call("GET answer")).as("written before the reset").isEqualTo("VALUE 1 42");
                }
                assertThat(qmp.call("{\"execute\": \"quit\"}")).isEqualTo("{\"return\": {}}");
                assertThat(qmp.takeEvents()).containsExactly(
                        event("SHUTDOWN", "{\"guest\": false, \"reason\": \"host-qmp-quit\"}"));
                assertThat(qmp.nextReply()).as("the monitor closes").isNull();
            }
            assertThat(node.awaitExit(30)).isZero();
        }
    }

    @Test
    void thePowerButtonShutsTheGuestDownAndTheProcessEnds() throws Exception {
        try (Lab lab = new Lab()) {
            Lab.Node node = lab.vmm("vmm");
            try (QmpLines qmp = node.qmp()) {
                assertThat(qmp.call("{\"execute\": \"system_powerdown\"}")).isEqualTo("{\"return\": {}}");
                assertThat(qmp.awaitEvents(2)).containsExactly(event("POWERDOWN"),
                        event("SHUTDOWN", "{\"guest\": true, \"reason\": \"guest-shutdown\"}"));
            }
            assertThat(node.awaitExit(30)).as("QEMU exits 0 when its guest powers off").isZero();
        }
    }

    @Test
    void withNoShutdownThePoweredOffGuestStaysInStateShutdown() throws Exception {
        try (Lab lab = new Lab()) {
            Lab.Node node = lab.vmm("vmm", "-no-shutdown");
            try (QmpLines qmp = node.qmp()) {
                qmp.call("{\"execute\": \"system_powerdown\"}");
                assertThat(qmp.awaitEvents(3)).containsExactly(event("POWERDOWN"),
                        event("SHUTDOWN", "{\"guest\": true, \"reason\": \"guest-shutdown\"}"), event("STOP"));
                assertThat(qmp.call("{\"execute\": \"query-status\"}")).isEqualTo(
                        "{\"return\": {\"status\": \"shutdown\", \"singlestep\": false, \"running\": false}}");
                assertThat(qmp.call("{\"execute\": \"cont\"}")).isEqualTo(
                        "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Resetting the Virtual Machine is required\"}}");
            }
        }
    }

    @Test
    void sigtermShutsDownAsQemuDoes() throws Exception {
        try (Lab lab = new Lab()) {
            Lab.Node node = lab.vmm("vmm", "-no-shutdown");
            try (QmpLines qmp = node.qmp()) {
                node.process().destroy();
                assertThat(qmp.awaitEvents(1)).containsExactly(
                        event("SHUTDOWN", "{\"guest\": false, \"reason\": \"host-signal\"}"));
                assertThat(qmp.nextReply()).as("the monitor closes").isNull();
            }
            assertThat(node.awaitExit(30)).as("QEMU exits 0 on SIGTERM, even under -no-shutdown").isZero();
            assertThat(node.output()).contains("vmm: terminating on signal 15");
        }
    }

    @Test
    void memPreallocAllocatesAllOfGuestRamBeforeQmpIsServed() throws Exception {
        try (Lab lab = new Lab()) {
            Lab.Node lazy = lab.vmm("lazy", "-m", "64");
            Lab.Node eager = lab.vmm("eager", "-m", "64", "-mem-prealloc");
            // Guest RAM is shared memory (a /dev/shm mapping): RssShmem counts its allocated pages.
            assertThat(rssShmemKib(lazy)).as("without -mem-prealloc").isLessThan(32 << 10);
            assertThat(rssShmemKib(eager)).as("with -mem-prealloc").isGreaterThanOrEqualTo(64 << 10);
            try (KvClient client = new KvClient(eager.nic())) {
                assertThat(client.call("PUT p1 k v")).startsWith("OK ");
                assertThat(client.call("GET k")).isEqualTo("VALUE 1 v");
            }
        }
    }

    private static long rssShmemKib(Lab.Node node) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(node.process().pid()), "status"))) {
            if (line.startsWith("RssShmem:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new AssertionError("no RssShmem in /proc/" + node.process().pid() + "/status");
    }

    @Test
    void pmemsaveWritesWhatTheGuestHasInRam() throws Exception {
        try (Lab lab = new Lab()) {
            Lab.Node node = lab.vmm("vmm", "-m", "16");
            try (KvClient client = new KvClient(node.nic())) {
                assertThat(client.call("PUT p1 needle haystack-7d3f9c")).startsWith("OK ");
            }
            Path dump = lab.dir().resolve("ram.bin");
            try (QmpLines qmp = node.qmp()) {
                qmp.call("{\"execute\": \"stop\"}");
                String request = "{\"execute\": \"pmemsave\", \"arguments\": {\"val\": 0, \"size\": %d, \"filename\": \"%s\"}}";
                assertThat(qmp.call(request.formatted(16L << 20, dump))).isEqualTo("{\"return\": {}}");
            }
            byte[] ram = Files.readAllBytes(dump);
            assertThat(ram).hasSize(16 << 20);
            assertThat(new String(ram, StandardCharsets.ISO_8859_1)).contains("haystack-7d3f9c");
        }
    }

    @Test
    void badStartsAreOneLineAndLeaveNothingBehind() throws Exception {
        try (Lab lab = new Lab()) {
            Path notOurs = lab.dir().resolve("not-ours.img");
            Files.writeString(notOurs, "this is not a qapi4j disk image\n".repeat(100));
            String[][] cases = {
                {"-m", "abc"},
                {"--guest", "nosuch"},
                {"--disk", notOurs.toString()},
                {"-frobnicate"},
                {"--nic", "256.1.1.1:80"},
            };
            for (String[] args : cases) {
                Lab.Exited exited = lab.run("vmm", args);
                assertThat(exited.status()).as("exit status of %s", List.of(args)).isEqualTo(1);
                assertThat(exited.stderr().lines().toList()).as("stderr of %s", List.of(args)).hasSize(1)
                        .allSatisfy(line -> assertThat(line).startsWith("vmm: "));
                assertThat(exited.stdout()).isEmpty();
                assertThat(lab.dir().resolve("vmm.sock")).as("no QMP socket").doesNotExist();
            }
        }
    }

    @Test
    void garbageOnTheNicIsAnsweredAndTheGuestServesOn() throws Exception {
        try (Lab lab = new Lab()) {
            Lab.Node node = lab.vmm("vmm");
            try (KvClient client = new KvClient(node.nic())) {
                client.send("\u0000\u0001\u00ff garbage");
                assertThat(client.answer()).startsWith("ERR ");
                client.send("x".repeat(5000));
                assertThat(client.answer()).startsWith("ERR ");
            }
            try (KvClient client = new KvClient(node.nic())) {
                assertThat(client.call("PING")).isEqualTo("PONG");
            }
        }
    }

    private static boolean noAnswer(KvClient client) throws IOException {
        try {
            client.answer();
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        }
    }

    private static String event(String name) {
        return "{" + QmpLines.TIMESTAMP + ", \"event\": \"" + name + "\"}";
    }

    private static String event(String name, String data) {
        return "{" + QmpLines.TIMESTAMP + ", \"event\": \"" + name + "\", \"data\": " + data + "}";
    }
}

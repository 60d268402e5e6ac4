package org.qapi4j.vmm.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.qapi4j.vmm.machine.TestMachines.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qapi4j.vmm.machine.device.Nic;
import org.qapi4j.vmm.process.KvClient;

/** The kvstore guest, driven the way its users drive it: over TCP, through the NIC. */
class KvstoreMachineTest {
    @TempDir
    Path dir;

    private Machine machine;

    @BeforeEach
    void start() throws Exception {
        machine = Machine.create(TestMachines.kvstore(dir));
        machine.resume();
    }

    @AfterEach
    void stop() {
        machine.close();
    }

    private KvClient client() throws IOException {
        return new KvClient(machine.nicAddress());
    }

    @Test
    void putsAreAcknowledgedWithSequenceNumbersAndReadBack() throws Exception {
        try (KvClient client = client()) {
            assertThat(client.call("PUT r1 colour blue")).isEqualTo("OK 1");
            assertThat(client.call("PUT r2 shape round and smooth")).isEqualTo("OK 2");
            assertThat(client.call("GET colour")).isEqualTo("VALUE 1 blue");
            assertThat(client.call("GET shape")).isEqualTo("VALUE 2 round and smooth");
            assertThat(client.call("GET size")).isEqualTo("NONE");
            assertThat(client.call("PUT r3 colour green")).isEqualTo("OK 3");
            assertThat(client.call("GET colour")).isEqualTo("VALUE 3 green");
            assertThat(client.call("PUT r4 empty ")).isEqualTo("OK 4");
            assertThat(client.call("GET empty")).isEqualTo("VALUE 4 ");
            assertThat(client.call("PING")).isEqualTo("PONG");
            assertThat(client.call("STATS")).isEqualTo("STATS keys=3 capacity=4096 seq=4 connections=1");
        }
    }

    @Test
    void aRetriedPutAnswersItsFirstSequenceNumberAndWritesNothing() throws Exception {
        try (KvClient first = client()) {
            assertThat(first.call("PUT client7-1 k v1")).isEqualTo("OK 1");
            assertThat(first.call("PUT client7-2 k v2")).isEqualTo("OK 2");
            assertThat(first.call("PUT client7-1 k v1")).isEqualTo("OK 1");
            assertThat(first.call("GET k")).as("the retry did not write v1 again").isEqualTo("VALUE 2 v2");
            assertThat(first.call("PUT client7-1 k other")).isEqualTo("ERR request id already used for a different write");
            assertThat(first.call("PUT client7-1 k2 v1")).isEqualTo("ERR request id already used for a different write");
        }
        try (KvClient reconnected = client()) {
            assertThat(reconnected.call("PUT client7-2 k v2")).isEqualTo("OK 2");
            assertThat(reconnected.call("STATS")).startsWith("STATS keys=1 capacity=4096 seq=2 ");
        }
    }

    @Test
    void requestIdsAreRememberedForTheLast1024Writes() throws Exception {
        try (KvClient client = client()) {
            assertThat(client.call("PUT old k0 v0")).isEqualTo("OK 1");
            for (int i = 1; i <= 1023; i++) {
                client.send("PUT id" + i + " k" + i + " v");
            }
            for (int i = 1; i <= 1023; i++) {
                assertThat(client.answer()).isEqualTo("OK " + (i + 1));
            }
            assertThat(client.call("PUT old k0 v0")).as("1023 writes later: still known").isEqualTo("OK 1");
            assertThat(client.call("PUT id1024 k1024 v")).isEqualTo("OK 1025");
            assertThat(client.call("PUT old k0 v0")).as("1024 writes later: forgotten, a new write").isEqualTo("OK 1026");
        }
    }

    @Test
    void garbageIsAnsweredWithErrAndServingGoesOn() throws Exception {
        try (KvClient client = client()) {
            assertThat(client.call("PUT keep k v")).isEqualTo("OK 1");
            String[][] cases = {
                {"", "ERR empty line"},
                {"put a b c", "ERR unknown command"},
                {"FROB", "ERR unknown command"},
                {"PUT", "ERR usage: PUT <request-id> <key> <value>"},
                {"PUT a b", "ERR usage: PUT <request-id> <key> <value>"},
                {"PUT  k v", "ERR empty request id"},
                {"PUT a  v", "ERR empty key"},
                {"GET", "ERR usage: GET <key>"},
                {"GET a b", "ERR usage: GET <key>"},
                {"GET ", "ERR empty key"},
                {"TIME now", "ERR usage: TIME"},
                {"PUT " + "i".repeat(33) + " k v", "ERR request id longer than 32 bytes"},
                {"PUT i " + "k".repeat(65) + " v", "ERR key longer than 64 bytes"},
                {"PUT i k " + "v".repeat(257), "ERR value longer than 256 bytes"},
                {"PUT i k\tx v", "ERR control character in key"},
                {"GET k\u0000", "ERR control character in key"},
            };
            for (String[] c : cases) {
                assertThat(client.call(c[0])).as(c[0]).isEqualTo(c[1]);
            }
            Random random = new Random(2024);
            for (int i = 0; i < 300; i++) {
                byte[] line = new byte[1 + random.nextInt(200)];
                random.nextBytes(line);
                line[0] = (byte) 0x80; // never a command word
                for (int j = 0; j < line.length; j++) {
                    if (line[j] == '\n') {
                        line[j] = 'x';
                    }
                }
                client.sendBytes(line);
                client.sendBytes(new byte[] {'\n'});
                assertThat(client.answer()).startsWith("ERR ");
            }
            assertThat(client.call("GET k")).isEqualTo("VALUE 1 v");
            assertThat(client.call("PUT i k " + "v".repeat(256))).isEqualTo("OK 2");
        }
    }

    @Test
    void anOverlongLineIsAnsweredAndLoggedAndTheConnectionGoesOn() throws Exception {
        try (KvClient client = client()) {
            client.sendBytes(("PUT r k " + "x".repeat(5000) + "\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(client.answer()).isEqualTo("ERR line too long");
            assertThat(client.call("PUT r k short")).isEqualTo("OK 1");
            String exactlyMax = "PUT r2 k " + "y".repeat(Nic.MAX_LINE - "PUT r2 k ".length());
            assertThat(exactlyMax).hasSize(Nic.MAX_LINE);
            assertThat(client.call(exactlyMax)).isEqualTo("ERR value longer than 256 bytes"); // reached the guest whole
        }
        assertThat(TestMachines.serialLines(dir)).anyMatch(line -> line.matches("kvstore: connection \\d+ sent a line over 1024 bytes; dropped it"));
    }

    @Test
    void manyClientsAtOnceAllGetTheirAnswers() throws Exception {
        int clients = 32;
        int writes = 40;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int id = c;
                results.add(pool.submit(() -> {
                    List<Long> seqs = new ArrayList<>();
                    try (KvClient client = client()) {
                        for (int w = 0; w < writes; w++) {
                            String answer = client.call("PUT c" + id + "-" + w + " key-" + id + "-" + w + " value " + w);
                            assertThat(answer).startsWith("OK ");
                            seqs.add(Long.parseLong(answer.substring(3)));
                            assertThat(client.call("GET key-" + id + "-" + w)).isEqualTo("VALUE " + answer.substring(3) + " value " + w);
                        }
                    }
                    return seqs;
                }));
            }
            Set<Long> all = new HashSet<>();
            for (Future<List<Long>> result : results) {
                all.addAll(result.get(60, TimeUnit.SECONDS));
            }
            assertThat(all).as("every write its own sequence number").hasSize(clients * writes);
            assertThat(all).allMatch(seq -> seq >= 1 && seq <= clients * writes);
        } finally {
            pool.shutdownNow();
        }
        try (KvClient client = client()) {
            assertThat(client.call("STATS")).isEqualTo("STATS keys=1280 capacity=4096 seq=1280 connections=1");
        }
    }

    @Test
    void timeFollowsTheGuestClockAndRandComesFromTheHost() throws Exception {
        try (KvClient client = client()) {
            long first = Long.parseLong(client.call("TIME").substring(5));
            Thread.sleep(50);
            long second = Long.parseLong(client.call("TIME").substring(5));
            assertThat(second - first).isGreaterThanOrEqualTo(50_000_000L);
            assertThat(second).isLessThanOrEqualTo(machine.guestClockNanos());
            String rand1 = client.call("RAND");
            String rand2 = client.call("RAND");
            assertThat(rand1).matches("RAND [0-9a-f]{16}");
            assertThat(rand2).matches("RAND [0-9a-f]{16}").isNotEqualTo(rand1);
        }
    }

    @Test
    void aPausedGuestKeepsRequestsWaitingAndAnswersThemOnResume() throws Exception {
        try (KvClient client = client()) {
            assertThat(client.call("PING")).isEqualTo("PONG");
            machine.pause();
            client.send("PUT while-paused k v");
            assertThat(client.silentFor(300)).isTrue();
            machine.resume();
            assertThat(client.answer()).isEqualTo("OK 1");
        }
    }

    @Test
    void aFloodWhilePausedIsHeldBackByTheBoundedQueueAndNothingIsLost() throws Exception {
        int lines = 5000;
        try (KvClient client = client()) {
            assertThat(client.call("PING")).isEqualTo("PONG");
            machine.pause();
            Thread sender = new Thread(() -> {
                try {
                    StringBuilder batch = new StringBuilder();
                    for (int i = 0; i < lines; i++) {
                        batch.append("PUT f").append(i).append(" key").append(i % 100).append(" value").append(i).append('\n');
                    }
                    client.sendBytes(batch.toString().getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            sender.start();
            assertThat(await(() -> machine.nic().queuedFrames() == Nic.QUEUE_FRAMES)).isTrue();
            Thread.sleep(200);
            assertThat(machine.nic().queuedFrames()).as("the NIC stopped reading: back-pressure").isEqualTo(Nic.QUEUE_FRAMES);
            machine.resume();
            for (int i = 0; i < lines; i++) {
                assertThat(client.answer()).isEqualTo("OK " + (i + 1));
            }
            sender.join();
            assertThat(client.call("GET key99")).isEqualTo("VALUE 5000 value4999");
        }
    }

    @Test
    void aClientThatSendsWithoutReadingIsHeldBackNotDropped() throws Exception {
        int requests = 20_000; // about 5 MB of answers: more than the sockets' buffers hold
        String value = "v".repeat(256);
        try (KvClient client = client()) {
            assertThat(client.call("PUT big k " + value)).isEqualTo("OK 1");
            Thread sender = new Thread(() -> {
                try {
                    byte[] get = "GET k\n".repeat(requests).getBytes(StandardCharsets.US_ASCII);
                    client.sendBytes(get); // blocks once the NIC stops reading this client
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            sender.start();
            Thread.sleep(500); // the client reads nothing meanwhile
            try (KvClient other = client()) {
                assertThat(other.call("PING")).as("others are served meanwhile").isEqualTo("PONG");
            }
            for (int i = 0; i < requests; i++) {
                assertThat(client.answer()).isEqualTo("VALUE 1 " + value);
            }
            sender.join();
        }
    }

    @Test
    void aHalfClosedClientStillGetsItsAnswers() throws Exception {
        try (KvClient client = client()) {
            client.send("PUT h k v");
            client.send("GET k");
            client.shutdownOutput();
            assertThat(client.answer()).isEqualTo("OK 1");
            assertThat(client.answer()).isEqualTo("VALUE 1 v");
            assertThat(client.answer()).as("closed once the guest saw the close").isNull();
        }
    }

    @Test
    void theStoreSurvivesAResetByReloadingItsDisk() throws Exception {
        try (KvClient client = client()) {
            for (int i = 0; i < 50; i++) {
                assertThat(client.call("PUT w" + i + " key" + i + " value" + i)).isEqualTo("OK " + (i + 1));
            }
        }
        machine.pause();
        machine.reset();
        assertThat(machine.ram().isZeroPage(0)).as("RAM zeroed by the reset").isTrue();
        machine.resume();
        try (KvClient client = client()) {
            for (int i = 0; i < 50; i++) {
                assertThat(client.call("GET key" + i)).isEqualTo("VALUE " + (i + 1) + " value" + i);
            }
            assertThat(client.call("PUT w7 key7 value7")).as("request ids survive too").isEqualTo("OK 8");
            assertThat(client.call("PUT new k v")).isEqualTo("OK 51");
            assertThat(client.call("STATS")).startsWith("STATS keys=51 capacity=4096 seq=51 ");
        }
        assertThat(TestMachines.serialLines(dir)).contains("kvstore: formatted a blank disk for 4096 keys",
                "kvstore: booted: 0 keys, next sequence number 1", "kvstore: booted: 50 keys, next sequence number 51");
    }

    @Test
    void theResetClosesConnectionsAndDropsQueuedInput() throws Exception {
        try (KvClient client = client()) {
            assertThat(client.call("PING")).isEqualTo("PONG");
            machine.pause();
            client.send("PUT lost k v");
            assertThat(await(() -> machine.nic().queuedFrames() == 1)).isTrue();
            machine.reset();
            assertThat(client.answer()).as("the link went down").isNull();
        }
        machine.resume();
        try (KvClient client = client()) {
            assertThat(client.call("GET k")).isEqualTo("NONE");
        }
    }

    @Test
    void thePowerButtonShutsTheGuestDownCleanly() throws Exception {
        CountDownLatch shutDown = new CountDownLatch(1);
        machine.setShutdownListener(shutDown::countDown);
        try (KvClient client = client()) {
            assertThat(client.call("PUT p k v")).isEqualTo("OK 1");
        }
        machine.powerdown();
        assertThat(shutDown.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(machine.isRunning()).isFalse();
        assertThat(TestMachines.serialLines(dir)).contains("kvstore: power button pressed: disk flushed, powering off");

        machine.resume(); // off: it does not serve until reset
        try (KvClient client = client()) {
            client.send("PING");
            assertThat(client.silentFor(200)).isTrue();
        }
        machine.pause();
        machine.reset();
        machine.resume();
        try (KvClient client = client()) {
            assertThat(client.call("GET k")).isEqualTo("VALUE 1 v");
        }
    }

    @Test
    void thePowerButtonPressedWhilePausedIsSeenOnResume() throws Exception {
        CountDownLatch shutDown = new CountDownLatch(1);
        machine.setShutdownListener(shutDown::countDown);
        machine.pause();
        machine.powerdown();
        assertThat(shutDown.await(200, TimeUnit.MILLISECONDS)).isFalse();
        machine.resume();
        assertThat(shutDown.await(10, TimeUnit.SECONDS)).isTrue();
    }
}

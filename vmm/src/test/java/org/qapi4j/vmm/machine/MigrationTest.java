package org.qapi4j.vmm.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.qapi4j.vmm.machine.TestMachines.await;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qapi4j.vmm.machine.memory.DirtyLog;
import org.qapi4j.vmm.machine.memory.GuestRam;
import org.qapi4j.vmm.process.KvClient;

/**
 * Moving a running guest by hand, as migration will: RAM pages and device state copied into a
 * fresh machine of the same configuration, which then carries on serving the same store.
 */
class MigrationTest {
    @TempDir
    Path dir;

    @Test
    void aStoppedGuestCopiedToAFreshMachineServesEveryAcknowledgedWriteAndItsQueuedRequests() throws Exception {
        Machine source = Machine.create(TestMachines.kvstore(dir));
        Machine target = null;
        try {
            source.resume();
            try (KvClient client = new KvClient(source.nicAddress())) {
                for (int i = 0; i < 100; i++) {
                    assertThat(client.call("PUT w" + i + " key" + i + " value" + i)).isEqualTo("OK " + (i + 1));
                }
            }
            // A client whose requests reach the source's NIC while it is paused: they are queued
            // input the guest has not consumed, which must move with the guest.
            KvClient late = new KvClient(source.nicAddress());
            // The first client's close reaches the guest from its reader thread, maybe after the
            // late client's first line: ask until the guest has seen it go.
            assertThat(await(() -> {
                try {
                    return late.call("STATS").endsWith(" connections=1");
                } catch (IOException e) {
                    return false;
                }
            })).as("the guest has seen the first client go").isTrue();
            source.pause();
            late.send("PUT late-1 queued1 a");
            late.send("PUT late-2 queued2 b");
            Machine paused = source;
            assertThat(await(() -> paused.nic().queuedFrames() == 2)).as("two lines queued").isTrue();

            target = Machine.create(TestMachines.kvstore(dir));
            TestMachines.copyRam(source, target);
            byte[] devices = save(source);
            source.close();
            assertThat(late.answer()).as("the source's connections end with it").isNull();
            late.close();

            load(target, devices);
            target.resume();
            try (KvClient client = new KvClient(target.nicAddress())) {
                for (int i = 0; i < 100; i++) {
                    assertThat(client.call("GET key" + i)).isEqualTo("VALUE " + (i + 1) + " value" + i);
                }
                // The queued writes were applied by the target; retrying them is safe and says so.
                assertThat(client.call("PUT late-1 queued1 a")).isEqualTo("OK 101");
                assertThat(client.call("PUT late-2 queued2 b")).isEqualTo("OK 102");
                assertThat(client.call("GET queued2")).isEqualTo("VALUE 102 b");
                // The late client's connection closed on the guest's side as well.
                assertThat(client.call("STATS")).isEqualTo("STATS keys=102 capacity=4096 seq=102 connections=1");
            }
        } finally {
            source.close();
            if (target != null) {
                target.close();
            }
        }
    }

    @Test
    void precopyThroughTheDirtyLogWhileClientsWriteMissesNothing() throws Exception {
        Machine source = Machine.create(TestMachines.kvstore(dir));
        Machine target = Machine.create(TestMachines.kvstore(dir));
        Map<Integer, Long> acknowledged = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        try {
            source.resume();
            Thread writer = new Thread(() -> {
                try (KvClient client = new KvClient(source.nicAddress())) {
                    for (int i = 0; !stop.get(); i++) {
                        String answer = client.call("PUT p" + i + " key" + i + " value" + i);
                        if (answer == null) {
                            return; // the source closed
                        }
                        acknowledged.put(i, Long.parseLong(answer.substring(3)));
                    }
                } catch (IOException e) {
                    // the source went away mid-call
                }
            });
            writer.start();
            assertThat(await(() -> acknowledged.size() > 50)).isTrue();

            DirtyLog log = source.ram().dirtyLog();
            log.markAll();
            for (int round = 0; round < 5; round++) {
                copyDirty(log.takeAndClear(), source.ram(), target.ram());
                Thread.sleep(20); // the guest keeps writing meanwhile
            }
            source.pause();
            stop.set(true);
            copyDirty(log.takeAndClear(), source.ram(), target.ram());
            load(target, save(source));

            byte[] expected = new byte[GuestRam.PAGE_SIZE];
            byte[] actual = new byte[GuestRam.PAGE_SIZE];
            for (long page = 0; page < source.ram().pages(); page++) {
                source.ram().readPage(page, expected);
                target.ram().readPage(page, actual);
                assertThat(actual).as("page %d", page).isEqualTo(expected);
            }
            source.close();
            writer.join();

            target.resume();
            try (KvClient client = new KvClient(target.nicAddress())) {
                for (Map.Entry<Integer, Long> write : acknowledged.entrySet()) {
                    assertThat(client.call("GET key" + write.getKey())).isEqualTo("VALUE " + write.getValue() + " value" + write.getKey());
                }
            }
            assertThat(acknowledged.size()).isGreaterThan(50);
        } finally {
            stop.set(true);
            source.close();
            target.close();
        }
    }

    private static void copyDirty(long[] bitmap, GuestRam from, GuestRam to) {
        byte[] page = new byte[GuestRam.PAGE_SIZE];
        for (long p = 0; p < from.pages(); p++) {
            if (DirtyLog.isDirty(bitmap, p)) {
                from.readPage(p, page);
                to.writePage(p, page);
            }
        }
    }

    static byte[] save(Machine machine) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        machine.saveDevices(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    static void load(Machine machine, byte[] state) throws IOException {
        machine.loadDevices(new DataInputStream(new ByteArrayInputStream(state)));
    }
}

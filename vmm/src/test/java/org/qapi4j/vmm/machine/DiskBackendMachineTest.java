package org.qapi4j.vmm.machine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qapi4j.vmm.machine.device.BlockBackend;
import org.qapi4j.vmm.process.KvClient;

/** {@link Machine#create(MachineConfig, java.util.function.UnaryOperator)}: the disk drives the backend it is given. */
class DiskBackendMachineTest {
    @TempDir
    Path dir;

    /** Counts the guest's disk writes on their way to the image; counts its closes. */
    static final class CountingBackend implements BlockBackend {
        final BlockBackend image;
        final AtomicInteger writes = new AtomicInteger();
        final AtomicInteger reads = new AtomicInteger();
        final AtomicInteger closes = new AtomicInteger();

        CountingBackend(BlockBackend image) {
            this.image = image;
        }

        @Override
        public long dataBytes() {
            return image.dataBytes();
        }

        @Override
        public void read(long offset, ByteBuffer dst) throws IOException {
            reads.incrementAndGet();
            image.read(offset, dst);
        }

        @Override
        public void write(long offset, ByteBuffer src) throws IOException {
            writes.incrementAndGet();
            image.write(offset, src);
        }

        @Override
        public void flush() throws IOException {
            image.flush();
        }

        @Override
        public Path path() {
            return image.path();
        }

        @Override
        public void close() {
            closes.incrementAndGet();
        }
    }

    @Test
    void theGuestsDiskWritesGoThroughTheBackendAndItIsClosedWithTheMachine() throws Exception {
        CountingBackend[] made = new CountingBackend[1];
        Machine machine = Machine.create(TestMachines.kvstore(dir), image -> made[0] = new CountingBackend(image));
        try {
            machine.resume();
            try (KvClient client = new KvClient(machine.nicAddress())) {
                assertThat(client.call("PUT r1 colour blue")).isEqualTo("OK 1");
            }
            assertThat(made[0]).isNotNull();
            assertThat(made[0].writes.get()).as("the put reached the disk through the backend").isPositive();
            assertThat(made[0].closes.get()).isZero();
        } finally {
            machine.close();
        }
        assertThat(made[0].closes.get()).isEqualTo(1);
        // The image was closed too, and holds the put: a machine on it reads it back.
        try (Machine again = Machine.create(TestMachines.kvstore(dir))) {
            again.resume();
            try (KvClient client = new KvClient(again.nicAddress())) {
                assertThat(client.call("GET colour")).isEqualTo("VALUE 1 blue");
            }
        }
    }

    @Test
    void aMachineWithoutADiskNeverCallsTheOperator() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (Machine machine = Machine.create(TestMachines.dirty(dir, java.util.Map.of()), image -> {
            calls.incrementAndGet();
            return image;
        })) {
            assertThat(calls.get()).isZero();
        }
    }
}

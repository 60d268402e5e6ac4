package org.qapi4j.colo.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.qapi4j.vmm.machine.device.DiskImage;

/**
 * The secondary's disk against a reference model over seeded random sequences: the model is two
 * arrays, the primary's disk and the secondary guest's view. A primary write changes the first
 * only, a secondary write the second only, a checkpoint copies the first into the second, and
 * after a failover the secondary's view is its disk.
 */
class SecondaryDiskModelTest {
    private static final int SECTOR = 512;
    private static final int SECTORS = 96;
    private static final int BYTES = SECTORS * SECTOR;

    @TempDir
    Path dir;

    static LongStream seeds() {
        return LongStream.range(0, 40).map(i -> 0x5EED_0000L + i * 7919);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theSecondaryGuestSeesItsViewAndBaseFollowsThePrimary(long seed) throws Exception {
        Random random = new Random(seed);
        Path baseFile = dir.resolve("base.img");
        byte[] primary = new byte[BYTES];
        // A base that is not all zeros, as the primary's at start: both begin equal.
        try (DiskImage image = DiskImage.openOrCreate(baseFile, BYTES)) {
            random.nextBytes(primary);
            image.write(0, ByteBuffer.wrap(primary));
        }
        byte[] view = primary.clone();
        boolean failedOver = false;
        int steps = 300;
        int failoverAt = random.nextInt(4) == 0 ? -1 : 50 + random.nextInt(steps - 50);
        try (SecondaryDisk disk = SecondaryDisk.open(DiskImage.openOrCreate(baseFile, BYTES), dir.resolve("buffers"))) {
            for (int step = 0; step < steps; step++) {
                String at = "seed " + seed + ", step " + step;
                if (step == failoverAt) {
                    disk.failover();
                    failedOver = true;
                    primary = view.clone(); // from now on the model's "primary" is the secondary's own disk
                    assertThat(disk.hiddenSectors() + disk.activeSectors()).as(at).isZero();
                    assertSame(at + ": base holds the secondary's view after failover", baseBytes(baseFile), view);
                    continue;
                }
                int op = random.nextInt(10);
                if (op < 4 && !failedOver) {
                    long offset = offset(random);
                    byte[] data = data(random, offset);
                    disk.applyPrimaryWrite(offset, ByteBuffer.wrap(data));
                    System.arraycopy(data, 0, primary, (int) offset, data.length);
                } else if (op < 7) {
                    long offset = offset(random);
                    byte[] data = data(random, offset);
                    disk.write(offset, ByteBuffer.wrap(data));
                    System.arraycopy(data, 0, view, (int) offset, data.length);
                    if (failedOver) {
                        System.arraycopy(data, 0, primary, (int) offset, data.length); // base is the disk now
                    }
                } else if (op < 9) {
                    long offset = offset(random);
                    int length = data(random, offset).length;
                    ByteBuffer read = ByteBuffer.allocate(length);
                    disk.read(offset, read);
                    assertThat(read.hasRemaining()).isFalse();
                    assertSame(at + ": read of " + length + " at " + offset, read.array(),
                            Arrays.copyOfRange(view, (int) offset, (int) offset + length));
                } else {
                    disk.checkpoint();
                    if (!failedOver) {
                        view = primary.clone();
                        assertThat(disk.hiddenSectors() + disk.activeSectors()).as(at).isZero();
                    }
                    assertSame(at + ": base equals the primary at a checkpoint", baseBytes(baseFile), primary);
                }
                ByteBuffer whole = ByteBuffer.allocate(BYTES);
                disk.read(0, whole);
                assertSame(at + ": the whole view", whole.array(), view);
            }
        }
    }

    @Test
    void buffersAreFilesInTheGivenDirectoryAndHiddenKeepsTheCheckpointsContent() throws Exception {
        Path baseFile = dir.resolve("base.img");
        Path buffers = dir.resolve("buffers");
        try (SecondaryDisk disk = SecondaryDisk.open(DiskImage.openOrCreate(baseFile, BYTES), buffers)) {
            assertThat(buffers.resolve("hidden.data")).exists();
            assertThat(buffers.resolve("hidden.index")).exists();
            assertThat(buffers.resolve("active.data")).exists();
            assertThat(buffers.resolve("active.index")).exists();
            disk.applyPrimaryWrite(SECTOR, ByteBuffer.wrap(filled(SECTOR, 1)));
            disk.applyPrimaryWrite(SECTOR, ByteBuffer.wrap(filled(SECTOR, 2)));
            assertThat(disk.hiddenSectors()).isEqualTo(1);
            ByteBuffer read = ByteBuffer.allocate(SECTOR);
            disk.read(SECTOR, read);
            assertThat(read.array()).as("the second overwrite did not replace hidden's copy").isEqualTo(new byte[SECTOR]);
            assertThat(Files.size(buffers.resolve("hidden.data"))).isEqualTo(2L * SECTOR);
            disk.checkpoint();
            assertThat(Files.size(buffers.resolve("hidden.data"))).as("emptied buffers give their room back").isZero();
            disk.failover();
            assertThatThrownBy(() -> disk.applyPrimaryWrite(0, ByteBuffer.allocate(SECTOR)))
                    .isInstanceOf(IllegalStateException.class);
        }
        assertThat(buffers.resolve("hidden.data")).doesNotExist();
    }

    /** Equal arrays, or a failure that names the seed, the step and the first differing byte (not whole arrays). */
    private static void assertSame(String what, byte[] actual, byte[] expected) {
        int at = Arrays.mismatch(actual, expected);
        assertThat(at).as(what + ": first differing byte (sector " + (at / SECTOR) + ")").isEqualTo(-1);
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    /** Mostly sector-aligned, sometimes not, so that partial sectors are exercised. */
    private static long offset(Random random) {
        long sector = random.nextInt(SECTORS);
        return random.nextInt(4) == 0 ? sector * SECTOR + random.nextInt(SECTOR) : sector * SECTOR;
    }

    private static byte[] data(Random random, long offset) {
        int max = (int) Math.min(BYTES - offset, 8L * SECTOR);
        int length;
        if (offset % SECTOR == 0 && random.nextBoolean()) {
            length = Math.min(max / SECTOR, 1 + random.nextInt(8)) * SECTOR;
        } else {
            length = 1 + random.nextInt(max);
        }
        byte[] data = new byte[length];
        random.nextBytes(data);
        return data;
    }

    static byte[] baseBytes(Path imageFile) throws Exception {
        byte[] file = Files.readAllBytes(imageFile);
        return Arrays.copyOfRange(file, DiskImage.HEADER_BYTES, file.length);
    }
}

package org.qapi4j.vmm.machine.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskImageTest {
    @TempDir
    Path dir;

    @Test
    void aNewImageIsCreatedWithItsHeaderAndReopensWithItsOwnSize() throws Exception {
        Path path = dir.resolve("disk.img");
        try (DiskImage image = DiskImage.openOrCreate(path, 1 << 20)) {
            assertThat(image.dataBytes()).isEqualTo(1 << 20);
            image.write(512, ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)));
        }
        byte[] header = new byte[32];
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "r")) {
            file.readFully(header);
        }
        assertThat(new String(header, 0, 8, StandardCharsets.US_ASCII)).isEqualTo("QAPI4JDK");
        assertThat(ByteBuffer.wrap(header).getInt(8)).isEqualTo(1);
        assertThat(ByteBuffer.wrap(header).getLong(16)).isEqualTo(1 << 20);

        try (DiskImage image = DiskImage.openOrCreate(path, 99 << 20)) { // the size asked for is for creating only
            assertThat(image.dataBytes()).isEqualTo(1 << 20);
            ByteBuffer back = ByteBuffer.allocate(5);
            image.read(512, back);
            assertThat(new String(back.array(), StandardCharsets.US_ASCII)).isEqualTo("hello");
            assertThatThrownBy(() -> image.read((1 << 20) - 2, ByteBuffer.allocate(4))).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessage("disk range [1048574, 1048578) is outside the disk's 1048576 bytes");
        }
    }

    @Test
    void anotherVersionOrACorruptHeaderIsRefused() throws Exception {
        Path path = dir.resolve("disk.img");
        DiskImage.openOrCreate(path, 1 << 20).close();
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            file.seek(8);
            file.writeInt(2);
        }
        assertThatThrownBy(() -> DiskImage.openOrCreate(path, 1 << 20)).isInstanceOf(DiskImageException.class)
                .hasMessage("disk image " + path + " has format version 2; this VMM reads version 1");
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            file.seek(8);
            file.writeInt(1);
            file.seek(16);
            file.writeLong(2 << 20); // a size the checksum does not cover
        }
        assertThatThrownBy(() -> DiskImage.openOrCreate(path, 1 << 20)).isInstanceOf(DiskImageException.class)
                .hasMessage("disk image " + path + " has a corrupt header (checksum mismatch)");
    }

    @Test
    void aNewImageHasItsFullLengthAndReadsAsZeros() throws Exception {
        Path path = dir.resolve("big.img");
        try (DiskImage image = DiskImage.openOrCreate(path, 1L << 30)) {
            ByteBuffer last = ByteBuffer.allocate(512);
            image.read((1L << 30) - 512, last);
            assertThat(last.array()).containsOnly(0);
        }
        assertThat(Files.size(path)).isEqualTo(DiskImage.HEADER_BYTES + (1L << 30));
    }
}

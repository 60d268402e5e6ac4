package org.qapi4j.colo.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The frame encoding: frames survive the trip, and no corrupted frame is ever taken for a good one. */
class ReplicationFrameTest {
    static LongStream seeds() {
        return LongStream.range(0, 10).map(i -> 0xF4A3E000L + i);
    }

    private static byte[] encode(ReplicationFrame frame) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        frame.writeTo(Channels.newChannel(out));
        return out.toByteArray();
    }

    private static ReplicationFrame decode(byte[] bytes) throws IOException {
        return ReplicationFrame.readFrom(Channels.newChannel(new ByteArrayInputStream(bytes)));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void framesSurviveTheTripAndEverySingleBitFlipIsRefused(long seed) throws IOException {
        Random random = new Random(seed);
        byte[] payload = new byte[random.nextInt(64)];
        random.nextBytes(payload);
        ReplicationFrame frame = new ReplicationFrame(ReplicationFrame.WRITE, random.nextLong(), random.nextLong(),
                ByteBuffer.wrap(payload));
        byte[] bytes = encode(frame);
        ReplicationFrame back = decode(bytes);
        assertThat(back.type()).isEqualTo(ReplicationFrame.WRITE);
        assertThat(back.sequence()).isEqualTo(frame.sequence());
        assertThat(back.offset()).isEqualTo(frame.offset());
        assertThat(back.payload().remaining()).isEqualTo(payload.length);
        assertThat(Arrays.copyOfRange(back.payload().array(), 0, payload.length)).isEqualTo(payload);
        for (int bit = 0; bit < bytes.length * 8; bit++) {
            byte[] flipped = bytes.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            int at = bit;
            assertThatThrownBy(() -> decode(flipped)).as("seed %d, bit %d flipped", seed, at)
                    .isInstanceOf(ReplicationFrame.CorruptFrameException.class);
        }
    }

    @Test
    void aStreamThatEndsInsideAFrameIsAnErrorAndAtAFrameBoundaryIsTheEnd() throws IOException {
        byte[] bytes = encode(ReplicationFrame.of(ReplicationFrame.BARRIER, 7, 0));
        assertThat(decode(new byte[0])).isNull();
        assertThatThrownBy(() -> decode(Arrays.copyOf(bytes, bytes.length - 1))).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> decode(Arrays.copyOf(bytes, 5))).isInstanceOf(EOFException.class);
    }
}

package org.qapi4j.vmm.machine.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Ranges set word by word, and the word scan, against a plain {@link BitSet}. */
class AtomicBitmapTest {

    @Test
    void rangesAndScansAgreeWithABitSet() {
        Random random = new Random(5);
        for (int round = 0; round < 200; round++) {
            int bits = 1 + random.nextInt(700);
            AtomicBitmap bitmap = new AtomicBitmap(bits);
            BitSet expected = new BitSet(bits);
            for (int ranges = random.nextInt(4); ranges > 0; ranges--) {
                int first = random.nextInt(bits);
                int last = first + random.nextInt(bits - first);
                bitmap.set(first, last);
                expected.set(first, last + 1);
            }
            for (int bit = 0; bit < bits; bit++) {
                assertThat(bitmap.get(bit)).as("bit %d of %d", bit, bits).isEqualTo(expected.get(bit));
            }
            int from = random.nextInt(bits);
            int to = from + random.nextInt(bits - from + 1);
            int next = expected.nextSetBit(from);
            assertThat(bitmap.nextSet(from, to)).as("first set in [%d, %d)", from, to)
                    .isEqualTo(next >= 0 && next < to ? next : -1);
            assertThat(bitmap.count()).isEqualTo(expected.cardinality());
        }
    }
}

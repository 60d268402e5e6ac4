package org.qapi4j.vmm.machine.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A fixed-size bitmap, one bit a page, that one thread may set while another reads and clears
 * it: each 64-bit word is updated atomically, so a bit set concurrently with a take is either
 * in that take or still set afterwards, never lost.
 */
final class AtomicBitmap {
    /** Atomic access to the words: a single locked OR or exchange per update. */
    private static final VarHandle WORD = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] words;
    private final long bits;

    AtomicBitmap(long bits) {
        if (bits < 0 || (bits + 63) / 64 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("bitmap of " + bits + " bits");
        }
        this.bits = bits;
        this.words = new long[(int) ((bits + 63) / 64)];
    }

    long bits() {
        return bits;
    }

    boolean get(long bit) {
        return (word((int) (bit >>> 6)) & (1L << bit)) != 0;
    }

    /** Sets bits {@code first..last}, inclusive: one atomic OR per word they touch. */
    void set(long first, long last) {
        for (long bit = first; bit <= last; ) {
            int word = (int) (bit >>> 6);
            long end = Math.min(last, bit | 63);
            long mask = (-1L << bit) & (-1L >>> (63 - (end & 63)));
            // Always the atomic OR, never "read, and OR only if clear": the OR is also the
            // fence that orders the writer's data before the bit. With a plain read first, the
            // data store could still sit in the store buffer while the read sees the bit set,
            // a taker then clears the bit and reads the old data, and the change is lost.
            WORD.getAndBitwiseOr(words, word, mask);
            bit = end + 1;
        }
    }

    /** The first set bit in {@code [from, to)}, or -1: a scan of words, not of bits. */
    long nextSet(long from, long to) {
        for (long bit = from; bit < to; bit = (bit | 63) + 1) {
            long word = word((int) (bit >>> 6)) & (-1L << bit);
            if (word != 0) {
                long found = (bit & ~63L) + Long.numberOfTrailingZeros(word);
                return found < to ? found : -1;
            }
        }
        return -1;
    }

    void clear(long bit) {
        int word = (int) (bit >>> 6);
        long mask = 1L << bit;
        if ((word(word) & mask) != 0) {
            WORD.getAndBitwiseAnd(words, word, ~mask);
        }
    }

    void setAll() {
        int last = words.length - 1;
        for (int i = 0; i < last; i++) {
            WORD.setVolatile(words, i, -1L);
        }
        if (last >= 0) {
            int tail = (int) (bits - 64L * last);
            WORD.getAndBitwiseOr(words, last, tail == 64 ? -1L : (1L << tail) - 1);
        }
    }

    /** The bitmap as it was, each word cleared in the same atomic step that read it. */
    long[] takeAndClear() {
        long[] taken = new long[words.length];
        for (int i = 0; i < taken.length; i++) {
            // Skip the write for clean words: most are, and a write dirties the cache line.
            if (word(i) != 0) {
                taken[i] = (long) WORD.getAndSet(words, i, 0L);
            }
        }
        return taken;
    }

    long count() {
        long count = 0;
        for (int i = 0; i < words.length; i++) {
            count += Long.bitCount(word(i));
        }
        return count;
    }

    private long word(int index) {
        return (long) WORD.getVolatile(words, index);
    }
}

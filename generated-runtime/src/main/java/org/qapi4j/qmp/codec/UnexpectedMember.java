package org.qapi4j.qmp.codec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.qapi4j.qmp.wire.QDictOrder;

/**
 * Which of several unexpected members QEMU names in {@code Parameter 'x' is unexpected}.
 *
 * <p>QEMU reports one member only, the first its bookkeeping yields, and that bookkeeping is
 * two hash tables: the argument object is a {@code QDict} (512 buckets chained at the head,
 * iterated bucket by bucket), and the input visitor copies its keys, in that order, into a
 * GLib {@code GHashTable} of the unvisited keys, removes each key as its member is visited
 * (which can shrink and rehash the table) and finally names the first key left in the table's
 * slot order. The answer is therefore a function of the member names, their order in the
 * JSON text, and the order the members were visited in; this class computes it by modelling
 * both tables: the QDict of QEMU 7.2 ({@code qobject/qdict.c}) and the GHashTable of GLib
 * 2.74 (Debian 12), open addressing with quadratic probing, {@code g_str_hash}, the index
 * {@code (hash * 11) % prime}, tombstones, and the in-place resize after an insertion or a
 * removal leaves the table too full or too empty.
 *
 * <p>The model was checked against {@code qemu-system-x86_64} 7.2 on 300 random argument
 * objects (1 to 30 unexpected names, 0 to 27 visited members): it named the same member every
 * time. It depends on GLib's internals, which GLib does not promise to keep: another GLib
 * version may make QEMU name another member.
 */
final class UnexpectedMember {
    private UnexpectedMember() {}

    /**
     * The member QEMU names.
     *
     * @param members all members of the object, in the order of the JSON text
     * @param visited the members that were visited (read), in the order they were read
     * @param unexpected the members not visited; not empty
     */
    static String reported(Collection<String> members, List<String> visited, Collection<String> unexpected) {
        if (unexpected.size() == 1) {
            return unexpected.iterator().next();
        }
        GHashTable unvisited = new GHashTable();
        for (String key : QDictOrder.of(members)) {
            unvisited.insert(key);
        }
        for (String key : visited) {
            unvisited.remove(key);
        }
        String first = unvisited.first();
        // The model and the caller agree on what is left; should they not, fall back to the
        // caller's first rather than name a member that is not unexpected.
        return first != null && unexpected.contains(first) ? first : unexpected.iterator().next();
    }

    // ---- GLib's GHashTable ------------------------------------------------------------------

    /** {@code g_str_hash}: djb2 over the UTF-8 bytes taken as signed chars, modulo 2^32. */
    static int strHash(String key) {
        int hash = 5381;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            hash = (hash << 5) + hash + b;
        }
        return hash;
    }

    /** The parts of a string-keyed GHashTable that decide its slot order. */
    private static final class GHashTable {
        private static final int MIN_SHIFT = 3;
        private static final int UNUSED = 0;
        private static final int TOMBSTONE = 1;
        /** The prime modulus of each table size 2^shift. */
        private static final int[] PRIME_MOD = {1, 2, 3, 7, 13, 31, 61, 127, 251, 509, 1021, 2039, 4093,
            8191, 16381, 32749, 65521, 131071, 262139, 524287, 1048573, 2097143, 4194301, 8388593,
            16777213, 33554393, 67108859, 134217689, 268435399, 536870909, 1073741789, 2147483647};

        private int size;
        private int mod;
        private int mask;
        private int nodes;
        private int occupied;
        private int[] hashes;
        private String[] keys;

        GHashTable() {
            setShift(MIN_SHIFT);
            hashes = new int[size];
            keys = new String[size];
        }

        private void setShift(int shift) {
            size = 1 << shift;
            mod = PRIME_MOD[shift];
            mask = size - 1;
        }

        private static boolean isReal(int hash) {
            return hash != UNUSED && hash != TOMBSTONE;
        }

        private int toIndex(int hash) {
            return Integer.remainderUnsigned(hash * 11, mod);
        }

        private static int keyHash(String key) {
            int hash = strHash(key);
            return isReal(hash) ? hash : 2;
        }

        /** The slot holding {@code key}, else the first tombstone passed, else the empty slot reached. */
        private int lookup(String key, int hash) {
            int index = toIndex(hash);
            int step = 0;
            int tombstone = -1;
            while (hashes[index] != UNUSED) {
                if (hashes[index] == hash && key.equals(keys[index])) {
                    return index;
                }
                if (hashes[index] == TOMBSTONE && tombstone < 0) {
                    tombstone = index;
                }
                step++;
                index = (index + step) & mask;
            }
            return tombstone >= 0 ? tombstone : index;
        }

        void insert(String key) {
            int hash = keyHash(key);
            int index = lookup(key, hash);
            int old = hashes[index];
            if (isReal(old)) {
                return;
            }
            hashes[index] = hash;
            keys[index] = key;
            nodes++;
            if (old == UNUSED) {
                occupied++;
                maybeResize();
            }
        }

        void remove(String key) {
            int index = lookup(key, keyHash(key));
            if (!isReal(hashes[index])) {
                return;
            }
            hashes[index] = TOMBSTONE;
            keys[index] = null;
            nodes--;
            maybeResize();
        }

        private void maybeResize() {
            if ((size > nodes * 4 && size > 1 << MIN_SHIFT) || size <= occupied + occupied / 16) {
                resize();
            }
        }

        /** Rehashes in place, as GLib does: entries are evicted along their new probe paths. */
        private void resize() {
            int oldSize = size;
            int wanted = (int) (nodes * 1.333);
            int shift = 0;
            while (wanted != 0) {
                wanted >>= 1;
                shift++;
            }
            setShift(Math.max(shift, MIN_SHIFT));
            if (size > oldSize) {
                hashes = Arrays.copyOf(hashes, size);
                keys = Arrays.copyOf(keys, size);
            }
            boolean[] placed = new boolean[Math.max(size, oldSize)];
            for (int i = 0; i < oldSize; i++) {
                int hash = hashes[i];
                if (!isReal(hash)) {
                    hashes[i] = UNUSED;
                    continue;
                }
                if (placed[i]) {
                    continue;
                }
                hashes[i] = UNUSED;
                String key = keys[i];
                keys[i] = null;
                while (true) {
                    int index = toIndex(hash);
                    int step = 0;
                    while (placed[index]) {
                        step++;
                        index = (index + step) & mask;
                    }
                    placed[index] = true;
                    int replaced = hashes[index];
                    hashes[index] = hash;
                    String replacedKey = keys[index];
                    keys[index] = key;
                    if (!isReal(replaced)) {
                        break;
                    }
                    hash = replaced;
                    key = replacedKey;
                }
            }
            if (size < oldSize) {
                hashes = Arrays.copyOf(hashes, size);
                keys = Arrays.copyOf(keys, size);
            }
            occupied = nodes;
        }

        /** The first key in slot order, as {@code g_hash_table_iter_next} yields it. */
        String first() {
            for (int i = 0; i < size; i++) {
                if (isReal(hashes[i])) {
                    return keys[i];
                }
            }
            return null;
        }
    }
}

package org.qapi4j.qmp.wire;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The order in which QEMU 7.2 iterates the members of a {@code QDict} ({@code qobject/qdict.c}):
 * a hash table of 512 buckets, hash {@code tdb_hash}, each bucket a list that grows at its head,
 * iterated bucket by bucket. QEMU writes objects in this order, checks requests in it, and its
 * input visitor meets arguments in it, so every place that must match QEMU's choice among
 * several members asks here.
 */
public final class QDictOrder {
    private static final int BUCKETS = 512;

    private QDictOrder() {}

    /** The names of an object's members in QDict order, given the order they were inserted in. */
    public static List<String> of(Collection<String> insertionOrder) {
        int n = insertionOrder.size();
        List<String> order = new ArrayList<>(n);
        if (n < 2) {
            order.addAll(insertionOrder);
            return order;
        }
        // Later insertions come first within a bucket: reverse, then sort stably by bucket.
        String[] keys = insertionOrder.toArray(new String[0]);
        for (int i = n - 1; i >= 0; i--) {
            order.add(keys[i]);
        }
        order.sort((a, b) -> Integer.compare(bucket(a), bucket(b)));
        return order;
    }

    /** QEMU's {@code tdb_hash(key) % QDICT_BUCKET_MAX}. */
    static int bucket(String key) {
        return Integer.remainderUnsigned(tdbHash(key), BUCKETS);
    }

    /** QDict's hash: the TDB hash over the key's UTF-8 bytes, modulo 2^32. */
    static int tdbHash(String key) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        int value = 0x238F13AF * bytes.length;
        for (int i = 0; i < bytes.length; i++) {
            value += (bytes[i] & 0xFF) << (i * 5 % 24);
        }
        return 1103515243 * value + 12345;
    }
}

package org.qapi4j.qmp.codec;

import org.jspecify.annotations.Nullable;

/**
 * Reads one value of a QAPI type from a {@link QapiReader}.
 *
 * <p>{@code name} is the member being read when the reader is inside an object, and null when
 * it is inside an array (the next element) or at the root: QEMU's visitors work the same way,
 * and its error messages depend on it.
 *
 * @param <T> the Java type read
 */
@FunctionalInterface
public interface Decoder<T> {
    T decode(QapiReader in, @Nullable String name);
}

package org.qapi4j.colo.disk;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where a {@link DiskReplicationServer} applies the primary's forwarded writes: a {@link
 * SecondaryDisk}, or in tests anything that records or delays them.
 */
public interface PrimaryWriteSink {
    /** The disk's size in bytes, which the primary's must equal. */
    long dataBytes();

    /** Applies one of the primary's writes; visible to reads when this returns. */
    void applyPrimaryWrite(long offset, ByteBuffer data) throws IOException;
}

package org.qapi4j.colo;

import java.io.IOException;

/**
 * The disk's part in COLO, on either side: what a checkpoint and a failover do to it. On the
 * primary a checkpoint waits until the secondary has every write forwarded so far, and a
 * failover stops forwarding; on the secondary a checkpoint drops its buffered writes and a
 * failover commits them. {@link #NONE} for a machine without a disk.
 */
public interface ColoDisk {
    ColoDisk NONE = new ColoDisk() {
        @Override
        public void checkpoint() {
        }

        @Override
        public void failover() {
        }
    };

    void checkpoint() throws IOException;

    void failover() throws IOException;
}

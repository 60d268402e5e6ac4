package org.qapi4j.vmm.migration.stream;

import java.io.IOException;

/** A migration stream that is not what the format says: corrupted, cut short, or of another machine. */
public class StreamException extends IOException {
    private static final long serialVersionUID = 1L;

    public StreamException(String message) {
        super(message);
    }
}

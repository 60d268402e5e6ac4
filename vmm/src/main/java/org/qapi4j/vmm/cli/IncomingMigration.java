package org.qapi4j.vmm.cli;

import java.util.Objects;

/** {@code -incoming}: the machine waits for its guest to arrive by migration. */
public sealed interface IncomingMigration {
    /** {@code -incoming defer}: a client names the address later, with {@code migrate-incoming}. */
    record Defer() implements IncomingMigration {
    }

    /**
     * {@code -incoming tcp:HOST:PORT} or {@code -incoming unix:PATH}: listen there from the start.
     *
     * @param address where to listen
     * @param uri the URI as given
     */
    record Listen(ListenAddress address, String uri) implements IncomingMigration {
        public Listen {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(uri, "uri");
        }
    }
}

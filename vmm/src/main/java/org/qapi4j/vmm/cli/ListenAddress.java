package org.qapi4j.vmm.cli;

import java.nio.file.Path;
import java.util.Objects;

/** Where the VMM listens: a Unix socket or a TCP port. */
public sealed interface ListenAddress {
    /**
     * A Unix socket.
     *
     * @param path the socket's file, as given (relative to the working directory if relative)
     */
    record Unix(Path path) implements ListenAddress {
        public Unix {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String toString() {
            return "unix:" + path;
        }
    }

    /**
     * A TCP port.
     *
     * @param host the host name or address to listen on, as given; {@code ""} for all of the
     *     host's addresses (QEMU's {@code tcp::PORT})
     * @param port the port, 0 for any free one
     */
    record Tcp(String host, int port) implements ListenAddress {
        public Tcp {
            Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        }

        @Override
        public String toString() {
            return "tcp:" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }
}

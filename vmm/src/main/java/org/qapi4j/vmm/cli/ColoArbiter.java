package org.qapi4j.vmm.cli;

import java.util.List;
import java.util.Objects;

/**
 * {@code --colo-arbiter zookeeper://HOST:PORT[,HOST:PORT...][/PATH][?session-timeout-ms=N]}:
 * COLO's optional arbiter, a lease in an Apache ZooKeeper ensemble (see {@code
 * org.qapi4j.colo.arbiter}). Without it nothing takes over by itself, as in QEMU 7.2.
 *
 * @param servers the ensemble's {@code HOST:PORT}s, in the order given
 * @param path the znode under which the lease lives ({@code PATH/lease}); {@value #DEFAULT_PATH}
 *     by default. Both sides of a COLO pair must name the same one.
 * @param sessionTimeoutMillis the ZooKeeper session timeout asked for: how long a dead or cut-off
 *     lease holder keeps the lease; {@value #DEFAULT_SESSION_TIMEOUT_MILLIS} ms by default
 */
public record ColoArbiter(List<String> servers, String path, int sessionTimeoutMillis) {
    public static final String DEFAULT_PATH = "/qapi4j-colo";
    public static final int DEFAULT_SESSION_TIMEOUT_MILLIS = 10_000;

    public ColoArbiter {
        servers = List.copyOf(servers);
        Objects.requireNonNull(path, "path");
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("no ZooKeeper server");
        }
        if (sessionTimeoutMillis <= 0) {
            throw new IllegalArgumentException("sessionTimeoutMillis must be positive: " + sessionTimeoutMillis);
        }
    }

    /** ZooKeeper's connect string: {@code HOST:PORT,HOST:PORT}. */
    public String connectString() {
        return String.join(",", servers);
    }

    /** As given on the command line (with every part spelled out). */
    @Override
    public String toString() {
        return "zookeeper://" + connectString() + path + "?session-timeout-ms=" + sessionTimeoutMillis;
    }
}

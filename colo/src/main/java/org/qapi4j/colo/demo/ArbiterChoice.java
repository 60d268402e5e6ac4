package org.qapi4j.colo.demo;

import java.util.List;
import java.util.Optional;

/**
 * {@code --arbiter}: who lets the secondary take over. {@code embedded}: the arbiter, with a
 * ZooKeeper server the demonstration starts in its own JVM; {@code zookeeper://HOST:PORT,...}:
 * the arbiter, with that ensemble; {@code none}: no arbiter, and the demonstration sends {@code
 * x-colo-lost-heartbeat} as an operator would.
 *
 * @param kind which of the three
 * @param servers the ensemble's {@code HOST:PORT}s (empty unless {@link Kind#ENSEMBLE})
 */
record ArbiterChoice(Kind kind, List<String> servers) {
    enum Kind { EMBEDDED, NONE, ENSEMBLE }

    static final String FORM = "embedded, none or zookeeper://HOST:PORT[,HOST:PORT...]";
    private static final String SCHEME = "zookeeper://";

    ArbiterChoice {
        servers = List.copyOf(servers);
    }

    /**
     * The choice {@code text} names, or empty when it names none. An ensemble is servers only:
     * the demonstration chooses the lease's path itself (one per run, so that runs against one
     * ensemble never share a lease), and the session timeout is {@code --session-timeout}.
     */
    static Optional<ArbiterChoice> parse(String text) {
        if (text.equals("embedded")) {
            return Optional.of(new ArbiterChoice(Kind.EMBEDDED, List.of()));
        }
        if (text.equals("none")) {
            return Optional.of(new ArbiterChoice(Kind.NONE, List.of()));
        }
        if (!text.startsWith(SCHEME) || text.length() == SCHEME.length()) {
            return Optional.empty();
        }
        List<String> servers = List.of(text.substring(SCHEME.length()).split(",", -1));
        return servers.stream().allMatch(ArbiterChoice::isServer)
                ? Optional.of(new ArbiterChoice(Kind.ENSEMBLE, servers)) : Optional.empty();
    }

    private static boolean isServer(String server) {
        int colon = server.lastIndexOf(':');
        if (colon <= 0 || !server.substring(colon + 1).matches("[0-9]{1,5}")) {
            return false;
        }
        int port = Integer.parseInt(server.substring(colon + 1));
        String host = server.substring(0, colon);
        return port >= 1 && port <= 65535 && host.chars().noneMatch(c -> c == '/' || c == '?' || c == '@');
    }
}

package org.qapi4j.vmm.cli;

import static org.qapi4j.vmm.cli.UsageException.error;

import java.util.ArrayList;
import java.util.List;
import org.qapi4j.vmm.cli.OptionWords.Item;

/** Parses {@code --colo-arbiter} ({@link ColoArbiter}); each refusal is one line. */
final class ColoArbiters {
    private static final String SCHEME = "zookeeper://";
    private static final String FORM = "zookeeper://HOST:PORT[,HOST:PORT...][/PATH][?session-timeout-ms=N]";

    private ColoArbiters() {}

    static ColoArbiter parse(Item item, String arg) throws UsageException {
        if (!arg.startsWith(SCHEME)) {
            throw error(item.location(), "expected " + FORM);
        }
        String rest = arg.substring(SCHEME.length());
        int timeout = ColoArbiter.DEFAULT_SESSION_TIMEOUT_MILLIS;
        int query = rest.indexOf('?');
        if (query >= 0) {
            timeout = sessionTimeout(item, rest.substring(query + 1));
            rest = rest.substring(0, query);
        }
        String path = ColoArbiter.DEFAULT_PATH;
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            path = rest.substring(slash);
            rest = rest.substring(0, slash);
            if (path.length() > 1 && path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            if (path.equals("/") || path.contains("//") || path.contains("/./") || path.endsWith("/.")
                    || path.contains("/../") || path.endsWith("/..")) {
                throw error(item.location(), "'" + path + "' is not a ZooKeeper path for the lease (like /qapi4j-colo)");
            }
        }
        if (rest.isEmpty()) {
            throw error(item.location(), "no ZooKeeper server given: " + FORM);
        }
        List<String> servers = new ArrayList<>();
        for (String server : rest.split(",", -1)) {
            servers.add(server(item, server));
        }
        return new ColoArbiter(servers, path, timeout);
    }

    private static String server(Item item, String server) throws UsageException {
        int colon = server.lastIndexOf(':');
        String host = colon < 0 ? "" : server.substring(0, colon);
        String port = colon < 0 ? "" : server.substring(colon + 1);
        if (host.isEmpty() || !port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1
                || Integer.parseInt(port) > 65535) {
            throw error(item.location(), "'" + server + "' is not HOST:PORT (a port from 1 to 65535)");
        }
        return server;
    }

    private static int sessionTimeout(Item item, String query) throws UsageException {
        String prefix = "session-timeout-ms=";
        if (!query.startsWith(prefix)) {
            throw error(item.location(), "unknown parameter '" + query + "': only session-timeout-ms=N");
        }
        String value = query.substring(prefix.length());
        if (!value.matches("[0-9]{1,9}") || Integer.parseInt(value) < 100) {
            throw error(item.location(), "session-timeout-ms must be a number of milliseconds, at least 100, not '"
                    + value + "'");
        }
        return Integer.parseInt(value);
    }
}

package org.qapi4j.vmm.cli;

import static org.qapi4j.vmm.cli.UsageException.error;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.qapi4j.vmm.cli.OptionWords.Item;

/**
 * Network addresses on the command line: {@code -incoming}'s migration URIs, {@code --nic}'s
 * HOST:PORT, and ports as QEMU resolves them (also for {@code -qmp tcp:}).
 */
final class Addresses {
    private Addresses() {
    }

    /** {@code inet_parse}'s three forms. */
    private static final Pattern PORT_ONLY = Pattern.compile(":([^,]{1,32})");
    private static final Pattern IPV6 = Pattern.compile("\\[([^\\]]{1,64})\\]:([^,]{1,32})");
    private static final Pattern HOST_COLON_PORT = Pattern.compile("([^:]{1,64}):([^,]{1,32})");
    /** {@code --nic}: {@code [IPV6]:PORT} or {@code HOST:PORT}. */
    private static final Pattern HOST_PORT = Pattern.compile("\\[([^\\]]+)\\]:(.*)|([^:\\[\\]]+):([^:]*)");

    /** {@code -incoming}: {@code qemu_start_incoming_migration}'s parsing, tcp: and unix: only. */
    static IncomingMigration incoming(String uri) throws UsageException {
        String location = "-incoming " + uri;
        if (uri.equals("defer")) {
            return new IncomingMigration.Defer();
        }
        if (uri.startsWith("unix:")) {
            if (uri.length() == 5) {
                throw error(location, "invalid Unix socket address");
            }
            return new IncomingMigration.Listen(new ListenAddress.Unix(Path.of(uri.substring(5))), uri);
        }
        if (uri.startsWith("tcp:")) {
            String address = uri.substring(4);
            String host;
            String port;
            int end;
            if (address.startsWith(":")) {
                Matcher m = PORT_ONLY.matcher(address);
                if (!m.lookingAt()) {
                    throw error(location, "error parsing port in address '" + address + "'");
                }
                host = "";
                port = m.group(1);
                end = m.end();
            } else if (address.startsWith("[")) {
                Matcher m = IPV6.matcher(address);
                if (!m.lookingAt()) {
                    throw error(location, "error parsing IPv6 address '" + address + "'");
                }
                host = m.group(1);
                port = m.group(2);
                end = m.end();
            } else {
                Matcher m = HOST_COLON_PORT.matcher(address);
                if (!m.lookingAt()) {
                    throw error(location, "error parsing address '" + address + "'");
                }
                host = m.group(1);
                port = m.group(2);
                end = m.end();
            }
            if (end < address.length()) {
                throw error(location, "options of migration addresses are not supported");
            }
            return new IncomingMigration.Listen(new ListenAddress.Tcp(host, inetPort(location, host, port)), uri);
        }
        for (String protocol : List.of("exec", "fd", "rdma", "vsock")) {
            if (uri.startsWith(protocol + ":")) {
                throw error(location, "migration protocol '" + protocol + "' is not supported: use tcp: or unix:");
            }
        }
        throw error(location, "unknown migration protocol: " + uri);
    }

    /** {@code --nic HOST:PORT}. */
    static ListenAddress.Tcp nic(Item item, String arg) throws UsageException {
        Matcher m = HOST_PORT.matcher(arg);
        if (!m.matches()) {
            throw error(item.location(), "expected HOST:PORT, such as 127.0.0.1:0");
        }
        boolean v6 = m.group(1) != null;
        return new ListenAddress.Tcp(v6 ? m.group(1) : m.group(3), port(item, v6 ? m.group(2) : m.group(4)));
    }

    /**
     * A port as QEMU resolves it, numbers only (QEMU's {@code getaddrinfo} also takes service
     * names): not a number is what QEMU says for an unknown service; a number above 65535 QEMU
     * takes modulo 2^16, we refuse it.
     */
    static int inetPort(String location, String host, String port) throws UsageException {
        if (!port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw error(location, "address resolution failed for " + host + ":" + port
                    + ": Servname not supported for ai_socktype");
        }
        if (port.length() > 5 || Integer.parseInt(port) > 65535) {
            throw error(location, "port " + port + " is out of range: 0 to 65535");
        }
        return Integer.parseInt(port);
    }

    private static int port(Item item, String port) throws UsageException {
        if (port.isEmpty() || !port.chars().allMatch(c -> c >= '0' && c <= '9') || port.length() > 5
                || Integer.parseInt(port) > 65535) {
            throw error(item.location(), "port '" + port + "' is not a number from 0 to 65535");
        }
        return Integer.parseInt(port);
    }
}

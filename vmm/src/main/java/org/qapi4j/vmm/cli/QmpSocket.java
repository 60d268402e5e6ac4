package org.qapi4j.vmm.cli;

import static org.qapi4j.vmm.cli.UsageException.error;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.qapi4j.vmm.cli.OptionWords.Item;
import org.qapi4j.vmm.cli.QemuSyntax.Opt;
import org.qapi4j.vmm.cli.QemuSyntax.SyntaxError;
import org.qapi4j.vmm.cli.QemuSyntax.Type;

/** A {@code -qmp} socket's parameters, checked after the second pass as QEMU checks a chardev. */
record QmpSocket(List<Opt> opts) {
    /** The parameters of QEMU 7.2's {@code -chardev} ({@code qemu_chardev_opts}), by type. */
    private static final Map<String, Type> CHARDEV_OPTS = chardevOpts();

    private static Map<String, Type> chardevOpts() {
        Map<String, Type> opts = new LinkedHashMap<>();
        for (String s : List.of("backend", "path", "host", "port", "fd", "localaddr", "localport", "tls-creds",
                "tls-authz", "name", "chardev", "logfile")) {
            opts.put(s, Type.STRING);
        }
        for (String b : List.of("ipv4", "ipv6", "wait", "server", "delay", "nodelay", "telnet", "tn3270",
                "websocket", "mux", "signal", "append", "logappend", "mouse", "clipboard", "tight", "abstract")) {
            opts.put(b, Type.BOOL);
        }
        for (String n : List.of("to", "reconnect", "width", "height", "cols", "rows", "debug")) {
            opts.put(n, Type.NUMBER);
        }
        opts.put("size", Type.SIZE);
        return Map.copyOf(opts);
    }

    /** What QEMU's {@code qemu_chr_parse_compat} knows besides unix: and tcp: (prefixes or names). */
    private static final List<String> OTHER_CHARDEV_PREFIXES = List.of("vc", "COM", "file:", "pipe:", "telnet:",
            "tn3270:", "websocket:", "udp:", "/dev/");
    private static final Set<String> OTHER_CHARDEV_NAMES = Set.of("null", "pty", "msmouse", "wctablet", "braille",
            "testdev", "stdio", "con:");

    /** tcp:HOST:PORT as {@code qemu_chr_parse_compat} scans it ({@code %64[^:]:%32[^,]}, or {@code :%32[^,]}). */
    private static final Pattern TCP_COMPAT = Pattern.compile("(?:([^:]{1,64}):|:)([^,]{1,32})");

    /** {@code -qmp}: {@code monitor_parse} and {@code qemu_chr_parse_compat}, unix: and tcp: only. */
    static QmpSocket parse(Item item, String arg) throws SyntaxError, UsageException {
        if (arg.startsWith("chardev:")) {
            // We have no -chardev, so no character device of that name exists.
            throw new SyntaxError("chardev \"" + arg.substring("chardev:".length()) + "\" not found");
        }
        String unsupported = "only unix: and tcp: monitors are supported";
        if (arg.startsWith("mon:") || OTHER_CHARDEV_NAMES.contains(arg)
                || OTHER_CHARDEV_PREFIXES.stream().anyMatch(arg::startsWith)) {
            throw error(item.location(), unsupported);
        }
        List<Opt> opts;
        if (arg.startsWith("tcp:")) {
            String p = arg.substring(4);
            Matcher m = TCP_COMPAT.matcher(p);
            if (!m.lookingAt()) {
                throw new SyntaxError("parse error: " + arg);
            }
            String host = m.group(1) != null ? m.group(1) : "";
            String port = m.group(2);
            opts = new ArrayList<>();
            opts.add(new Opt("host", host));
            opts.add(new Opt("port", port));
            String rest = p.substring(m.end());
            if (rest.startsWith(",")) {
                opts.addAll(QemuSyntax.parseOpts(rest.substring(1), null, CHARDEV_OPTS));
            }
        } else if (arg.startsWith("unix:")) {
            opts = QemuSyntax.parseOpts(arg.substring(5), "path", CHARDEV_OPTS);
        } else {
            throw new SyntaxError("'" + arg + "' is not a valid char driver");
        }
        return new QmpSocket(opts);
    }

    private @Nullable String last(String name) {
        String value = null;
        for (Opt opt : opts) {
            if (opt.name().equals(name)) {
                value = opt.value();
            }
        }
        return value;
    }

    private boolean bool(String name, boolean otherwise) throws SyntaxError {
        String value = last(name);
        return value == null ? otherwise : QemuSyntax.parseBool(name, value);
    }

    /** {@code qemu_chr_parse_socket}, {@code qmp_chardev_validate_socket}, then our limits. */
    ListenAddress check(Item item) throws UsageException {
        String location = item.location();
        try {
            String path = last("path");
            String host = last("host");
            String port = last("port");
            String fd = last("fd");
            int given = (path != null ? 1 : 0) + (host != null ? 1 : 0) + (fd != null ? 1 : 0);
            if (given > 1) {
                throw error(location, "None or one of 'path', 'fd' or 'host' option required.");
            }
            if (host != null && port == null) {
                throw error(location, "chardev: socket: no port given");
            }
            if (last("delay") != null && last("nodelay") != null) {
                throw error(location, "'delay' and 'nodelay' are mutually exclusive");
            }
            boolean server = bool("server", false);
            if (!server && last("wait") != null) {
                throw error(location, "'wait' option is incompatible with socket in client connect mode");
            }
            for (Opt opt : opts) {
                if (!Set.of("path", "host", "port", "server", "wait").contains(opt.name())) {
                    throw error(location, "parameter '" + opt.name() + "' is not supported");
                }
            }
            if (path == null && host == null) {
                throw error(location, "a socket path is required: unix:PATH");
            }
            if (!server) {
                throw error(location, "client mode is not supported: add server=on");
            }
            if (bool("wait", true)) {
                throw error(location, "waiting for a client is not supported: add wait=off");
            }
            if (path != null) {
                if (path.isEmpty()) {
                    throw error(location, "a socket path is required: unix:PATH");
                }
                return new ListenAddress.Unix(Path.of(path));
            }
            return new ListenAddress.Tcp(host, Addresses.inetPort(location, host, port));
        } catch (SyntaxError e) {
            throw new AssertionError("checked while parsing", e);
        }
    }
}

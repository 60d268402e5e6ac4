package org.qapi4j.vmm.cli;

import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.qapi4j.vmm.cli.QemuSyntax.KeyValue;
import org.qapi4j.vmm.cli.QemuSyntax.Opt;
import org.qapi4j.vmm.cli.QemuSyntax.SyntaxError;
import org.qapi4j.vmm.cli.QemuSyntax.Type;

/**
 * The command line of {@code bin/vmm}: QEMU 7.2's options where QEMU has them, spelled and
 * checked as {@code qemu-system-x86_64} spells and checks them, and the VMM's own, which take two
 * dashes ({@code --guest}, {@code --nic}, {@code --disk}, {@code --serial}).
 *
 * <p>A refused command line is one line on standard error and exit status 1, worded as QEMU 7.2
 * words it where QEMU has the option, with our program name: {@code vmm: -foo: invalid option},
 * {@code vmm: -m: requires an argument}, {@code vmm: -m abc: Parameter 'size' expects a
 * non-negative number below 2^64}, {@code vmm: -uuid x: failed to parse UUID string: wrong
 * format}. Where QEMU prints more than one line, we print the line that says what is wrong: its
 * first (QEMU's hint on size suffixes, and the "parse error" line it adds after a bad {@code
 * -qmp}, are left out). Where QEMU would accept what our VMM does not have, the line is ours,
 * in the same form ({@code vmm: -qmp stdio: only unix: and tcp: monitors are supported}).
 *
 * <p>The parser is written by hand rather than with picocli, although picocli is on the class
 * path: QEMU's conventions are not those of a GNU-style parser, and matching them is the point.
 * QEMU takes {@code -name} and {@code --name} alike but has no {@code --name=VALUE}; an option
 * that takes an argument takes the next word whatever it looks like ({@code -m -S} is a size of
 * "-S"); it reports unknown options and missing arguments in a first pass over all words, and
 * everything else in a second pass, in order, where {@code -h} stops at once; its option
 * arguments are QemuOpts and keyval lists with their own error texts. Expressing all that
 * through picocli's model would take more code than the parser, and its messages would still
 * have to be replaced.
 *
 * <p>The options (see {@link #helpText()}):
 * <ul>
 *   <li>{@code -qmp unix:PATH,server=on,wait=off} and {@code -qmp tcp:[HOST]:PORT,server=on,wait=off},
 *       repeatable, QEMU's short forms {@code server}, {@code nowait} and {@code noserver}
 *       included, booleans as QEMU reads them ({@code on/yes/true/y}, {@code off/no/false/n}).
 *       The monitor must be a server that does not wait: QEMU's client mode (no {@code server})
 *       and {@code wait=on} (QEMU's default with {@code server}) are refused, as are QEMU's
 *       other character devices and socket parameters; parameter names QEMU does not know get
 *       QEMU's "Invalid parameter 'x'".
 *   <li>{@code -m [size=]SIZE}: QEMU's syntax (a plain number is MiB, suffixes B, K, M, G, T,
 *       P, E, fractions such as {@code 1.5G}, hexadecimal), 0 or nothing for QEMU's default 128
 *       MiB, rounded up to 8 KiB as QEMU does; repeated, the last size counts. QEMU's {@code
 *       slots} and {@code maxmem} (memory hotplug) are refused.
 *   <li>{@code -S}; {@code -incoming defer}, {@code -incoming tcp:[HOST]:PORT}, {@code -incoming
 *       unix:PATH} (the last one counts; QEMU's {@code exec:}, {@code fd:}, {@code rdma:} and
 *       {@code vsock:} are refused).
 *   <li>{@code -name [guest=]NAME[,process=P][,debug-threads=on|off]}: {@code process} and
 *       {@code debug-threads} are accepted and have no effect.
 *   <li>{@code -uuid UUID} in QEMU's form (36 characters, hyphens at QEMU's places).
 *   <li>{@code -nodefaults}, {@code -nographic}, {@code -display none}: accepted, no effect; the
 *       VMM has no display and no default devices ({@code -nographic} does not move the serial
 *       port to standard output as QEMU's does: that is {@code --serial stdio}). Other displays
 *       are refused.
 *   <li>{@code -machine none} or {@code -M none} (also {@code type=none}): our one machine, which
 *       is also the default. Other types are QEMU's "unsupported machine type", other
 *       properties QEMU's "Property 'none-machine.x' not found" ({@code accel} is refused in our
 *       words).
 *   <li>{@code -no-shutdown}, {@code -no-reboot}: as QEMU's.
 *   <li>{@code -h}, {@code -help}, {@code --help}; {@code -version}, {@code --version}.
 *   <li>Ours: {@code --guest PROGRAM[,key=value...]} ({@code kvstore}, the default, or {@code
 *       dirty[,rate=N][,wss=SIZE]}), {@code --nic HOST:PORT} (default {@code 127.0.0.1:0}, any
 *       free port), {@code --disk PATH[,size=SIZE]} (once), {@code --serial PATH|stdio|none}
 *       (default {@code none}). Single-valued options other than {@code --disk} may be
 *       repeated, and the last one counts, as in QEMU. Ours take no single-dash form: {@code
 *       -nic} and {@code -serial} are QEMU options we do not have.
 * </ul>
 */
public final class VmmCommandLine {
    /** The program name that starts each error line. */
    public static final String PROGRAM = "vmm";

    private record Spec(String name, boolean hasArg) {
    }

    /** QEMU's options we take, by name without dashes; each also with two dashes, as in QEMU. */
    private static final Map<String, Spec> QEMU_OPTIONS = specs(
            "h", false, "help", false, "version", false, "m", true, "S", false, "incoming", true,
            "name", true, "uuid", true, "nodefaults", false, "display", true, "nographic", false,
            "machine", true, "M", true, "qmp", true, "no-shutdown", false, "no-reboot", false);

    /** Our own options, two dashes only. */
    private static final Map<String, Spec> OWN_OPTIONS = specs(
            "guest", true, "nic", true, "disk", true, "serial", true);

    private static Map<String, Spec> specs(Object... nameAndHasArg) {
        Map<String, Spec> specs = new LinkedHashMap<>();
        for (int i = 0; i < nameAndHasArg.length; i += 2) {
            String name = (String) nameAndHasArg[i];
            specs.put(name, new Spec(name, (Boolean) nameAndHasArg[i + 1]));
        }
        return Map.copyOf(specs);
    }

    private static final Map<String, Type> MEMORY_OPTS = Map.of("size", Type.SIZE, "slots", Type.NUMBER,
            "maxmem", Type.SIZE);
    private static final Map<String, Type> NAME_OPTS = Map.of("guest", Type.STRING, "process", Type.STRING,
            "debug-threads", Type.BOOL);
    private static final Map<String, Type> DISK_OPTS = Map.of("path", Type.STRING, "size", Type.SIZE);
    private static final Map<String, Type> DIRTY_OPTS = Map.of("rate", Type.NUMBER, "wss", Type.SIZE);

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

    /** QEMU 7.2's display types ({@code DisplayType}); {@code vnc} is handled before them. */
    private static final Set<String> DISPLAY_TYPES = Set.of("default", "none", "gtk", "sdl", "egl-headless",
            "curses", "cocoa", "spice-app", "dbus");

    private static final Pattern UUID_FORM = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private VmmCommandLine() {
    }

    /** One option with its argument, or one positional word, as the first pass found it. */
    private record Item(@Nullable Spec spec, String word, @Nullable String arg) {
        /** QEMU's location for messages: the option as typed, then its argument. */
        String location() {
            return arg == null ? word : word + " " + arg;
        }
    }

    /**
     * Parses {@code args} (without the program name).
     *
     * @return the options; for {@code --help} or {@code --version} the defaults with that {@link
     *     VmmOptions#action()}
     * @throws UsageException with the one line to print, for a command line QEMU would refuse or
     *     that asks for what the VMM does not have
     */
    public static VmmOptions parse(String... args) throws UsageException {
        List<Item> items = firstPass(args);
        return new Parser().run(items);
    }

    /** QEMU's first pass ({@code lookup_opt} over every word): unknown options, missing arguments. */
    private static List<Item> firstPass(String[] args) throws UsageException {
        List<Item> items = new ArrayList<>();
        int i = 0;
        while (i < args.length) {
            String word = args[i];
            if (!word.startsWith("-")) {
                items.add(new Item(null, word, null));
                i++;
                continue;
            }
            Spec spec;
            if (word.startsWith("--")) {
                String name = word.substring(2);
                spec = OWN_OPTIONS.containsKey(name) ? OWN_OPTIONS.get(name) : QEMU_OPTIONS.get(name);
            } else {
                spec = QEMU_OPTIONS.get(word.substring(1));
            }
            if (spec == null) {
                throw error(word, "invalid option");
            }
            if (spec.hasArg()) {
                if (i + 1 >= args.length) {
                    throw error(word, "requires an argument");
                }
                items.add(new Item(spec, word, args[i + 1]));
                i += 2;
            } else {
                items.add(new Item(spec, word, null));
                i++;
            }
        }
        return items;
    }

    private static UsageException error(String location, String message) {
        return new UsageException(PROGRAM + ": " + location + ": " + message);
    }

    private static UsageException error(String message) {
        return new UsageException(PROGRAM + ": " + message);
    }

    /** The second pass and what QEMU checks after it, with the state they build up. */
    private static final class Parser {
        private final List<ListenAddress> qmp = new ArrayList<>();
        private final List<Item> qmpItems = new ArrayList<>();
        private final List<QmpSocket> qmpSockets = new ArrayList<>();
        private @Nullable String memorySize;
        private boolean startPaused;
        private @Nullable String incoming;
        private Optional<String> name = Optional.empty();
        private Optional<UUID> uuid = Optional.empty();
        private boolean noDefaults;
        private boolean noShutdown;
        private boolean noReboot;
        private String machineType = "none";
        private final Map<String, Item> machineProperties = new LinkedHashMap<>();
        private GuestProgram guest = new GuestProgram.KvStore();
        private ListenAddress.Tcp nic = VmmOptions.DEFAULT_NIC;
        private Optional<DiskSpec> disk = Optional.empty();
        private SerialSpec serial = new SerialSpec.None();

        VmmOptions run(List<Item> items) throws UsageException {
            for (Item item : items) {
                Spec spec = item.spec();
                if (spec == null) {
                    throw error(item.word(),
                            "positional arguments are not supported (a disk image is given with --disk PATH)");
                }
                String arg = item.arg();
                try {
                    switch (spec.name()) {
                        case "h", "help" -> {
                            return options(VmmOptions.Action.HELP);
                        }
                        case "version" -> {
                            return options(VmmOptions.Action.VERSION);
                        }
                        case "m" -> memory(item, arg);
                        case "S" -> startPaused = true;
                        case "incoming" -> incoming = arg;
                        case "name" -> name(arg);
                        case "uuid" -> uuid(arg);
                        case "nodefaults" -> noDefaults = true;
                        case "display" -> display(item, arg);
                        case "nographic" -> {
                            // accepted: there is no display to turn off
                        }
                        case "machine", "M" -> machine(item, arg);
                        case "qmp" -> qmp(item, arg);
                        case "no-shutdown" -> noShutdown = true;
                        case "no-reboot" -> noReboot = true;
                        case "guest" -> guest(item, arg);
                        case "nic" -> nic(item, arg);
                        case "disk" -> disk(item, arg);
                        case "serial" -> serial(item, arg);
                        default -> throw new AssertionError(spec);
                    }
                } catch (SyntaxError e) {
                    throw error(item.location(), e.getMessage());
                }
            }
            // What QEMU checks after its second pass, in its order: the machine type, the
            // monitors' sockets, the machine's properties and memory, the incoming migration.
            if (!machineType.equals("none")) {
                throw error("unsupported machine type");
            }
            for (int i = 0; i < qmpSockets.size(); i++) {
                qmp.add(qmpSockets.get(i).check(qmpItems.get(i)));
            }
            for (Map.Entry<String, Item> property : machineProperties.entrySet()) {
                if (property.getKey().equals("accel")) {
                    throw error(property.getValue().location(),
                            "parameter 'accel' is not supported: the VMM has no accelerators");
                }
                throw error("Property 'none-machine." + property.getKey() + "' not found");
            }
            long memory = memoryBytes();
            Optional<IncomingMigration> migration = Optional.empty();
            if (incoming != null) {
                migration = Optional.of(incoming(incoming));
            }
            return new VmmOptions(VmmOptions.Action.RUN, qmp, memory, startPaused, migration, name, uuid, noDefaults,
                    noShutdown, noReboot, guest, nic, disk, serial);
        }

        private VmmOptions options(VmmOptions.Action action) {
            VmmOptions d = VmmOptions.defaults();
            return new VmmOptions(action, d.qmp(), d.memoryBytes(), d.startPaused(), d.incoming(), d.name(),
                    d.uuid(), d.noDefaults(), d.noShutdown(), d.noReboot(), d.guest(), d.nic(), d.disk(),
                    d.serial());
        }

        /**
         * {@code -m}: QemuOpts list "memory" (merged across options, implied {@code size}); the
         * size is checked here as bytes, as QEMU checks it while parsing.
         */
        private void memory(Item item, String arg) throws SyntaxError, UsageException {
            if (QemuSyntax.hasId(arg)) {
                throw new SyntaxError("Invalid parameter 'id'");
            }
            for (Opt opt : QemuSyntax.parseOpts(arg, "size", MEMORY_OPTS)) {
                if (opt.name().equals("size")) {
                    memorySize = opt.value();
                } else {
                    throw error(item.location(),
                            "parameter '" + opt.name() + "' is not supported: the VMM has no memory hotplug");
                }
            }
        }

        /**
         * The memory size as QEMU's machine takes it ({@code parse_memory_options}, {@code
         * machine_set_mem}): a size that reads as 0 means the default; a size ending in a digit
         * is MiB; the result rounds up to 8 KiB.
         */
        private long memoryBytes() throws UsageException {
            if (memorySize == null) {
                return VmmOptions.DEFAULT_MEMORY_BYTES;
            }
            BigInteger bytes;
            try {
                bytes = QemuSyntax.strtosz(memorySize, 'B');
            } catch (QemuSyntax.SizeError e) {
                throw new AssertionError("checked while parsing: " + memorySize, e);
            }
            if (bytes.signum() == 0) {
                return VmmOptions.DEFAULT_MEMORY_BYTES;
            }
            String machineSize = memorySize;
            if (Character.isDigit(machineSize.charAt(machineSize.length() - 1))) {
                machineSize += "M";
            }
            try {
                bytes = QemuSyntax.strtosz(machineSize, 'B');
            } catch (QemuSyntax.SizeError e) {
                throw error("Parameter 'memory.size' expects size");
            }
            BigInteger aligned = bytes.add(BigInteger.valueOf(8191)).shiftRight(13).shiftLeft(13);
            if (aligned.bitLength() > 63) {
                // QEMU's rounding wraps around 2^64 here; the VMM cannot have such a machine anyway.
                throw error("ram size too large");
            }
            return aligned.longValueExact();
        }

        /** {@code -name}: QemuOpts list "name" (merged, implied {@code guest}). */
        private void name(String arg) throws SyntaxError {
            if (QemuSyntax.hasId(arg)) {
                throw new SyntaxError("Invalid parameter 'id'");
            }
            for (Opt opt : QemuSyntax.parseOpts(arg, "guest", NAME_OPTS)) {
                if (opt.name().equals("guest")) {
                    name = Optional.of(opt.value());
                }
            }
        }

        /** {@code -uuid}: {@code qemu_uuid_parse}. */
        private void uuid(String arg) throws SyntaxError {
            if (!UUID_FORM.matcher(arg).matches()) {
                throw new SyntaxError("failed to parse UUID string: wrong format");
            }
            uuid = Optional.of(UUID.fromString(arg));
        }

        /** {@code -display}: {@code parse_display}, of which we take {@code none} only. */
        private void display(Item item, String arg) throws SyntaxError, UsageException {
            if (arg.equals("none")) {
                return;
            }
            String unsupported = "only '-display none' is supported: the VMM has no display";
            if (arg.startsWith("vnc")) {
                throw error(item.location(), unsupported);
            }
            String type = null;
            for (KeyValue kv : QemuSyntax.parseKeyval(arg, "type")) {
                if (kv.key().equals("type")) {
                    type = kv.value();
                }
            }
            if (type == null) {
                throw new SyntaxError("Parameter 'type' is missing");
            }
            if (!DISPLAY_TYPES.contains(type)) {
                throw new SyntaxError("Parameter 'type' does not accept value '" + type + "'");
            }
            throw error(item.location(), unsupported);
        }

        /** {@code -machine}: keyval, implied {@code type}, merged across options. */
        private void machine(Item item, String arg) throws SyntaxError {
            for (KeyValue kv : QemuSyntax.parseKeyval(arg, "type")) {
                if (kv.key().equals("type")) {
                    machineType = kv.value();
                } else {
                    machineProperties.put(kv.key(), item);
                }
            }
        }

        /** {@code -qmp}: {@code monitor_parse} and {@code qemu_chr_parse_compat}, unix: and tcp: only. */
        private void qmp(Item item, String arg) throws SyntaxError, UsageException {
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
            qmpItems.add(item);
            qmpSockets.add(new QmpSocket(opts));
        }

        /** {@code --guest PROGRAM[,key=value...]}. */
        private void guest(Item item, String arg) throws SyntaxError, UsageException {
            int comma = arg.indexOf(',');
            String program = comma < 0 ? arg : arg.substring(0, comma);
            String params = comma < 0 ? "" : arg.substring(comma + 1);
            if (program.isEmpty() || program.contains("=")) {
                throw error(item.location(), "no guest program given: choose kvstore or dirty");
            }
            switch (program) {
                case "kvstore" -> {
                    QemuSyntax.parseOpts(params, null, Map.of());
                    guest = new GuestProgram.KvStore();
                }
                case "dirty" -> {
                    OptionalLong rate = OptionalLong.empty();
                    OptionalLong wss = OptionalLong.empty();
                    for (Opt opt : QemuSyntax.parseOpts(params, null, DIRTY_OPTS)) {
                        if (opt.name().equals("rate")) {
                            rate = OptionalLong.of(QemuSyntax.parseNumber("rate", opt.value()));
                        } else {
                            wss = OptionalLong.of(bytes(item, "wss", opt.value()));
                        }
                    }
                    guest = new GuestProgram.Dirty(rate, wss);
                }
                default -> throw error(item.location(),
                        "unknown guest program '" + program + "': choose kvstore or dirty");
            }
        }

        /** {@code --nic HOST:PORT}. */
        private void nic(Item item, String arg) throws UsageException {
            Matcher m = HOST_PORT.matcher(arg);
            if (!m.matches()) {
                throw error(item.location(), "expected HOST:PORT, such as 127.0.0.1:0");
            }
            boolean v6 = m.group(1) != null;
            nic = new ListenAddress.Tcp(v6 ? m.group(1) : m.group(3), port(item, v6 ? m.group(2) : m.group(4)));
        }

        /** {@code --disk PATH[,size=SIZE]}: QemuOpts syntax, implied {@code path}. */
        private void disk(Item item, String arg) throws SyntaxError, UsageException {
            if (disk.isPresent()) {
                throw error(item.location(), "only one disk is supported");
            }
            String path = null;
            OptionalLong size = OptionalLong.empty();
            for (Opt opt : QemuSyntax.parseOpts(arg, "path", DISK_OPTS)) {
                if (opt.name().equals("path")) {
                    path = opt.value();
                } else {
                    size = OptionalLong.of(bytes(item, "size", opt.value()));
                }
            }
            if (path == null || path.isEmpty()) {
                throw error(item.location(), "no image file given: --disk PATH[,size=SIZE]");
            }
            disk = Optional.of(new DiskSpec(Path.of(path), size));
        }

        /** {@code --serial PATH|stdio|none}. */
        private void serial(Item item, String arg) throws UsageException {
            serial = switch (arg) {
                case "none" -> new SerialSpec.None();
                case "stdio" -> new SerialSpec.Stdio();
                case "" -> throw error(item.location(), "expected PATH, stdio or none");
                default -> new SerialSpec.File(Path.of(arg));
            };
        }

        /** A size parameter of ours: QEMU's syntax, bytes by default, at most 2^63 - 1. */
        private long bytes(Item item, String name, String value) throws SyntaxError, UsageException {
            BigInteger bytes = QemuSyntax.parseSizeParameter(name, value);
            if (bytes.bitLength() > 63) {
                throw error(item.location(), "Value '" + value + "' is out of range for parameter '" + name + "'");
            }
            return bytes.longValueExact();
        }

        /** {@code -incoming}: {@code qemu_start_incoming_migration}'s parsing, tcp: and unix: only. */
        private IncomingMigration incoming(String uri) throws UsageException {
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
    }

    /** tcp:HOST:PORT as {@code qemu_chr_parse_compat} scans it ({@code %64[^:]:%32[^,]}, or {@code :%32[^,]}). */
    private static final Pattern TCP_COMPAT = Pattern.compile("(?:([^:]{1,64}):|:)([^,]{1,32})");
    /** {@code inet_parse}'s three forms. */
    private static final Pattern PORT_ONLY = Pattern.compile(":([^,]{1,32})");
    private static final Pattern IPV6 = Pattern.compile("\\[([^\\]]{1,64})\\]:([^,]{1,32})");
    private static final Pattern HOST_COLON_PORT = Pattern.compile("([^:]{1,64}):([^,]{1,32})");
    /** {@code --nic}: {@code [IPV6]:PORT} or {@code HOST:PORT}. */
    private static final Pattern HOST_PORT = Pattern.compile("\\[([^\\]]+)\\]:(.*)|([^:\\[\\]]+):([^:]*)");

    /**
     * A port as QEMU resolves it, numbers only (QEMU's {@code getaddrinfo} also takes service
     * names): not a number is what QEMU says for an unknown service; a number above 65535 QEMU
     * takes modulo 2^16, we refuse it.
     */
    private static int inetPort(String location, String host, String port) throws UsageException {
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

    /** A {@code -qmp} socket's parameters, checked after the second pass as QEMU checks a chardev. */
    private record QmpSocket(List<Opt> opts) {
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
                return new ListenAddress.Tcp(host, inetPort(location, host, port));
            } catch (SyntaxError e) {
                throw new AssertionError("checked while parsing", e);
            }
        }
    }

    // ---- help, version and main ---------------------------------------------------------------

    /** The text {@code --help} prints. */
    public static String helpText() {
        return """
                usage: vmm [options]

                A virtual machine monitor that clients manage over QMP as they manage
                QEMU 7.2. Options that QEMU has are spelled as in QEMU (one dash or two);
                the VMM's own options take two dashes.

                QEMU's options:
                  -qmp unix:PATH,server=on,wait=off
                  -qmp tcp:[HOST]:PORT,server=on,wait=off
                          serve QMP on a Unix socket or a TCP port; repeatable
                          ('server,nowait' works too; the VMM never waits for a client).
                          Without -qmp (and without -nodefaults) the VMM serves QMP on
                          the Unix socket vmm-qmp.sock in the working directory
                  -m [size=]SIZE
                          guest RAM: a plain number is MiB, or give a suffix
                          B, K, M, G or T (default 128M)
                  -S      do not start the guest: wait for 'cont'
                  -incoming tcp:[HOST]:PORT | unix:PATH | defer
                          wait for the guest to arrive by migration ('defer': the
                          address comes later, with 'migrate-incoming')
                  -name [guest=]NAME
                          the machine's name ('query-name')
                  -uuid UUID
                          the machine's UUID ('query-uuid')
                  -no-shutdown
                          when the guest shuts down, keep the machine (run state
                          'shutdown') instead of exiting
                  -no-reboot
                          when the guest resets, shut down instead
                  -machine none, -M none
                          the VMM's one machine (the default)
                  -nodefaults
                          no default QMP socket (see -qmp)
                  -nographic, -display none
                          accepted; the VMM has no display
                  -h, -help
                          print this help and exit
                  -version
                          print the version and exit

                The VMM's own options:
                  --guest PROGRAM[,key=value...]
                          what the guest runs: 'kvstore' (the default), a key-value
                          store served on the NIC, or 'dirty[,rate=N][,wss=SIZE]',
                          which writes N pages a second within SIZE bytes of RAM
                  --nic HOST:PORT
                          where the NIC listens (default 127.0.0.1:0: any free
                          port; the VMM prints where it listens)
                  --disk PATH[,size=SIZE]
                          the disk's image file; size: the disk's size, in bytes
                          unless a suffix says otherwise
                  --serial PATH|stdio|none
                          where the serial port writes (default none)
                  --help, --version
                          as -help and -version
                """;
    }

    /** The text {@code --version} prints. */
    public static String versionText() {
        String version = VmmCommandLine.class.getPackage().getImplementationVersion();
        return "vmm (qapi4j) " + (version == null ? "development version" : version) + "\n"
                + "Machine and QMP modelled on QEMU 7.2.0\n";
    }

    /** What {@link #invoke} asks its caller to do. */
    public sealed interface Invocation {
        /** Start the machine with these options. */
        record Run(VmmOptions options) implements Invocation {
        }

        /** Exit now with this status: the help, the version or the error has been printed. */
        record Exit(int status) implements Invocation {
        }
    }

    /**
     * What {@code bin/vmm}'s {@code main} does with its arguments: parses them; prints the help
     * or the version to {@code out} (status 0), or the error line to {@code err} (status 1).
     */
    public static Invocation invoke(String[] args, PrintStream out, PrintStream err) {
        VmmOptions options;
        try {
            options = parse(args);
        } catch (UsageException e) {
            err.println(e.getMessage());
            err.flush();
            return new Invocation.Exit(1);
        }
        switch (options.action()) {
            case HELP -> {
                out.print(helpText());
                out.flush();
                return new Invocation.Exit(0);
            }
            case VERSION -> {
                out.print(versionText());
                out.flush();
                return new Invocation.Exit(0);
            }
            default -> {
                return new Invocation.Run(options);
            }
        }
    }
}

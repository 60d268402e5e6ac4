package org.qapi4j.vmm.cli;

import static org.qapi4j.vmm.cli.UsageException.error;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.qapi4j.vmm.cli.OptionWords.Item;
import org.qapi4j.vmm.cli.QemuKeyval.KeyValue;
import org.qapi4j.vmm.cli.QemuSyntax.Opt;
import org.qapi4j.vmm.cli.QemuSyntax.SyntaxError;
import org.qapi4j.vmm.cli.QemuSyntax.Type;

/**
 * QEMU's options of {@code bin/vmm} ({@code -qmp}, {@code -m}, {@code -S}, {@code -incoming},
 * {@code -name}, {@code -uuid}, {@code -machine}, {@code -display}, {@code -mem-prealloc} ...): each taken as QEMU's
 * second pass takes it, then what QEMU checks after that pass, in QEMU's order.
 */
final class QemuOptions {
    private static final Map<String, Type> MEMORY_OPTS = Map.of("size", Type.SIZE, "slots", Type.NUMBER,
            "maxmem", Type.SIZE);
    private static final Map<String, Type> NAME_OPTS = Map.of("guest", Type.STRING, "process", Type.STRING,
            "debug-threads", Type.BOOL);

    /** QEMU 7.2's display types ({@code DisplayType}); {@code vnc} is handled before them. */
    private static final Set<String> DISPLAY_TYPES = Set.of("default", "none", "gtk", "sdl", "egl-headless",
            "curses", "cocoa", "spice-app", "dbus");

    private static final Pattern UUID_FORM = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

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
    private boolean memPrealloc;
    private String machineType = "none";
    private final Map<String, Item> machineProperties = new LinkedHashMap<>();

    /** Takes one of QEMU's options (not {@code -h} or {@code -version}), as QEMU's second pass does. */
    void take(Item item, String option, String arg) throws SyntaxError, UsageException {
        switch (option) {
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
            case "mem-prealloc" -> memPrealloc = true;
            default -> throw new AssertionError(option);
        }
    }

    /**
     * What QEMU checks after its second pass, in its order: the machine type, the monitors'
     * sockets, the machine's properties and memory, the incoming migration; then the options,
     * with {@code own}'s.
     */
    VmmOptions options(OwnOptions own) throws UsageException {
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
            migration = Optional.of(Addresses.incoming(incoming));
        }
        return new VmmOptions(VmmOptions.Action.RUN, qmp, memory, startPaused, migration, name, uuid, noDefaults,
                noShutdown, noReboot, own.guest(), own.nic(), own.disk(), own.serial(), own.coloFaults(),
                own.coloArbiter(), memPrealloc);
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
            bytes = QemuSize.strtosz(memorySize, 'B');
        } catch (QemuSize.SizeError e) {
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
            bytes = QemuSize.strtosz(machineSize, 'B');
        } catch (QemuSize.SizeError e) {
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
        for (KeyValue kv : QemuKeyval.parseKeyval(arg, "type")) {
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
        for (KeyValue kv : QemuKeyval.parseKeyval(arg, "type")) {
            if (kv.key().equals("type")) {
                machineType = kv.value();
            } else {
                machineProperties.put(kv.key(), item);
            }
        }
    }

    /** {@code -qmp}: see {@link QmpSocket#parse}. */
    private void qmp(Item item, String arg) throws SyntaxError, UsageException {
        qmpSockets.add(QmpSocket.parse(item, arg));
        qmpItems.add(item);
    }
}

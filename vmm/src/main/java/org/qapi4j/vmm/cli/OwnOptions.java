package org.qapi4j.vmm.cli;

import static org.qapi4j.vmm.cli.UsageException.error;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.qapi4j.vmm.cli.OptionWords.Item;
import org.qapi4j.vmm.cli.QemuSyntax.Opt;
import org.qapi4j.vmm.cli.QemuSyntax.SyntaxError;
import org.qapi4j.vmm.cli.QemuSyntax.Type;

/**
 * The VMM's own options, two dashes only: {@code --guest}, {@code --nic}, {@code --disk} and
 * {@code --serial}, in QEMU's syntax where they have parameters.
 */
final class OwnOptions {
    private static final Map<String, Type> DISK_OPTS = Map.of("path", Type.STRING, "size", Type.SIZE);
    private static final Map<String, Type> DIRTY_OPTS = Map.of("rate", Type.NUMBER, "wss", Type.SIZE, "fill",
            Type.STRING);

    private GuestProgram guest = new GuestProgram.KvStore();
    private ListenAddress.Tcp nic = VmmOptions.DEFAULT_NIC;
    private Optional<DiskSpec> disk = Optional.empty();
    private SerialSpec serial = new SerialSpec.None();
    private final List<ColoFault> coloFaults = new ArrayList<>();
    private Optional<ColoArbiter> coloArbiter = Optional.empty();

    /** Takes one of our options. */
    void take(Item item, String option, String arg) throws SyntaxError, UsageException {
        switch (option) {
            case "guest" -> guest(item, arg);
            case "nic" -> nic(item, arg);
            case "disk" -> disk(item, arg);
            case "serial" -> serial(item, arg);
            case "colo-fault" -> coloFaults.add(ColoFaults.parse(item, arg));
            case "colo-arbiter" -> coloArbiter = Optional.of(ColoArbiters.parse(item, arg));
            default -> throw new AssertionError(option);
        }
    }

    GuestProgram guest() {
        return guest;
    }

    ListenAddress.Tcp nic() {
        return nic;
    }

    Optional<DiskSpec> disk() {
        return disk;
    }

    SerialSpec serial() {
        return serial;
    }

    List<ColoFault> coloFaults() {
        return coloFaults;
    }

    Optional<ColoArbiter> coloArbiter() {
        return coloArbiter;
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
                Optional<String> fill = Optional.empty();
                for (Opt opt : QemuSyntax.parseOpts(params, null, DIRTY_OPTS)) {
                    switch (opt.name()) {
                        case "rate" -> rate = OptionalLong.of(QemuSyntax.parseNumber("rate", opt.value()));
                        case "wss" -> wss = OptionalLong.of(bytes(item, "wss", opt.value()));
                        default -> fill = Optional.of(opt.value());
                    }
                }
                guest = new GuestProgram.Dirty(rate, wss, fill);
            }
            default -> throw error(item.location(),
                    "unknown guest program '" + program + "': choose kvstore or dirty");
        }
    }

    /** {@code --nic HOST:PORT}. */
    private void nic(Item item, String arg) throws UsageException {
        nic = Addresses.nic(item, arg);
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
}

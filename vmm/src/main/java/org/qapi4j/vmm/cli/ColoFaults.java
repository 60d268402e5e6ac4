package org.qapi4j.vmm.cli;

import static org.qapi4j.vmm.cli.UsageException.error;

import java.util.Map;
import org.qapi4j.vmm.api.COLOMessage;
import org.qapi4j.vmm.cli.OptionWords.Item;
import org.qapi4j.vmm.cli.QemuSyntax.Opt;
import org.qapi4j.vmm.cli.QemuSyntax.SyntaxError;
import org.qapi4j.vmm.cli.QemuSyntax.Type;

/**
 * Parses {@code --colo-fault} ({@link ColoFault}), QemuOpts syntax: one of {@code before=},
 * {@code after=} (each with {@code checkpoint=}) or {@code at=}, then {@code action=} and, for a
 * delay, {@code ms=}.
 */
final class ColoFaults {
    private static final Map<String, Type> OPTS = Map.of("checkpoint", Type.NUMBER, "before", Type.STRING,
            "after", Type.STRING, "at", Type.STRING, "action", Type.STRING, "ms", Type.NUMBER);
    private static final String NEEDS = "a COLO fault needs checkpoint=M,before=MESSAGE or checkpoint=M,after=MESSAGE"
            + " or at=precopy-pass:N|switchover|failover, and action=die|stop|delay";

    private ColoFaults() {}

    static ColoFault parse(Item item, String arg) throws SyntaxError, UsageException {
        Long checkpoint = null;
        ColoFault.Point point = null;
        String message = "";
        long pass = 0;
        ColoFault.Action action = null;
        long millis = 0;
        int wheres = 0;
        for (Opt opt : QemuSyntax.parseOpts(arg, null, OPTS)) {
            switch (opt.name()) {
                case "checkpoint" -> checkpoint = QemuSyntax.parseNumber("checkpoint", opt.value());
                case "before", "after" -> {
                    wheres++;
                    point = opt.name().equals("before") ? ColoFault.Point.BEFORE : ColoFault.Point.AFTER;
                    message = message(item, opt.value());
                }
                case "at" -> {
                    wheres++;
                    String value = opt.value();
                    if (value.equals("switchover")) {
                        point = ColoFault.Point.SWITCHOVER;
                    } else if (value.equals("failover")) {
                        point = ColoFault.Point.FAILOVER;
                    } else if (value.startsWith("precopy-pass:")) {
                        point = ColoFault.Point.PRECOPY_PASS;
                        pass = pass(item, value.substring("precopy-pass:".length()));
                    } else {
                        throw error(item.location(), "'" + value
                                + "' is not a fault point (precopy-pass:N, switchover, failover)");
                    }
                }
                case "action" -> action = action(item, opt.value());
                default -> millis = QemuSyntax.parseNumber("ms", opt.value());
            }
        }
        if (wheres > 1) {
            throw error(item.location(), "a COLO fault takes one of before=, after= and at=");
        }
        if (point == null || action == null) {
            throw error(item.location(), NEEDS);
        }
        boolean messagePoint = point == ColoFault.Point.BEFORE || point == ColoFault.Point.AFTER;
        if (messagePoint && checkpoint == null) {
            throw error(item.location(), NEEDS);
        }
        if (!messagePoint && checkpoint != null) {
            throw error(item.location(), "checkpoint= goes with before= or after=, not with at=");
        }
        if (action == ColoFault.Action.DELAY && millis <= 0) {
            throw error(item.location(), "action=delay needs ms=N, a positive number of milliseconds");
        }
        return new ColoFault(point, messagePoint ? checkpoint : pass, message, action, millis);
    }

    private static long pass(Item item, String text) throws UsageException {
        try {
            long n = Long.parseLong(text);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the error below
        }
        throw error(item.location(), "precopy-pass:" + text + ": the pass is a number from 1");
    }

    private static String message(Item item, String name) throws UsageException {
        if (COLOMessage.fromWire(name) instanceof COLOMessage.Known) {
            return name;
        }
        throw error(item.location(), "'" + name + "' is not a COLO message (checkpoint-ready, checkpoint-request,"
                + " checkpoint-reply, vmstate-send, vmstate-size, vmstate-received, vmstate-loaded)");
    }

    private static ColoFault.Action action(Item item, String name) throws UsageException {
        return switch (name) {
            case "die" -> ColoFault.Action.DIE;
            case "stop" -> ColoFault.Action.STOP;
            case "delay" -> ColoFault.Action.DELAY;
            default -> throw error(item.location(), "action '" + name + "' is not die, stop or delay");
        };
    }
}

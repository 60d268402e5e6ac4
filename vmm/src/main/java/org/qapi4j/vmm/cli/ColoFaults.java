package org.qapi4j.vmm.cli;

import static org.qapi4j.vmm.cli.UsageException.error;

import java.util.Map;
import org.qapi4j.vmm.api.COLOMessage;
import org.qapi4j.vmm.cli.OptionWords.Item;
import org.qapi4j.vmm.cli.QemuSyntax.Opt;
import org.qapi4j.vmm.cli.QemuSyntax.SyntaxError;
import org.qapi4j.vmm.cli.QemuSyntax.Type;

/** Parses {@code --colo-fault} ({@link ColoFault}), QemuOpts syntax, each part required but {@code ms}. */
final class ColoFaults {
    private static final Map<String, Type> OPTS = Map.of("checkpoint", Type.NUMBER, "before", Type.STRING,
            "action", Type.STRING, "ms", Type.NUMBER);

    private ColoFaults() {}

    static ColoFault parse(Item item, String arg) throws SyntaxError, UsageException {
        Long checkpoint = null;
        String before = null;
        ColoFault.Action action = null;
        long millis = 0;
        for (Opt opt : QemuSyntax.parseOpts(arg, null, OPTS)) {
            switch (opt.name()) {
                case "checkpoint" -> checkpoint = QemuSyntax.parseNumber("checkpoint", opt.value());
                case "before" -> before = message(item, opt.value());
                case "action" -> action = action(item, opt.value());
                default -> millis = QemuSyntax.parseNumber("ms", opt.value());
            }
        }
        if (checkpoint == null || before == null || action == null) {
            throw error(item.location(), "a COLO fault needs checkpoint=M,before=MESSAGE,action=die|stop|delay");
        }
        if (action == ColoFault.Action.DELAY && millis <= 0) {
            throw error(item.location(), "action=delay needs ms=N, a positive number of milliseconds");
        }
        return new ColoFault(checkpoint, before, action, millis);
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

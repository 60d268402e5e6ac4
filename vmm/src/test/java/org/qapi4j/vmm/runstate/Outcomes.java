package org.qapi4j.vmm.runstate;

import java.util.ArrayList;
import java.util.List;
import org.qapi4j.vmm.api.Event;

/** Outcomes as short text, so that tests can list expectations as tables. */
final class Outcomes {
    private Outcomes() {
    }

    /**
     * {@code "GenericError: text"} for a failure; otherwise the steps separated by {@code "; "},
     * {@code "nothing"} for none.
     */
    static String describe(Outcome outcome) {
        if (!outcome.isOk()) {
            return outcome.error().errorClass() + ": " + outcome.error().description();
        }
        List<String> parts = new ArrayList<>();
        for (Step step : outcome.steps()) {
            parts.add(describe(step));
        }
        return parts.isEmpty() ? "nothing" : String.join("; ", parts);
    }

    static String describe(Step step) {
        if (step instanceof Step.SetState s) {
            return "state " + s.to().wireName();
        } else if (step instanceof Step.Emit e) {
            return describe(e.event());
        } else if (step instanceof Step.SetAutostart a) {
            return a.autostart() ? "autostart on" : "autostart off";
        } else if (step instanceof Step.Post p) {
            return "request " + describe(p.request());
        } else if (step instanceof Step.DropVmStopRequest) {
            return "drop stop request";
        } else if (step instanceof Step.ResetMachine r) {
            return "reset machine";
        } else if (step instanceof Step.PowerButton) {
            return "power button";
        } else if (step instanceof Step.Exit x) {
            return "exit " + x.status();
        }
        throw new AssertionError(step);
    }

    static String describe(Request request) {
        if (request instanceof Request.Shutdown s) {
            return "shutdown " + s.cause().wireName() + (s.forceExit() ? " (exit)" : "");
        } else if (request instanceof Request.Reset r) {
            return "reset " + r.cause().wireName();
        } else if (request instanceof Request.Powerdown) {
            return "powerdown";
        } else if (request instanceof Request.VmStop v) {
            return "stop " + v.state().wireName();
        }
        throw new AssertionError(request);
    }

    /** {@code NAME} or {@code NAME {json}}, as on the wire. */
    static String describe(Event event) {
        String data = event.toJson().toString();
        return "{}".equals(data) ? event.eventName() : event.eventName() + " " + data;
    }
}

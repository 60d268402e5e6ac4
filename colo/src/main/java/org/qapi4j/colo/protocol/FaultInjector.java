package org.qapi4j.colo.protocol;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import org.qapi4j.vmm.api.COLOMessage;
import org.qapi4j.vmm.cli.ColoFault;

/**
 * Acts out {@code --colo-fault}: just before this process sends a COLO message, the faults
 * naming that message and checkpoint happen here, so that a test can kill, freeze or slow one
 * side at an exact step, the same way each run.
 */
public final class FaultInjector {
    private final List<ColoFault> faults;
    private final PrintStream log;
    private final String program;

    public FaultInjector(List<ColoFault> faults, PrintStream log, String program) {
        this.faults = List.copyOf(faults);
        this.log = log;
        this.program = program;
    }

    public static FaultInjector none() {
        return new FaultInjector(List.of(), System.err, "vmm");
    }

    /** The point before sending {@code message} in {@code checkpoint}. */
    public void before(COLOMessage.Known message, long checkpoint) {
        for (ColoFault fault : faults) {
            if (fault.checkpoint() == checkpoint && fault.before().equals(message.wireName())) {
                act(fault);
            }
        }
    }

    private void act(ColoFault fault) {
        log.println(program + ": --colo-fault: " + fault.action().name().toLowerCase(java.util.Locale.ROOT)
                + " before " + fault.before() + " in checkpoint " + fault.checkpoint());
        log.flush();
        switch (fault.action()) {
            case DIE -> Runtime.getRuntime().halt(137);
            case STOP -> stopSelf();
            case DELAY -> {
                try {
                    Thread.sleep(fault.millis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** SIGSTOP to this process: frozen as a hung host would be, until SIGCONT or SIGKILL. */
    private void stopSelf() {
        try {
            new ProcessBuilder("kill", "-STOP", Long.toString(ProcessHandle.current().pid())).inheritIO().start()
                    .waitFor();
        } catch (IOException e) {
            log.println(program + ": --colo-fault: cannot stop this process: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

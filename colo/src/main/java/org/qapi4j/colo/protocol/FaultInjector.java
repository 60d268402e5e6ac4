package org.qapi4j.colo.protocol;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.qapi4j.vmm.api.COLOMessage;
import org.qapi4j.vmm.cli.ColoFault;
import org.qapi4j.vmm.migration.MigrationFaults;

/**
 * Acts out {@code --colo-fault} ({@link ColoFault}): at each point a fault can name (just before
 * this process sends a COLO message, just after it received one, a precopy pass, the
 * switch-over, a failover) the faults naming that point happen here, so that a test can kill,
 * freeze or slow one side at an exact step, the same way each run. Each fault logs one line on
 * stderr first, {@code PROGRAM: --colo-fault: ACTION WHERE}, which tests wait for.
 */
public final class FaultInjector implements MigrationFaults {
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
        message(ColoFault.Point.BEFORE, message, checkpoint);
    }

    /** The point just after {@code message} of {@code checkpoint} was received. */
    public void after(COLOMessage.Known message, long checkpoint) {
        message(ColoFault.Point.AFTER, message, checkpoint);
    }

    /** The start of this side's COLO failover. */
    public void failover() {
        at(ColoFault.Point.FAILOVER, 0);
    }

    @Override
    public void precopyPass(long pass) {
        at(ColoFault.Point.PRECOPY_PASS, pass);
    }

    @Override
    public void switchover() {
        at(ColoFault.Point.SWITCHOVER, 0);
    }

    private void message(ColoFault.Point point, COLOMessage.Known message, long checkpoint) {
        for (ColoFault fault : faults) {
            if (fault.point() == point && fault.checkpoint() == checkpoint
                    && fault.message().equals(message.wireName())) {
                act(fault);
            }
        }
    }

    private void at(ColoFault.Point point, long n) {
        for (ColoFault fault : faults) {
            if (fault.point() == point && fault.checkpoint() == n) {
                act(fault);
            }
        }
    }

    private void act(ColoFault fault) {
        log.println(program + ": --colo-fault: " + fault.action().name().toLowerCase(Locale.ROOT) + " "
                + fault.where());
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

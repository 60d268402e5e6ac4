package org.qapi4j.vmm.cli;

import java.util.Objects;

/**
 * {@code --colo-fault checkpoint=M,before=MESSAGE,action=die|stop|delay[,ms=N]}: a fault this
 * process injects into itself, for tests that must repeat a failure exactly: just before it
 * sends COLO message {@code MESSAGE} (a {@code COLOMessage} name) in checkpoint {@code M}
 * (checkpoint 0 is COLO's entry), it dies at once (as by SIGKILL: no shutdown, nothing more
 * sent), stops itself (SIGSTOP: frozen until a SIGCONT or a kill), or waits {@code ms}
 * milliseconds and goes on. Repeatable.
 *
 * @param checkpoint the checkpoint's number, from 1; 0 for COLO's entry
 * @param before the COLOMessage's wire name
 * @param action what happens there
 * @param millis how long {@link Action#DELAY} waits
 */
public record ColoFault(long checkpoint, String before, Action action, long millis) {
    /** What the process does at the fault's point. */
    public enum Action { DIE, STOP, DELAY }

    public ColoFault {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(action, "action");
    }
}

package org.qapi4j.colo;

import java.util.Objects;
import java.util.function.Consumer;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.vmm.api.COLOExitReason;
import org.qapi4j.vmm.api.COLOMode;
import org.qapi4j.vmm.api.COLOStatus;
import org.qapi4j.vmm.api.Event;
import org.qapi4j.vmm.api.FailoverStatus;

/**
 * This side's COLO mode and failover, as QEMU 7.2 keeps them ({@code colo.c}, {@code
 * colo-failover.c}): the mode while COLO runs, the mode it ran in before the last failover, and
 * the failover's status, each change a compare-and-swap. COLO_EXIT is sent once per COLO
 * session, {@code request} if a failover ended it and {@code error} if a fault did. Thread-safe.
 *
 * <p>{@code query-colo-status} shows what QEMU 7.2 shows, which is not what its schema says:
 * {@code last-mode} stays {@code none} until a failover sets it, and the reason comes from the
 * failover's status ({@code none} after a fault without failover, {@code processing} on the
 * primary and {@code error} on the secondary while a failover is under way, {@code request}
 * once one completed).
 */
public final class ColoState {
    private final Consumer<Event> events;
    private COLOMode.Known mode = COLOMode.Known.NONE;
    private COLOMode.Known lastMode = COLOMode.Known.NONE;
    private FailoverStatus.Known failover = FailoverStatus.Known.NONE;
    private boolean exitSent;
    private Runnable onFailoverRequest = () -> { };

    public ColoState(Consumer<Event> events) {
        this.events = Objects.requireNonNull(events, "events");
    }

    /** COLO begins in {@code mode}; {@code onFailoverRequest} wakes the COLO thread for a failover. */
    public synchronized void enter(COLOMode.Known newMode, Runnable onFailoverRequest) {
        mode = newMode;
        failover = FailoverStatus.Known.NONE;
        exitSent = false;
        this.onFailoverRequest = Objects.requireNonNull(onFailoverRequest, "onFailoverRequest");
    }

    public synchronized COLOMode.Known mode() {
        return mode;
    }

    /**
     * {@code x-colo-lost-heartbeat}: outside COLO (before it began, or after a failover) QEMU's
     * "The feature 'colo' is not enabled"; while a failover is under way "COLO failover is
     * already activated"; otherwise the failover is required and the COLO thread woken.
     */
    public void requestFailover() {
        Runnable wake;
        synchronized (this) {
            if (mode == COLOMode.Known.NONE) {
                throw QmpException.generic("The feature 'colo' is not enabled");
            }
            if (failover != FailoverStatus.Known.NONE) {
                throw QmpException.generic("COLO failover is already activated");
            }
            failover = FailoverStatus.Known.REQUIRE;
            wake = onFailoverRequest;
        }
        wake.run();
    }

    /** Moves the failover from {@code from} to {@code to}; false if it was not {@code from}. */
    public synchronized boolean failover(FailoverStatus.Known from, FailoverStatus.Known to) {
        if (failover != from) {
            return false;
        }
        failover = to;
        return true;
    }

    public synchronized boolean failoverRequested() {
        return failover != FailoverStatus.Known.NONE && failover != FailoverStatus.Known.COMPLETED;
    }

    /**
     * The failover is done: this side is out of COLO ({@code last-mode} is what it was), and
     * COLO_EXIT {@code request} goes out unless a fault already sent COLO_EXIT {@code error}.
     */
    public void failoverCompleted() {
        COLOMode.Known left;
        boolean send;
        synchronized (this) {
            left = mode;
            lastMode = mode;
            mode = COLOMode.Known.NONE;
            failover = FailoverStatus.Known.COMPLETED;
            send = !exitSent && left != COLOMode.Known.NONE;
            exitSent = true;
        }
        if (send) {
            events.accept(new Event.ColoExit(left, COLOExitReason.Known.REQUEST));
        }
    }

    /** A fault ended this side's COLO session: COLO_EXIT {@code error}, once; the mode stays. */
    public void faulted() {
        COLOMode.Known current;
        synchronized (this) {
            if (exitSent || mode == COLOMode.Known.NONE) {
                return;
            }
            exitSent = true;
            current = mode;
        }
        events.accept(new Event.ColoExit(current, COLOExitReason.Known.ERROR));
    }

    /** {@code query-colo-status}, as QEMU 7.2 answers it (see the class comment). */
    public synchronized COLOStatus status() {
        COLOExitReason.Known reason = switch (failover) {
            case NONE -> COLOExitReason.Known.NONE;
            case COMPLETED -> COLOExitReason.Known.REQUEST;
            default -> mode == COLOMode.Known.PRIMARY ? COLOExitReason.Known.PROCESSING : COLOExitReason.Known.ERROR;
        };
        return new COLOStatus(mode, lastMode, reason);
    }
}

package org.qapi4j.vmm.cli;

import java.util.Objects;

/**
 * {@code --colo-fault}: a fault this process injects into itself, for tests that must repeat a
 * failure exactly. Where ({@link Point}):
 * <ul>
 * <li>{@code checkpoint=M,before=MESSAGE}: just before this process sends COLO message {@code
 * MESSAGE} (a {@code COLOMessage} name) in checkpoint {@code M} (0 is COLO's entry, where only
 * the secondary's {@code checkpoint-ready} goes);
 * <li>{@code checkpoint=M,after=MESSAGE}: just after this process received {@code MESSAGE} in
 * checkpoint {@code M} (and checked it is the one expected);
 * <li>{@code at=precopy-pass:N}: the migration's source, at the start of precopy pass {@code N}
 * (1 sends every page);
 * <li>{@code at=switchover}: the source, once it stopped the guest for the switch-over;
 * <li>{@code at=failover}: either COLO side, at the start of its failover (a request or the peer
 * lost).
 * </ul>
 * What: it dies at once (as by SIGKILL: no shutdown, nothing more sent, status 137), stops itself
 * (SIGSTOP: frozen until a SIGCONT or a kill), or waits {@code ms} milliseconds and goes on.
 * Nothing in a fault is random: the same spec fails the same step each run. Repeatable.
 *
 * @param point where
 * @param checkpoint the checkpoint's number for {@link Point#BEFORE} and {@link Point#AFTER} (0
 *     for COLO's entry), the pass's number for {@link Point#PRECOPY_PASS}, else 0
 * @param message the COLOMessage's wire name for {@link Point#BEFORE} and {@link Point#AFTER},
 *     else empty
 * @param action what happens there
 * @param millis how long {@link Action#DELAY} waits
 */
public record ColoFault(Point point, long checkpoint, String message, Action action, long millis) {
    /** What the process does at the fault's point. */
    public enum Action { DIE, STOP, DELAY }

    /** Where the fault happens. */
    public enum Point {
        BEFORE("before"), AFTER("after"), PRECOPY_PASS("precopy-pass"), SWITCHOVER("switchover"),
        FAILOVER("failover");

        private final String word;

        Point(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    public ColoFault {
        Objects.requireNonNull(point, "point");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(action, "action");
    }

    /** {@code checkpoint=M,before=MESSAGE}: the original form. */
    public ColoFault(long checkpoint, String before, Action action, long millis) {
        this(Point.BEFORE, checkpoint, before, action, millis);
    }

    /** The point as the option names it: {@code before vmstate-size in checkpoint 3}, {@code at switchover}. */
    public String where() {
        return switch (point) {
            case BEFORE, AFTER -> point.word() + " " + message + " in checkpoint " + checkpoint;
            case PRECOPY_PASS -> "at precopy-pass:" + checkpoint;
            default -> "at " + point.word();
        };
    }
}

package org.qapi4j.qmp.event;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Which events an {@link EventBroadcaster} throttles, as QEMU's monitor does
 * ({@code monitor_qapi_event_conf} in {@code monitor/monitor.c}).
 *
 * <p>A throttled event is sent at once when none of its kind was sent within the window;
 * otherwise it is held, replacing any event held before it, and sent (with its own
 * timestamp) when the window ends, which starts a new window. Events of one kind are told
 * apart by a member of their data where QEMU does so: {@code VSERPORT_CHANGE} by {@code id},
 * {@code QUORUM_REPORT_BAD} by {@code node-name}, {@code MEMORY_DEVICE_SIZE_CHANGE} by
 * {@code qom-path}; each such key has its own window.
 *
 * <p>Immutable; {@link #with} and {@link #without} return changed copies.
 */
public final class EventRateLimits {
    /** QEMU's window: one event a second. */
    public static final Duration QEMU_WINDOW = Duration.ofSeconds(1);

    /**
     * One throttled event.
     *
     * @param window the minimum time between two sends
     * @param keyMember the member of the event's data that tells events of this kind apart,
     *     or null when all events of the kind share one window
     */
    public record Limit(Duration window, @Nullable String keyMember) {
        public Limit {
            Objects.requireNonNull(window, "window");
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("window must be positive: " + window);
            }
        }
    }

    private final Map<String, Limit> limits;

    private EventRateLimits(Map<String, Limit> limits) {
        this.limits = Map.copyOf(limits);
    }

    /** QEMU 7.2's limits: the seven events it throttles, one a second. */
    public static EventRateLimits qemu() {
        return qemu(QEMU_WINDOW);
    }

    /** QEMU 7.2's throttled events, with {@code window} instead of a second (tests use a short one). */
    public static EventRateLimits qemu(Duration window) {
        Map<String, Limit> limits = new LinkedHashMap<>();
        limits.put("RTC_CHANGE", new Limit(window, null));
        limits.put("WATCHDOG", new Limit(window, null));
        limits.put("BALLOON_CHANGE", new Limit(window, null));
        limits.put("QUORUM_REPORT_BAD", new Limit(window, "node-name"));
        limits.put("QUORUM_FAILURE", new Limit(window, null));
        limits.put("VSERPORT_CHANGE", new Limit(window, "id"));
        limits.put("MEMORY_DEVICE_SIZE_CHANGE", new Limit(window, "qom-path"));
        return new EventRateLimits(limits);
    }

    /** No throttling at all. */
    public static EventRateLimits none() {
        return new EventRateLimits(Map.of());
    }

    /** These limits, with {@code event} throttled to one per {@code window}. */
    public EventRateLimits with(String event, Duration window, @Nullable String keyMember) {
        Map<String, Limit> copy = new LinkedHashMap<>(limits);
        copy.put(Objects.requireNonNull(event, "event"), new Limit(window, keyMember));
        return new EventRateLimits(copy);
    }

    /** These limits, with {@code event} not throttled. */
    public EventRateLimits without(String event) {
        Map<String, Limit> copy = new LinkedHashMap<>(limits);
        copy.remove(event);
        return new EventRateLimits(copy);
    }

    /** The throttled events by name. */
    public Map<String, Limit> limits() {
        return limits;
    }

    @Nullable Limit limit(String event) {
        return limits.get(event);
    }

    @Override
    public String toString() {
        return "EventRateLimits" + limits;
    }
}

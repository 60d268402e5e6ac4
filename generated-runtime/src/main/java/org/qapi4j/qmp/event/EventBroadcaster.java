package org.qapi4j.qmp.event;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;
import org.qapi4j.qmp.json.Json;
import org.qapi4j.qmp.loop.MainLoop;
import org.qapi4j.qmp.types.QmpEvent;
import org.qapi4j.qmp.wire.QemuJson;
import tools.jackson.databind.node.ObjectNode;

/**
 * The event channel of a machine: QEMU's {@code monitor_qapi_event_queue}. It sends each event
 * to every negotiated monitor of every server that serves the machine, in the order events are
 * emitted, throttled as QEMU throttles them ({@link EventRateLimits}); a throttled event held
 * back is sent by a timer on the machine's main loop when its window ends.
 *
 * <p>One lock orders everything: an emit, and a monitor's switch to negotiated together with
 * the reply that confirms it ({@link #whileNegotiating}), so no event reaches a client before
 * that reply, and every event emitted after it reaches the client.
 */
public final class EventBroadcaster implements EventSink {
    private final MainLoop mainLoop;
    private final EventRateLimits rateLimits;
    private final Set<EventSubscriber> subscribers = ConcurrentHashMap.newKeySet();

    private final Object lock = new Object();
    /** Throttled kinds (or kind and key) whose window is open. Guarded by lock. */
    private final Map<String, Throttled> throttled = new HashMap<>();
    private boolean closed;

    /** A channel whose throttle timers run on {@code mainLoop}. */
    public EventBroadcaster(MainLoop mainLoop, EventRateLimits rateLimits) {
        this.mainLoop = Objects.requireNonNull(mainLoop, "mainLoop");
        this.rateLimits = Objects.requireNonNull(rateLimits, "rateLimits");
    }

    /** {@code subscriber} receives the events emitted from now on, once it is negotiated. */
    public void subscribe(EventSubscriber subscriber) {
        subscribers.add(subscriber);
    }

    /** {@code subscriber} receives nothing more. */
    public void unsubscribe(EventSubscriber subscriber) {
        subscribers.remove(subscriber);
    }

    /**
     * Runs {@code switchToNegotiated}, which marks a monitor negotiated and queues the reply to
     * its {@code qmp_capabilities}, so that no event comes between the two.
     */
    public void whileNegotiating(Runnable switchToNegotiated) {
        synchronized (lock) {
            switchToNegotiated.run();
        }
    }

    @Override
    public void emit(QmpEvent event) {
        Objects.requireNonNull(event, "event");
        String name = event.eventName();
        ObjectNode data = event.toJson();
        ObjectNode message = message(name, data, Instant.now());
        EventRateLimits.Limit limit = rateLimits.limit(name);
        synchronized (lock) {
            if (closed) {
                return;
            }
            if (limit == null) {
                broadcast(message);
                return;
            }
            String key = name;
            if (limit.keyMember() != null) {
                key = name + '\0' + (data == null ? "" : data.path(limit.keyMember()).asString(""));
            }
            Throttled state = throttled.get(key);
            if (state != null) {
                state.pending = message;
            } else {
                broadcast(message);
                state = new Throttled(key, limit.window());
                throttled.put(key, state);
                state.arm();
            }
        }
    }

    /** Sends nothing more and cancels the throttle timers. */
    public void close() {
        synchronized (lock) {
            closed = true;
            for (Throttled t : throttled.values()) {
                if (t.timer != null) {
                    t.timer.cancel();
                }
            }
            throttled.clear();
        }
    }

    /** QEMU's insertion order: event, timestamp, data (the writer puts them in QDict order). */
    private static ObjectNode message(String name, @Nullable ObjectNode data, Instant now) {
        ObjectNode message = Json.object();
        message.put("event", name);
        ObjectNode timestamp = message.putObject("timestamp");
        timestamp.put("seconds", now.getEpochSecond());
        timestamp.put("microseconds", now.getNano() / 1000);
        if (data != null && data.size() > 0) {
            message.set("data", data);
        }
        return message;
    }

    /** Caller holds the lock. */
    private void broadcast(ObjectNode message) {
        byte[] line = QemuJson.line(message);
        for (EventSubscriber subscriber : subscribers) {
            if (subscriber.negotiated()) {
                subscriber.send(line);
            }
        }
    }

    /** A throttled event kind (or kind and key) whose window is open. Guarded by the lock. */
    private final class Throttled implements Runnable {
        final String key;
        final Duration window;
        @Nullable ObjectNode pending;
        MainLoop.@Nullable Timer timer;

        Throttled(String key, Duration window) {
            this.key = key;
            this.window = window;
        }

        void arm() {
            try {
                timer = mainLoop.schedule(this, window);
            } catch (RejectedExecutionException e) {
                // The machine is shutting down: nothing more is sent.
                throttled.remove(key);
            }
        }

        @Override
        public void run() {
            synchronized (lock) {
                if (throttled.get(key) != this) {
                    return;
                }
                if (pending != null) {
                    // The held event goes out with the timestamp of its emit, as in QEMU.
                    broadcast(pending);
                    pending = null;
                    arm();
                } else {
                    throttled.remove(key);
                }
            }
        }
    }
}

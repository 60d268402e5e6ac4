package org.qapi4j.qmp.client;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import org.qapi4j.qmp.json.Json;

/**
 * A connection's event listeners, and how an event reaches them: each listener in turn, on
 * the callback thread, one failing listener logged and not stopping the others. Listeners may
 * be added and removed from any thread while events arrive.
 */
final class EventListeners {
    private final List<QmpEventListener> listeners = new CopyOnWriteArrayList<>();

    EventListeners(Collection<QmpEventListener> initial) {
        listeners.addAll(initial);
    }

    /** @return closing it removes the listener */
    AutoCloseable add(QmpEventListener listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Hands the event {@code message} to every listener, through {@code callbacks}. */
    void deliver(ObjectNode message, CallbackExecutor callbacks) {
        QmpEventMessage event = parse(message);
        callbacks.deliver(() -> {
            for (QmpEventListener listener : listeners) {
                try {
                    listener.onEvent(event);
                } catch (RuntimeException | Error e) {
                    QmpConnection.LOG.log(System.Logger.Level.WARNING,
                            "event listener " + listener + " failed on " + event.name(), e);
                }
            }
        });
    }

    /** Tolerant: a server's odd timestamp or missing data does not lose the event. */
    private static QmpEventMessage parse(ObjectNode message) {
        JsonNode name = message.get("event");
        JsonNode data = message.get("data");
        JsonNode timestamp = message.path("timestamp");
        return new QmpEventMessage(name.isString() ? name.asString() : name.toString(),
                data instanceof ObjectNode o ? o : Json.object(),
                timestamp.path("seconds").asLong(-1), timestamp.path("microseconds").asLong(-1), message);
    }
}

package org.qapi4j.qmp.client;

import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * Receives the events of a connection, one at a time, in the order the server sent them, and
 * before the future of any reply that followed them on the wire completes. A listener that
 * throws is logged and does not stop the others.
 *
 * <p>Listeners run on the connection's callback thread (see {@link QmpConnection}). They must
 * not wait for a reply of the same connection there: issue the command and react to its future
 * instead.
 */
@FunctionalInterface
public interface QmpEventListener {

    void onEvent(QmpEventMessage event);

    /** What a typed listener receives: the decoded event and the message it came from. */
    @FunctionalInterface
    interface TypedHandler<E> {
        void onEvent(E event, QmpEventMessage message);
    }

    /**
     * A listener that decodes each event with {@code decoder}, typically a generated
     * {@code Event::decode} (which is tolerant: events and members it does not know come out as
     * its {@code Unknown} record, never as an error), and hands the result to {@code handler}.
     * If decoding throws anyway, the event is logged and skipped.
     */
    static <E> QmpEventListener typedWithMessage(BiFunction<String, ? super JsonNode, ? extends E> decoder,
            TypedHandler<? super E> handler) {
        Objects.requireNonNull(decoder, "decoder");
        Objects.requireNonNull(handler, "handler");
        return message -> {
            E event;
            try {
                event = decoder.apply(message.name(), message.data());
            } catch (RuntimeException e) {
                QmpConnection.LOG.log(System.Logger.Level.WARNING,
                        "could not decode event " + message.json() + ": " + e, e);
                return;
            }
            handler.onEvent(event, message);
        };
    }

    /**
     * As {@link #typedWithMessage(BiFunction, TypedHandler)}, for a handler that needs only the
     * event, e.g. {@code QmpEventListener.typed(Event::decode, events::add)}.
     */
    static <E> QmpEventListener typed(BiFunction<String, ? super JsonNode, ? extends E> decoder,
            Consumer<? super E> handler) {
        Objects.requireNonNull(handler, "handler");
        return typedWithMessage(decoder, (E event, QmpEventMessage message) -> handler.accept(event));
    }
}

package org.qapi4j.qmp.event;

/** A monitor, as the {@link EventBroadcaster} sees it. */
public interface EventSubscriber {
    /** Whether the monitor has completed negotiation; only those receive events. */
    boolean negotiated();

    /** Queues one output line ({@code \r\n} included); from any thread, never blocking. */
    void send(byte[] line);
}

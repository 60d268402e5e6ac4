package org.qapi4j.qmp.monitor;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.qapi4j.qmp.wire.JsonMessage;
import org.qapi4j.qmp.wire.QmpInputParser;

/**
 * Runs a short conversation through a hub before any client connects: a session nobody sees
 * (not registered, subscribed to no events) is greeted, negotiates, and sends a command that
 * does not exist, a malformed request and a parse error. Without it the first client pays for
 * loading and first running all of that code (Jackson, the JSON writer, the checks): measured,
 * its greeting came 70-275 ms after its connect instead of a few hundred microseconds. No
 * handler runs: the only command that succeeds is {@code qmp_capabilities}, which the hub
 * serves itself.
 */
final class WarmUp {
    private static final String CONVERSATION = "{\"execute\": \"qmp_capabilities\", \"id\": 1}\n"
            + "{\"execute\": \"x-qapi4j-warm-up-no-such-command\", \"arguments\": {}, \"id\": 2}\n"
            + "{\"execute\": \"query-status\", \"unexpected\": [1, 2.5, true, null, \"\\u00e9\"]}\n"
            + "{'execute': }\n";
    /** The lines the conversation gets back: the greeting and four answers. */
    private static final int LINES = 5;

    private WarmUp() {}

    static void run(MonitorHub hub) {
        CountDownLatch answered = new CountDownLatch(LINES);
        MonitorSession session = new MonitorSession(hub, new Sink(answered), "warm-up");
        session.greet();
        byte[] input = CONVERSATION.getBytes(StandardCharsets.UTF_8);
        for (JsonMessage message : new QmpInputParser().feed(input)) {
            session.received(message);
        }
        try {
            answered.await(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        session.disconnected();
    }

    /** A connection whose I/O thread is whichever thread calls it, and whose output is counted. */
    private record Sink(CountDownLatch answered) implements MonitorConnection {
        @Override
        public boolean inIoThread() {
            return false;
        }

        @Override
        public void executeOnIo(Runnable task) {
            task.run();
        }

        @Override
        public void setReading(boolean reading) {
        }

        @Override
        public void write(List<byte[]> lines) {
            lines.forEach(line -> answered.countDown());
        }

        @Override
        public void close() {
        }
    }
}

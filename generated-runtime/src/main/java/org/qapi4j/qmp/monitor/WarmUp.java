package org.qapi4j.qmp.monitor;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Runs a short conversation through a hub before any client connects: an in-process monitor
 * nobody sees (not registered, subscribed to no events, with an I/O thread of its own as a
 * socket monitor has) is greeted, negotiates, and sends a command that
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
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        try (InProcessMonitor monitor = InProcessMonitor.unseen(hub, "warm-up")) {
            monitor.send(CONVERSATION.getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < LINES; i++) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || monitor.nextOutput(Duration.ofNanos(left)) == null) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package org.qapi4j.colo.demo;

import java.io.IOException;
import tools.jackson.databind.JsonNode;

/**
 * Polls the {@code colo} member of the primary's {@code query-migrate} every {@code periodMillis}
 * until stopped or the primary is gone, and writes to the timeline each new checkpoint the
 * counters show (its dirty pages and bytes) and, once a second, the outputs: how many answers
 * were released to clients since the last line and how many are held at that moment (the most
 * seen held in the second, too).
 */
public final class StatsPoller implements AutoCloseable {
    private static final String SOURCE = "colo stats";

    private final QmpClient qmp;
    private final Timeline timeline;
    private final long periodMillis;
    private final Thread thread;
    private volatile boolean stopped;
    private volatile JsonNode last;

    public StatsPoller(QmpClient qmp, Timeline timeline, long periodMillis) {
        this.qmp = qmp;
        this.timeline = timeline;
        this.periodMillis = periodMillis;
        this.thread = new Thread(this::poll, "colo-stats-poller");
        thread.setDaemon(true);
    }

    public StatsPoller start() {
        thread.start();
        return this;
    }

    /** The last counters read (null before the first). */
    public JsonNode last() {
        return last;
    }

    private void poll() {
        long checkpoints = 0;
        long pages = 0;
        long bytes = 0;
        long released = 0;
        long heldMax = 0;
        long lastOutputLine = Timeline.nowMicros();
        while (!stopped) {
            JsonNode colo;
            try {
                colo = ColoPair.coloStats(qmp);
            } catch (IOException e) {
                return; // the primary is gone
            }
            if (colo.isMissingNode() || colo.isNull()) {
                return; // out of COLO
            }
            last = colo;
            long now = Timeline.nowMicros();
            long n = colo.path("checkpoints").asLong();
            if (n > checkpoints) {
                timeline.add(now, SOURCE, String.format("checkpoints=%d: +%d dirty pages, +%d bytes (mean pause so far"
                        + " %d µs: save %d, transfer %d, load %d)", n, colo.path("dirty-pages").asLong() - pages,
                        colo.path("bytes").asLong() - bytes, colo.path("mean-pause-us").asLong(),
                        colo.path("mean-save-us").asLong(), colo.path("mean-transfer-us").asLong(),
                        colo.path("mean-load-us").asLong()));
                checkpoints = n;
                pages = colo.path("dirty-pages").asLong();
                bytes = colo.path("bytes").asLong();
            }
            long held = colo.path("held-packets").asLong();
            heldMax = Math.max(heldMax, held);
            if (now - lastOutputLine >= 1_000_000) {
                long total = colo.path("released-packets").asLong();
                timeline.add(now, SOURCE, String.format("outputs: %d released in the last second (%d in all), %d held now"
                        + " (at most %d seen held), mismatches %d", total - released, total, held, heldMax,
                        colo.path("mismatches").asLong()));
                released = total;
                heldMax = 0;
                lastOutputLine = now;
            }
            QmpClient.sleep(periodMillis);
        }
    }

    @Override
    public void close() {
        stopped = true;
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

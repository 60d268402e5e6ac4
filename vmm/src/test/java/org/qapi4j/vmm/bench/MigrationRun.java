package org.qapi4j.vmm.bench;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.qapi4j.vmm.process.QmpLines;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One measured migration between two monitors (QEMU's or ours, the same QMP either way): the
 * source's {@code query-migrate} figures, and the guest-visible downtime from the events.
 *
 * <p>Two downtimes, because they do not mean the same. {@code downtime} is each VMM's own
 * figure: QEMU's stops when the source has sent its last byte; ours stops when the destination
 * has confirmed the whole stream ({@code READY}) and the source has given the guest up ({@code
 * GO}). The event figure is the same for both: from the source's {@code STOP} event to the
 * destination's {@code RESUME} event, both stamped by the same machine clock, which is how long
 * the guest ran nowhere.
 */
final class MigrationRun {
    private static final long UNLIMITED = 100L << 30;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private MigrationRun() {}

    /**
     * One migration's figures.
     *
     * @param downtimeMs {@code query-migrate}'s {@code downtime} on the source
     * @param stopToResumeMs source's STOP event to the destination's RESUME event; NaN where it
     *     does not apply (the floors)
     */
    record Result(double totalMs, double downtimeMs, double stopToResumeMs, double mbPerS, long transferred) {
        static Result floor(double ms, long bytes) {
            return new Result(ms, Double.NaN, Double.NaN, bytes / 1e6 / (ms / 1e3), bytes);
        }
    }

    /** Migrates from {@code src} to {@code dst} (already listening at {@code uri}) at unlimited bandwidth. */
    static Result migrate(QmpLines src, QmpLines dst, String uri) throws Exception {
        ok(src, "migrate-set-parameters", "{\"max-bandwidth\": " + UNLIMITED + "}");
        ok(src, "migrate", "{\"uri\": \"" + uri + "\"}");
        JsonNode info;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (true) {
            info = ok(src, "query-migrate", null);
            String status = info.path("status").asString("none");
            if (status.equals("completed")) {
                break;
            }
            if (status.equals("failed") || status.equals("cancelled") || System.nanoTime() > deadline) {
                throw new IOException("migration " + status + ": " + info);
            }
            Thread.sleep(5);
        }
        while (!"completed".equals(ok(dst, "query-migrate", null).path("status").asString(""))) {
            Thread.sleep(5);
        }
        double stop = eventMicros(src.awaitRawEvent("STOP"), "STOP");
        double resume = eventMicros(dst.awaitRawEvent("RESUME"), "RESUME");
        double total = info.get("total-time").asDouble();
        long transferred = info.get("ram").get("transferred").asLong();
        return new Result(total, info.get("downtime").asDouble(), (resume - stop) / 1e3,
                transferred / 1e6 / (total / 1e3), transferred);
    }

    /** The timestamp, in microseconds, of the last event named {@code name} among {@code events}. */
    private static double eventMicros(List<String> events, String name) {
        for (int i = events.size() - 1; i >= 0; i--) {
            JsonNode event = JSON.readTree(events.get(i));
            if (event.path("event").asString("").equals(name)) {
                JsonNode at = event.get("timestamp");
                return at.get("seconds").asLong() * 1e6 + at.get("microseconds").asLong();
            }
        }
        throw new IllegalStateException("no " + name + " event");
    }

    static JsonNode ok(QmpLines qmp, String execute, String arguments) throws IOException {
        String reply = qmp.call("{\"execute\": \"" + execute + "\""
                + (arguments == null ? "" : ", \"arguments\": " + arguments) + "}");
        JsonNode node = reply == null ? null : JSON.readTree(reply);
        if (node == null || !node.has("return")) {
            throw new IOException(execute + " answered " + reply);
        }
        return node.get("return");
    }
}

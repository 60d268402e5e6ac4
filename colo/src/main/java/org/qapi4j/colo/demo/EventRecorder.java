package org.qapi4j.colo.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import tools.jackson.databind.JsonNode;

/**
 * The QMP events of both sides of a COLO pair, as they come, then folded into a {@link
 * Timeline}: MIGRATION status changes (entry into COLO, completion), each of the primary's
 * checkpoints as one line (its STOP, MIGRATION_PASS and RESUME), the secondary's checkpoints
 * summed up in one line, and everything else (COLO_EXIT, the failover's STOP and RESUME) as it is.
 * Thread-safe.
 */
public final class EventRecorder implements BiConsumer<String, JsonNode> {
    /** One event: the side it came from, its VMM timestamp, its name and data. */
    public record Recorded(String side, long micros, String name, JsonNode data) {}

    private final List<Recorded> events = new ArrayList<>();

    @Override
    public synchronized void accept(String side, JsonNode event) {
        events.add(new Recorded(side, QmpClient.eventMicros(event), event.path("event").asString(""),
                event.path("data")));
    }

    public synchronized List<Recorded> events() {
        return List.copyOf(events);
    }

    /** Whether {@code side} sent event {@code name} whose data has {@code field} = {@code value}. */
    public boolean has(String side, String name, String field, String value) {
        return events().stream().anyMatch(e -> e.side().equals(side) && e.name().equals(name)
                && (field == null || e.data().path(field).asString("").equals(value)));
    }

    /**
     * When the secondary's guest ran again as the survivor: its first RESUME after its MIGRATION
     * {@code completed} (the RESUMEs before are checkpoints being loaded), later than {@code
     * afterMicros}; -1 if not yet.
     */
    public long survivorResumedMicros(long afterMicros) {
        long completed = -1;
        for (Recorded e : events()) {
            if (!e.side().equals(ColoPair.SECONDARY) || e.micros() <= afterMicros) {
                continue;
            }
            if (e.name().equals("MIGRATION") && e.data().path("status").asString("").equals("completed")) {
                completed = e.micros();
            } else if (e.name().equals("RESUME") && completed >= 0) {
                return e.micros();
            }
        }
        return -1;
    }

    /** The checkpoints the primary's events show: STOP to RESUME, microseconds, in order. */
    public List<Long> primaryPauses() {
        List<Long> pauses = new ArrayList<>();
        fold(ColoPair.PRIMARY, null, pauses);
        return pauses;
    }

    public void writeTo(Timeline timeline) {
        fold(ColoPair.PRIMARY, timeline, new ArrayList<>());
        fold(ColoPair.SECONDARY, timeline, new ArrayList<>());
    }

    private void fold(String side, Timeline timeline, List<Long> pauses) {
        new Fold(side, timeline, pauses).run(events());
    }

    /** One side's events folded: the state between them. */
    private static final class Fold {
        private final String side;
        private final Timeline timeline;
        private final List<Long> pauses;
        private boolean inColo;
        private Recorded stop;
        private Long pass;
        private long pausedMicros;
        private long firstCheckpoint = -1;

        Fold(String side, Timeline timeline, List<Long> pauses) {
            this.side = side;
            this.timeline = timeline;
            this.pauses = pauses;
        }

        void run(List<Recorded> events) {
            for (Recorded e : events) {
                if (e.side().equals(side)) {
                    String text = text(e);
                    if (text != null && timeline != null) {
                        timeline.add(e.micros(), side, text);
                    }
                }
            }
            leaveColo();
        }

        private String text(Recorded e) {
            switch (e.name()) {
                case "MIGRATION" -> {
                    String status = e.data().path("status").asString("");
                    if (status.equals("colo")) {
                        inColo = true;
                        return "MIGRATION colo: entry into COLO";
                    }
                    leaveColo();
                    return "MIGRATION " + status;
                }
                case "COLO_EXIT" -> {
                    leaveColo();
                    return "COLO_EXIT mode=" + e.data().path("mode").asString("") + " reason="
                            + e.data().path("reason").asString("");
                }
                case "STOP" -> {
                    if (inColo) {
                        stop = e;
                        pass = null;
                        return null;
                    }
                    return "STOP";
                }
                case "MIGRATION_PASS" -> {
                    if (inColo && stop != null) {
                        pass = e.data().path("pass").asLong();
                        return null;
                    }
                    return "MIGRATION_PASS " + e.data().path("pass").asLong();
                }
                case "RESUME" -> {
                    if (inColo && stop != null) {
                        checkpoint(e);
                        return null;
                    }
                    return inColo ? "RESUME: the guest runs in COLO" : "RESUME";
                }
                default -> {
                    return e.name() + (e.data().isMissingNode() ? "" : " " + e.data());
                }
            }
        }

        private void checkpoint(Recorded resume) {
            long paused = resume.micros() - stop.micros();
            pauses.add(paused);
            pausedMicros += paused;
            if (firstCheckpoint < 0) {
                firstCheckpoint = stop.micros();
            }
            if (side.equals(ColoPair.PRIMARY) && timeline != null) {
                timeline.add(stop.micros(), side, "checkpoint " + pauses.size() + ": STOP"
                        + (pass == null ? "" : ", MIGRATION_PASS " + pass) + ", RESUME after " + ms(paused) + " ms");
            }
            stop = null;
        }

        /** COLO ended on this side: the secondary's checkpoints summed up, a checkpoint cut short noted. */
        private void leaveColo() {
            if (!inColo) {
                return;
            }
            inColo = false;
            if (timeline == null) {
                return;
            }
            if (side.equals(ColoPair.SECONDARY) && !pauses.isEmpty()) {
                timeline.add(firstCheckpoint, side, pauses.size() + " checkpoints loaded (STOP .. RESUME, not listed"
                        + " one by one), guest paused " + ms(pausedMicros / pauses.size()) + " ms each on average");
            }
            if (stop != null) {
                timeline.add(stop.micros(), side, "STOP: a checkpoint" + (pass == null ? "" : " (MIGRATION_PASS " + pass + ")")
                        + " that never finished");
                stop = null;
            }
        }
    }

    private static String ms(long micros) {
        return String.format("%.1f", micros / 1000.0);
    }
}

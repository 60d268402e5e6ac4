package org.qapi4j.colo.compare;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Records an {@link OutputComparator}'s callbacks, in order. */
final class RecordingListener implements OutputListener {
    sealed interface Event permits Released, Requested, Pressure {
    }

    record Released(int connection, String line) implements Event {
    }

    record Requested(Reason reason) implements Event {
    }

    record Pressure(int connection, boolean paused) implements Event {
    }

    final List<Event> events = new ArrayList<>();

    @Override
    public synchronized void release(int connection, byte[] line) {
        events.add(new Released(connection, new String(line, StandardCharsets.UTF_8)));
    }

    @Override
    public synchronized void requestCheckpoint(Reason reason) {
        events.add(new Requested(reason));
    }

    @Override
    public synchronized void backPressure(int connection, boolean paused) {
        events.add(new Pressure(connection, paused));
    }

    /** The lines released to {@code connection}, in order. */
    synchronized List<String> released(int connection) {
        return events.stream()
                .filter(e -> e instanceof Released r && r.connection() == connection)
                .map(e -> ((Released) e).line())
                .collect(Collectors.toList());
    }

    synchronized List<Released> released() {
        return events.stream().filter(e -> e instanceof Released).map(e -> (Released) e).collect(Collectors.toList());
    }

    synchronized List<Reason> requests() {
        return events.stream()
                .filter(e -> e instanceof Requested)
                .map(e -> ((Requested) e).reason())
                .collect(Collectors.toList());
    }

    synchronized List<Pressure> pressure() {
        return events.stream().filter(e -> e instanceof Pressure).map(e -> (Pressure) e).collect(Collectors.toList());
    }

    synchronized void clear() {
        events.clear();
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

package org.qapi4j.colo.demo;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * What happened, from every source, on one clock: microseconds since the epoch (the VMMs'
 * event timestamps are on it too), printed as milliseconds since the demonstration began, in
 * order. Thread-safe.
 */
public final class Timeline {
    /** One line of the timeline. */
    public record Entry(long micros, String source, String text) {}

    private final long startMicros;
    private final List<Entry> entries = new ArrayList<>();

    public Timeline() {
        this.startMicros = nowMicros();
    }

    public static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    }

    /** Something that happens now. */
    public void add(String source, String text) {
        add(nowMicros(), source, text);
    }

    public synchronized void add(long micros, String source, String text) {
        entries.add(new Entry(micros, source, text));
    }

    /** Milliseconds since the start of {@code micros}. */
    public double millis(long micros) {
        return (micros - startMicros) / 1000.0;
    }

    public synchronized List<Entry> entries() {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::micros));
        return sorted;
    }

    /** When the first entry whose text matches {@code text} happened, or -1. */
    public long firstMicros(Predicate<String> text) {
        return entries().stream().filter(e -> text.test(e.text())).mapToLong(Entry::micros).findFirst().orElse(-1);
    }

    public void print(PrintStream out) {
        out.printf("%10s  %-10s %s%n", "ms", "who", "what");
        for (Entry entry : entries()) {
            out.printf("%10.1f  %-10s %s%n", millis(entry.micros()), entry.source(), entry.text());
        }
    }
}

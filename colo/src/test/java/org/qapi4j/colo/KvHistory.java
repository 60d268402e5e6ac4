package org.qapi4j.colo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A history of kvstore operations as clients saw them, each with the time it was first sent
 * and the time its answer arrived ({@link System#nanoTime()}), and a checker that no answer
 * contradicts another (Jepsen-style, per key; writes of unknown outcome allowed).
 *
 * <p>Writes of one key must come from one client, one at a time (the kvstore's writes by request
 * id): they are then totally ordered by when they were sent. A write whose answer never came has
 * an unknown outcome: it may have been applied, at any time after it was sent. The rules, per
 * key:
 * <ul>
 *   <li>a read answers the last write acknowledged before the read was sent, or a write sent
 *       before the read's answer came whose acknowledgement came after the read was sent (or
 *       never): it is concurrent with the read; {@code NONE} only when no write was acknowledged
 *       before the read was sent;
 *   <li>a read that answers a write gives the sequence number the write was acknowledged with;
 *   <li>reads do not go back: a read sent after another read's answer came answers the same
 *       write or a later one;
 *   <li>no two writes are acknowledged with the same sequence number.
 * </ul>
 * Values must identify their write (every write of a key a different value).
 */
final class KvHistory {
    /** A write: acknowledged with {@code seq} at {@code completed}, or unknown (completed = MAX). */
    record Write(String client, String requestId, String key, String value, long invoked, long completed, long seq) {
        boolean acked() {
            return completed != Long.MAX_VALUE;
        }
    }

    /** A read: {@code value} null for NONE. */
    record Read(String client, String key, String value, long seq, long invoked, long completed) {}

    private final List<Write> writes = new ArrayList<>();
    private final List<Read> reads = new ArrayList<>();

    synchronized void acked(String client, String requestId, String key, String value, long invoked, long completed,
            long seq) {
        writes.add(new Write(client, requestId, key, value, invoked, completed, seq));
    }

    synchronized void unknown(String client, String requestId, String key, String value, long invoked) {
        writes.add(new Write(client, requestId, key, value, invoked, Long.MAX_VALUE, -1));
    }

    synchronized void read(String client, String key, String value, long seq, long invoked, long completed) {
        reads.add(new Read(client, key, value, seq, invoked, completed));
    }

    synchronized int writeCount() {
        return writes.size();
    }

    synchronized int readCount() {
        return reads.size();
    }

    /** Per key, its writes in the order they were sent. */
    private Map<String, List<Write>> writesByKey() {
        Map<String, List<Write>> byKey = new HashMap<>();
        for (Write w : writes) {
            byKey.computeIfAbsent(w.key(), k -> new ArrayList<>()).add(w);
        }
        byKey.values().forEach(list -> list.sort(Comparator.comparingLong(Write::invoked)));
        return byKey;
    }

    /** Every way the history contradicts itself; empty when it does not. */
    synchronized List<String> violations() {
        List<String> problems = new ArrayList<>();
        Map<Long, Write> bySeq = new HashMap<>();
        for (Write w : writes) {
            if (w.acked()) {
                Write other = bySeq.putIfAbsent(w.seq(), w);
                if (other != null && !other.requestId().equals(w.requestId())) {
                    problems.add("two writes acknowledged with sequence number " + w.seq() + ": " + other + ", " + w);
                }
            }
        }
        Map<String, List<Write>> byKey = writesByKey();
        // index of the write each read saw (-1: NONE), per read, for the no-going-back rule
        Map<Read, Integer> seen = new HashMap<>();
        for (Read r : reads) {
            List<Write> ws = byKey.getOrDefault(r.key(), List.of());
            int lastAckedBefore = -1;
            for (int i = 0; i < ws.size(); i++) {
                if (ws.get(i).completed() < r.invoked()) {
                    lastAckedBefore = i;
                }
            }
            if (r.value() == null) {
                if (lastAckedBefore >= 0) {
                    problems.add("read " + r + " answered NONE after " + ws.get(lastAckedBefore) + " was acknowledged");
                }
                seen.put(r, -1);
                continue;
            }
            int match = -1;
            for (int i = 0; i < ws.size(); i++) {
                if (Objects.equals(ws.get(i).value(), r.value())) {
                    match = i;
                }
            }
            if (match < 0) {
                problems.add("read " + r + " answered a value nobody wrote");
                continue;
            }
            Write w = ws.get(match);
            boolean allowed = match == lastAckedBefore
                    || (match > lastAckedBefore && w.invoked() < r.completed());
            if (!allowed) {
                problems.add("read " + r + " answered " + w + (match < lastAckedBefore
                        ? ", older than " + ws.get(lastAckedBefore) + ", acknowledged before the read was sent"
                        : ", which was sent after the read's answer came"));
            }
            if (w.acked() && w.seq() != r.seq()) {
                problems.add("read " + r + " answered sequence number " + r.seq() + " for " + w);
            }
            seen.put(r, match);
        }
        Map<String, List<Read>> readsByKey = new HashMap<>();
        for (Read r : reads) {
            readsByKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
        }
        for (List<Read> rs : readsByKey.values()) {
            rs.sort(Comparator.comparingLong(Read::completed));
            // the latest-seen index among reads completed before each read's invocation
            for (Read r : rs) {
                Integer mine = seen.get(r);
                if (mine == null) {
                    continue;
                }
                for (Read earlier : rs) {
                    if (earlier.completed() >= r.invoked()) {
                        break;
                    }
                    Integer theirs = seen.get(earlier);
                    if (theirs != null && theirs > mine) {
                        problems.add("read " + r + " went back: " + earlier + " had already answered a later write");
                        break;
                    }
                }
            }
        }
        return problems;
    }

    /**
     * What a final read of each key (all writes ended) must answer: the last acknowledged write,
     * or a write after it of unknown outcome. Returns the problems with {@code finalReads}
     * (key to the answer line, "VALUE seq value" or "NONE").
     */
    synchronized List<String> checkFinal(Map<String, String> finalReads) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, List<Write>> entry : writesByKey().entrySet()) {
            String key = entry.getKey();
            List<Write> ws = entry.getValue();
            int lastAcked = -1;
            for (int i = 0; i < ws.size(); i++) {
                if (ws.get(i).acked()) {
                    lastAcked = i;
                }
            }
            String answer = finalReads.get(key);
            if (lastAcked < 0) {
                continue;
            }
            Write last = ws.get(lastAcked);
            if (answer == null || !answer.startsWith("VALUE ")) {
                problems.add(key + ": acknowledged " + last + " but the survivor answers " + answer);
                continue;
            }
            String[] parts = answer.split(" ", 3);
            long seq = Long.parseLong(parts[1]);
            String value = parts.length > 2 ? parts[2] : "";
            boolean ok = value.equals(last.value()) && seq == last.seq();
            for (int i = lastAcked + 1; i < ws.size() && !ok; i++) {
                ok = !ws.get(i).acked() && ws.get(i).value().equals(value);
            }
            if (!ok) {
                problems.add(key + ": acknowledged " + last + " but the survivor answers " + answer);
            }
        }
        return problems;
    }

    /** Per key, its last acknowledged write. */
    synchronized Map<String, Write> lastAcked() {
        Map<String, Write> last = new HashMap<>();
        for (Map.Entry<String, List<Write>> entry : writesByKey().entrySet()) {
            for (Write w : entry.getValue()) {
                if (w.acked()) {
                    last.put(entry.getKey(), w);
                }
            }
        }
        return last;
    }
}

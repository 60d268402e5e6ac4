package org.qapi4j.colo.demo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A kvstore client that writes {@code PUT ID-N ID-kN vN} with N = 1, 2, ..., up to {@code
 * maxWrites}, each key written once (so that every acknowledged write can be checked on its
 * own), at most {@code perSecond} a second (write N is sent no earlier than N / perSecond s after
 * the start, so a client held up catches up) and each after the answer to the one before.
 * When its connection fails it tries the service's addresses in turn (the primary's NIC, then
 * the secondary's, which answers {@code ERR not serving} until it has taken over) and resends the write it had
 * no answer for, with the same request id: the store answers a write it already applied with
 * its original sequence number. Gives up after {@code giveUpMillis} without an answer.
 */
public final class KvWriter implements Runnable {
    /** An acknowledged write: its request, the sequence number, when the answer came. */
    public record Ack(String rid, String key, String value, long seq, long micros) {}

    /** How the line about a client's first answer after the failover begins. */
    public static final String FIRST_ANSWER_LINE = "first answer after failover";
    private static final int TIMEOUT_MILLIS = 3000;
    /** What a COLO secondary answers clients until a failover makes it serve them. */
    private static final String NOT_SERVING = "ERR not serving";

    private final String id;
    private final List<InetSocketAddress> service;
    private final Timeline timeline;
    private final long maxWrites;
    private final long giveUpMillis;
    private final double perSecond;
    private final List<Ack> acks = new ArrayList<>();
    private volatile boolean stopped;
    private volatile String failure;
    private volatile long firstAnswerAfterLoss = -1;
    private volatile long lossMicros = -1;

    public KvWriter(String id, List<InetSocketAddress> service, Timeline timeline, long maxWrites, double perSecond,
            long giveUpMillis) {
        this.perSecond = perSecond;
        this.id = id;
        this.service = List.copyOf(service);
        this.timeline = timeline;
        this.maxWrites = maxWrites;
        this.giveUpMillis = giveUpMillis;
    }

    public String id() {
        return id;
    }

    public void stop() {
        stopped = true;
    }

    public synchronized List<Ack> acks() {
        return List.copyOf(acks);
    }

    /** Why the writer gave up, or null. */
    public String failure() {
        return failure;
    }

    /** When the connection was lost (microseconds since the epoch; -1: never). */
    public long lossMicros() {
        return lossMicros;
    }

    /** When the first answer after the loss came (-1: none). */
    public long firstAnswerAfterLoss() {
        return firstAnswerAfterLoss;
    }

    @Override
    public void run() {
        KvConnection connection = null;
        int address = 0;
        try {
            connection = new KvConnection(service.get(address), TIMEOUT_MILLIS);
            long start = System.nanoTime();
            for (long n = 1; n <= maxWrites && !stopped; n++) {
                long due = start + (long) ((n - 1) * 1e9 / perSecond);
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
                String rid = id + "-" + n;
                String key = id + "-k" + n;
                String value = "v" + n;
                String request = "PUT " + rid + " " + key + " " + value;
                String answer = null;
                boolean retried = false;
                long since = 0;
                while (answer == null) {
                    try {
                        if (connection == null) {
                            connection = new KvConnection(service.get(address), TIMEOUT_MILLIS);
                        }
                        answer = connection.call(request);
                        if (answer.startsWith(NOT_SERVING)) {
                            throw new IOException(answer); // the secondary, before it took over
                        }
                    } catch (IOException e) {
                        answer = null;
                        if (connection != null) {
                            connection.close();
                            connection = null;
                        }
                        if (!retried) {
                            retried = true;
                            since = System.nanoTime();
                            if (lossMicros < 0) {
                                lossMicros = Timeline.nowMicros();
                                timeline.add(lossMicros, id, "connection lost (" + e.getMessage() + "), " + rid
                                        + " unacknowledged: reconnecting");
                            }
                        } else if (System.nanoTime() - since > giveUpMillis * 1_000_000) {
                            failure = "no answer to " + rid + " for " + giveUpMillis + " ms: " + e.getMessage();
                            timeline.add(id, "gave up: " + failure);
                            return;
                        }
                        address = (address + 1) % service.size();
                        QmpClient.sleep(1);
                    }
                }
                long now = Timeline.nowMicros();
                if (!answer.startsWith("OK ")) {
                    failure = request + " answered " + answer;
                    timeline.add(now, id, "wrong answer: " + failure);
                    return;
                }
                long seq = Long.parseLong(answer.substring(3).trim());
                synchronized (this) {
                    acks.add(new Ack(rid, key, value, seq, now));
                }
                if (retried && lossMicros >= 0 && firstAnswerAfterLoss < 0) {
                    firstAnswerAfterLoss = now;
                    timeline.add(now, id, FIRST_ANSWER_LINE + ", from " + service.get(address) + ": " + answer
                            + " to the resent " + rid + " (" + String.format("%.1f", (now - lossMicros) / 1000.0)
                            + " ms without answers)");
                }
            }
        } catch (IOException e) {
            failure = "could not connect to " + service.get(address) + ": " + e.getMessage();
            timeline.add(id, failure);
        } finally {
            if (connection != null) {
                connection.close();
            }
        }
    }
}

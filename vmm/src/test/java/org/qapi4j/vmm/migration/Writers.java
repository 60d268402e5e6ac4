package org.qapi4j.vmm.migration;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.qapi4j.vmm.process.KvClient;

/**
 * Kvstore clients that keep writing while their guest migrates, as clients of a service that
 * moves: each writer puts {@code W-N key W-k(N % 200) value vN-W} one at a time, each with its own
 * request id; when its connection fails or goes silent it reconnects to wherever {@link
 * #switchTo} last pointed, and resends the unacknowledged write with the same request id.
 * Acknowledged writes are recorded (per key, the last one) so that a test can check them all.
 */
final class Writers implements AutoCloseable {
    /** The last acknowledged write of a key. */
    record Ack(long seq, String value) {}

    private static final int KEYS_PER_WRITER = 200;
    private final AtomicReference<InetSocketAddress> target;
    private final List<Writer> writers = new ArrayList<>();
    private final Map<String, Ack> acked = new ConcurrentHashMap<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final AtomicLong acks = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final Map<Long, String> seqs = new ConcurrentHashMap<>();

    Writers(InetSocketAddress nic, int count) {
        target = new AtomicReference<>(nic);
        for (int i = 0; i < count; i++) {
            Writer writer = new Writer("w" + i);
            writers.add(writer);
            writer.start();
        }
    }

    /** Points the writers at {@code nic} and drops their connections, as a failover does. */
    void switchTo(InetSocketAddress nic) {
        target.set(nic);
        for (Writer writer : writers) {
            writer.drop();
        }
    }

    /** Acknowledged writes so far. */
    long acks() {
        return acks.get();
    }

    /** Resent writes so far. */
    long retries() {
        return retries.get();
    }

    /** Polls until {@code more} writes beyond {@code from} were acknowledged; fails after {@code seconds}. */
    void awaitAcks(long atLeast, double seconds) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (acks.get() < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + acks.get() + " of " + atLeast + " writes acknowledged in " + seconds
                        + " s; problems: " + problems);
            }
            Thread.sleep(5);
        }
    }

    /** Stops the writers after their current write and returns what went wrong. */
    List<String> stop() throws InterruptedException {
        for (Writer writer : writers) {
            writer.stopping = true;
        }
        for (Writer writer : writers) {
            writer.join(60_000);
            if (writer.isAlive()) {
                problems.add(writer.getName() + " did not stop within 60 s");
            }
        }
        return List.copyOf(problems);
    }

    /** The last acknowledged write of each key. */
    Map<String, Ack> acked() {
        return Map.copyOf(acked);
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Writer extends Thread {
        private volatile boolean stopping;
        private volatile KvClient client;

        Writer(String name) {
            super(name);
            setDaemon(true);
        }

        void drop() {
            KvClient c = client;
            if (c != null) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // the writer sees its connection fail, which is the point
                }
            }
        }

        @Override
        public void run() {
            String name = getName();
            try {
                for (long n = 0; !stopping; n++) {
                    String key = name + "-k" + (n % KEYS_PER_WRITER);
                    String value = "v" + n + "-" + name;
                    String request = "PUT " + name + "-" + n + " " + key + " " + value;
                    String answer = putUntilAnswered(request);
                    if (answer == null) {
                        return;
                    }
                    if (!answer.startsWith("OK ")) {
                        problems.add(request + " -> " + answer);
                        return;
                    }
                    long seq = Long.parseLong(answer.substring(3));
                    String before = seqs.putIfAbsent(seq, request);
                    if (before != null) {
                        problems.add("two writes acknowledged with sequence number " + seq + ": " + before + ", " + request);
                    }
                    acked.put(key, new Ack(seq, value));
                    acks.incrementAndGet();
                    Thread.sleep(1); // pacing: about 1000 writes a second per writer at most
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                problems.add(name + ": " + e);
            } finally {
                drop();
            }
        }

        /** Sends {@code request} until some machine answers it (resending by the same id); null if stopped first. */
        private String putUntilAnswered(String request) throws InterruptedException {
            long deadline = System.nanoTime() + 60_000_000_000L;
            for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
                if (attempt > 0) {
                    retries.incrementAndGet();
                    Thread.sleep(Math.min(attempt, 20)); // back off while the new machine comes up
                }
                try {
                    if (client == null) {
                        KvClient c = new KvClient(target.get());
                        c.timeout(3000);
                        client = c;
                    }
                    String answer = client.call(request);
                    if (answer != null) {
                        return answer;
                    }
                } catch (IOException e) {
                    // connection refused, reset, closed by switchTo, or silent: reconnect and resend
                }
                drop();
                client = null;
            }
            problems.add(request + ": no machine answered it within 60 s");
            return null;
        }
    }
}

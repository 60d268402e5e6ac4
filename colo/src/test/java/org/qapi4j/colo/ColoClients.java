package org.qapi4j.colo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.qapi4j.vmm.process.KvClient;
import org.qapi4j.vmm.process.Lab;

/**
 * Kvstore clients of a COLO service, each in a thread of its own: client {@code cI} writes its
 * own keys {@code cI-kM} ({@code PUT cI-N cI-k(N % KEYS) vN-cI}) and, one request in three, reads
 * a key of any client. When a connection fails, goes silent or is refused by a COLO secondary it
 * reconnects to wherever {@link #switchTo} last pointed and resends the request (a write by the
 * same request id). Every operation goes into a {@link KvHistory}.
 */
final class ColoClients implements AutoCloseable {
    static final int KEYS = 50;

    private final AtomicReference<InetSocketAddress> target;
    private final KvHistory history;
    private final int count;
    private final List<Client> clients = new ArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final AtomicLong answers = new AtomicLong();
    private final AtomicLong acks = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong lastAnswerNanos = new AtomicLong(System.nanoTime());

    ColoClients(InetSocketAddress nic, int count, KvHistory history) {
        this(nic, count, history, 0);
    }

    /** @param seed the clients' choices of reads and keys: client {@code cI} draws from {@code Random(seed * 1000 + I)} */
    ColoClients(InetSocketAddress nic, int count, KvHistory history, long seed) {
        this.target = new AtomicReference<>(nic);
        this.history = history;
        this.count = count;
        for (int i = 0; i < count; i++) {
            Client client = new Client("c" + i, new Random(seed * 1000 + i));
            clients.add(client);
            client.start();
        }
    }

    /** Points the clients at {@code nic}: they reconnect there when their connection fails. */
    void switchTo(InetSocketAddress nic) {
        target.set(nic);
    }

    long answers() {
        return answers.get();
    }

    long acks() {
        return acks.get();
    }

    List<String> problems() {
        return List.copyOf(problems);
    }

    long retries() {
        return retries.get();
    }

    /** Every key the clients may write. */
    List<String> keys() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            for (int k = 0; k < KEYS; k++) {
                keys.add("c" + i + "-k" + k);
            }
        }
        return keys;
    }

    /** Polls until {@code atLeast} answers came in all; fails after {@code seconds}. */
    void awaitAnswers(long atLeast, double seconds) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (answers.get() < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + answers.get() + " of " + atLeast + " answers in " + seconds
                        + " s; problems: " + problems);
            }
            Thread.sleep(5);
        }
    }

    /**
     * As {@link #awaitAnswers}, but also done once {@code faulty} printed that its {@code
     * --colo-fault} fired: a fault early in COLO (checkpoint 2 comes 200 ms after the entry) may
     * stop the side that answers before {@code atLeast} answers came.
     */
    void awaitAnswersOrFault(long atLeast, Lab.Node faulty, double seconds) throws Exception {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (answers.get() < atLeast && !faulty.output().contains("--colo-fault: ")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + answers.get() + " of " + atLeast + " answers in " + seconds
                        + " s, and no --colo-fault fired; problems: " + problems);
            }
            Thread.sleep(5);
        }
    }

    /** Stops the clients after their current request (answered) and returns what went wrong. */
    List<String> stop() throws InterruptedException {
        for (Client client : clients) {
            client.stopping = true;
        }
        for (Client client : clients) {
            client.join(60_000);
            if (client.isAlive()) {
                problems.add(client.getName() + " did not stop within 60 s");
            }
        }
        return List.copyOf(problems);
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Client extends Thread {
        private final Random random;
        private volatile boolean stopping;
        private KvClient connection;

        Client(String name, Random random) {
            super(name);
            this.random = random;
            setDaemon(true);
        }

        @Override
        public void run() {
            String name = getName();
            try {
                for (long n = 0; !stopping; n++) {
                    if (random.nextInt(3) == 0) {
                        String key = "c" + random.nextInt(count) + "-k" + random.nextInt(KEYS);
                        long invoked = System.nanoTime();
                        String answer = untilAnswered("GET " + key);
                        long completed = System.nanoTime();
                        if (answer == null) {
                            return;
                        }
                        if (answer.equals("NONE")) {
                            history.read(name, key, null, -1, invoked, completed);
                        } else if (answer.startsWith("VALUE ")) {
                            String[] parts = answer.split(" ", 3);
                            history.read(name, key, parts.length > 2 ? parts[2] : "", Long.parseLong(parts[1]),
                                    invoked, completed);
                        } else {
                            problems.add("GET " + key + " -> " + answer);
                            return;
                        }
                    } else {
                        String id = name + "-" + n;
                        String key = name + "-k" + (n % KEYS);
                        String value = "v" + n + "-" + name;
                        long invoked = System.nanoTime();
                        String answer = untilAnswered("PUT " + id + " " + key + " " + value);
                        long completed = System.nanoTime();
                        if (answer == null) {
                            history.unknown(name, id, key, value, invoked);
                            return;
                        }
                        if (!answer.startsWith("OK ")) {
                            history.unknown(name, id, key, value, invoked);
                            problems.add("PUT " + id + " " + key + " " + value + " -> " + answer);
                            return;
                        }
                        history.acked(name, id, key, value, invoked, completed, Long.parseLong(answer.substring(3)));
                        acks.incrementAndGet();
                    }
                    answers.incrementAndGet();
                    lastAnswerNanos.set(System.nanoTime());
                    Thread.sleep(1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                problems.add(name + ": " + e);
            } finally {
                drop();
            }
        }

        private void drop() {
            if (connection != null) {
                try {
                    connection.close();
                } catch (IOException ignored) {
                    // reconnecting anyway
                }
                connection = null;
            }
        }

        /** Sends {@code request} until a serving machine answers it; null if no machine did within 60 s. */
        private String untilAnswered(String request) throws InterruptedException {
            long deadline = System.nanoTime() + 60_000_000_000L;
            for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
                if (attempt > 0) {
                    retries.incrementAndGet();
                    Thread.sleep(Math.min(attempt * 2, 50));
                }
                try {
                    if (connection == null) {
                        KvClient c = new KvClient(target.get());
                        c.timeout(5000);
                        connection = c;
                    }
                    String answer = connection.call(request);
                    if (answer != null && !answer.startsWith("ERR not serving")) {
                        return answer;
                    }
                } catch (IOException e) {
                    // refused, reset, closed or silent: reconnect and resend
                }
                drop();
            }
            problems.add(request + ": no machine answered it within 60 s");
            return null;
        }
    }
}

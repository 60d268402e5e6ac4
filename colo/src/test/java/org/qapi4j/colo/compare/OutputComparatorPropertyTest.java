package org.qapi4j.colo.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.qapi4j.colo.compare.RecordingListener.b;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Seeded random runs of a COLO pair's outputs against a model of the rules. Each run: up to four
 * connections, several epochs; per epoch the primary's and the secondary's outputs interleave at
 * random (per connection and side in order), some of the secondary's answers differ, one may be
 * missing or extra, some arrive after the primary's epoch ended; checkpoints start after each
 * epoch and their coverage is sometimes late; timers fire at random; a run ends with a covered
 * checkpoint or a failover to the primary. Replay one seed with {@code -Dcompare.seed=<seed>}.
 */
class OutputComparatorPropertyTest {
    private static final int RUNS = 400;

    @Test
    void randomInterleavingsKeepTheInvariants() {
        String fixed = System.getProperty("compare.seed");
        long base = fixed != null ? Long.parseLong(fixed) : System.nanoTime();
        int runs = fixed != null ? 1 : RUNS;
        System.out.println("OutputComparatorPropertyTest base seed " + base + " (" + runs + " runs: seeds base..base+"
                + (runs - 1) + ")");
        for (int i = 0; i < runs; i++) {
            new Run(base + i).check();
        }
    }

    // ---- events ----

    private sealed interface Event permits Primary, Secondary, Started, Covered, Poll, Failover {
    }

    private record Primary(int c, long e, int k, String line) implements Event {
    }

    private record Secondary(int c, long e, int k, String line) implements Event {
    }

    private record Started(long n) implements Event {
    }

    private record Covered(long n) implements Event {
    }

    private record Poll(long advanceMs) implements Event {
    }

    private record Failover() implements Event {
    }

    private record Key(int c, long e, int k) {
    }

    private static final class Run implements OutputListener {
        final long seed;
        final Random random;
        final List<Event> events = new ArrayList<>();

        final AtomicLong clock = new AtomicLong();
        final OutputComparator cmp;

        // The model.
        long primaryEpoch;
        long covered;
        boolean failedOver;
        final Map<Integer, List<Primary>> delivered = new HashMap<>();
        final Map<Integer, Integer> releasedCount = new HashMap<>();
        final Map<Key, String> primaryLines = new HashMap<>();
        final Map<Key, String> secondaryLive = new HashMap<>();
        long mismatchRequests;
        long expectedMismatches;
        final List<String> violations = new ArrayList<>();

        Run(long seed) {
            this.seed = seed;
            this.random = new Random(seed);
            this.cmp = new OutputComparator(this, CompareOptions.defaults(), clock::get);
            generate();
        }

        // ---- generation ----

        private void generate() {
            int connections = 1 + random.nextInt(4);
            int epochs = 1 + random.nextInt(6);
            Event pendingCovered = null;
            for (int e = 0; e < epochs; e++) {
                List<List<Event>> main = new ArrayList<>();
                List<List<Event>> late = new ArrayList<>();
                for (int c = 1; c <= connections; c++) {
                    int n = random.nextInt(7);
                    List<Event> primary = new ArrayList<>();
                    List<Event> secondary = new ArrayList<>();
                    List<Event> delayed = new ArrayList<>();
                    for (int k = 0; k < n; k++) {
                        primary.add(new Primary(c, e, k, c + "/" + e + "/" + k));
                    }
                    int m = n;
                    double shape = random.nextDouble();
                    if (shape < 0.07 && n > 0) {
                        m = n - 1; // the secondary gave one answer fewer
                    } else if (shape < 0.14) {
                        m = n + 1; // ... or one more
                    }
                    int cut = random.nextDouble() < 0.2 ? random.nextInt(m + 1) : m;
                    for (int k = 0; k < m; k++) {
                        String line = random.nextDouble() < 0.12 ? c + "/" + e + "/" + k + " differs" : c + "/" + e + "/" + k;
                        (k < cut ? secondary : delayed).add(new Secondary(c, e, k, line));
                    }
                    main.add(primary);
                    main.add(secondary);
                    late.add(delayed);
                }
                List<Event> phase = merge(main);
                if (pendingCovered != null) {
                    phase.add(random.nextInt(phase.size() + 1), pendingCovered);
                    pendingCovered = null;
                }
                events.addAll(phase);
                events.add(new Started(e + 1));
                List<Event> after = merge(late);
                Covered cov = new Covered(e + 1);
                if (random.nextDouble() < 0.3 && e + 1 < epochs) {
                    pendingCovered = cov;
                } else if (!(e + 1 == epochs && random.nextDouble() < 0.25)) {
                    after.add(random.nextInt(after.size() + 1), cov);
                } else {
                    after.add(new Failover()); // the run ends with the secondary lost
                }
                events.addAll(after);
            }
        }

        /** Interleaves the lists at random, each in its own order, with timer ticks. */
        private List<Event> merge(List<List<Event>> lists) {
            List<Event> merged = new ArrayList<>();
            List<List<Event>> left = new ArrayList<>();
            for (List<Event> l : lists) {
                if (!l.isEmpty()) {
                    left.add(new ArrayList<>(l));
                }
            }
            while (!left.isEmpty()) {
                if (random.nextDouble() < 0.1) {
                    merged.add(new Poll(random.nextInt(1500)));
                }
                int i = random.nextInt(left.size());
                merged.add(left.get(i).remove(0));
                if (left.get(i).isEmpty()) {
                    left.remove(i);
                }
            }
            return merged;
        }

        // ---- running ----

        void check() {
            for (int i = 0; i < events.size(); i++) {
                Event event = events.get(i);
                long before = mismatchRequests;
                long expected = apply(event);
                if (mismatchRequests - before != expected) {
                    violations.add(event + ": " + (mismatchRequests - before) + " MISMATCH requests, expected "
                            + expected);
                }
                checkNothingHeldWithoutReason(event);
                assertThat(violations).as("seed %d, event %d of %s", seed, i, events).isEmpty();
            }
            long total = delivered.values().stream().mapToLong(List::size).sum();
            for (var entry : delivered.entrySet()) {
                assertThat(releasedCount.getOrDefault(entry.getKey(), 0))
                        .as("seed %d: released to connection %d", seed, entry.getKey())
                        .isEqualTo(entry.getValue().size());
            }
            CompareStats stats = cmp.stats();
            assertThat(stats.released()).as("seed %d", seed).isEqualTo(total);
            assertThat(stats.held()).as("seed %d", seed).isZero();
            assertThat(stats.secondaryQueued()).as("seed %d", seed).isZero();
            assertThat(stats.mismatches()).as("seed %d", seed).isEqualTo(expectedMismatches);
            assertThat(stats.checkpointsRequested(Reason.MISMATCH)).as("seed %d", seed).isEqualTo(mismatchRequests);
            assertThat(stats.checkpointsRequested(Reason.QUEUE_FULL)).as("seed %d", seed).isZero();
        }

        /** Applies {@code event} to the model and the comparator; returns the mismatches it must cause. */
        private long apply(Event event) {
            long mismatch = 0;
            if (event instanceof Primary p) {
                Key key = new Key(p.c, p.e, p.k);
                primaryEpoch = Math.max(primaryEpoch, p.e);
                primaryLines.put(key, p.line);
                delivered.computeIfAbsent(p.c, c -> new ArrayList<>()).add(p);
                if (!failedOver && secondaryLive.containsKey(key) && earlierPairsEqual(key)
                        && !secondaryLive.get(key).equals(p.line)) {
                    mismatch = 1;
                }
                cmp.primaryOutput(p.c, p.e, b(p.line));
            } else if (event instanceof Secondary s) {
                Key key = new Key(s.c, s.e, s.k);
                if (!failedOver && s.e >= primaryEpoch) {
                    secondaryLive.put(key, s.line);
                    if (primaryLines.containsKey(key) && earlierPairsEqual(key)
                            && !primaryLines.get(key).equals(s.line)) {
                        mismatch = 1;
                    }
                }
                cmp.secondaryOutput(s.c, s.e, b(s.line));
            } else if (event instanceof Started st) {
                primaryEpoch = Math.max(primaryEpoch, st.n);
                cmp.checkpointStarted(st.n);
            } else if (event instanceof Covered cv) {
                primaryEpoch = Math.max(primaryEpoch, cv.n);
                covered = Math.max(covered, cv.n);
                cmp.checkpointCovered(cv.n);
            } else if (event instanceof Poll poll) {
                cmp.poll(clock.addAndGet(poll.advanceMs * 1_000_000L));
            } else if (event instanceof Failover) {
                failedOver = true;
                cmp.failover(Side.PRIMARY);
            }
            expectedMismatches += mismatch;
            return mismatch;
        }

        /** Whether every earlier pair of the key's connection and epoch was compared and equal. */
        private boolean earlierPairsEqual(Key key) {
            for (int j = 0; j < key.k; j++) {
                Key earlier = new Key(key.c, key.e, j);
                String s = secondaryLive.get(earlier);
                if (s == null || !s.equals(primaryLines.get(earlier))) {
                    return false;
                }
            }
            return true;
        }

        /** Whether the primary's output is known equal to the secondary's, as are all before it in its epoch. */
        private boolean matched(Primary p) {
            Key key = new Key(p.c, p.e, p.k);
            return secondaryLive.containsKey(key) && earlierPairsEqual(key)
                    && secondaryLive.get(key).equals(p.line);
        }

        private boolean releasable(Primary p) {
            return failedOver || p.e < covered || matched(p);
        }

        /** Liveness: the next line of each connection, if it may go, has gone. */
        private void checkNothingHeldWithoutReason(Event after) {
            for (var entry : delivered.entrySet()) {
                int next = releasedCount.getOrDefault(entry.getKey(), 0);
                if (next < entry.getValue().size() && releasable(entry.getValue().get(next))) {
                    violations.add("after " + after + ": " + entry.getValue().get(next) + " may go but is held");
                }
            }
        }

        // ---- callbacks: safety ----

        @Override
        public void release(int connection, byte[] line) {
            String text = new String(line, StandardCharsets.UTF_8);
            List<Primary> lines = delivered.getOrDefault(connection, List.of());
            int j = releasedCount.getOrDefault(connection, 0);
            if (j >= lines.size()) {
                violations.add("released " + text + " to " + connection + " beyond what the primary produced");
                return;
            }
            Primary expected = lines.get(j);
            if (!expected.line.equals(text)) {
                violations.add("released " + text + " to " + connection + " out of order: expected " + expected);
            } else if (!releasable(expected)) {
                violations.add("released " + expected + " before its epoch was covered, unmatched");
            }
            releasedCount.put(connection, j + 1);
        }

        @Override
        public void requestCheckpoint(Reason reason) {
            if (reason == Reason.MISMATCH) {
                mismatchRequests++;
            }
        }
    }
}

package org.qapi4j.colo.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --arbiter embedded} or {@code zookeeper://...}: both VMMs get {@code --colo-arbiter}, so
 * the primary holds a lease in ZooKeeper (an ephemeral znode of its session) while in COLO, and
 * the secondary, once it has seen that lease go (ZooKeeper expired the dead primary's session)
 * and has taken it, fails over by itself. The demonstration sends nothing after the kill: it
 * only waits for the secondary's guest to run again, for at most {@link #waitMillis}.
 *
 * <p>Each run uses a lease path of its own, {@code /qapi4j-colo-demo/PID-MILLIS}, so that runs
 * against one ensemble never see each other's lease (its parents are container znodes, which the
 * ensemble removes once empty).
 */
final class ArbiterTakeover implements Takeover {
    /**
     * What the VMMs print on stderr about the lease ({@code org.qapi4j.colo.arbiter.Arbiter}):
     * {@code vmm: COLO arbiter: WHAT at=EPOCH_MS}; the line about the lease going has the time
     * the secondary's watch fired as {@code , seen at=EPOCH_MS} before that.
     */
    private static final Pattern REPORT = Pattern.compile("COLO arbiter: (.*?),? (?:seen )?at=(\\d+)");
    private static final String LEASE_GONE = "the primary's lease is gone";

    private final EmbeddedZooKeeper zooKeeper;
    private final String arbiterUrl;
    private final int sessionTimeoutMillis;
    private final Timeline timeline;

    private ArbiterTakeover(EmbeddedZooKeeper zooKeeper, String arbiterUrl, int sessionTimeoutMillis, Timeline timeline) {
        this.zooKeeper = zooKeeper;
        this.arbiterUrl = arbiterUrl;
        this.sessionTimeoutMillis = sessionTimeoutMillis;
        this.timeline = timeline;
    }

    /** Starts the embedded ZooKeeper server in {@code dir} if {@code choice} asks for it. */
    static ArbiterTakeover start(ArbiterChoice choice, int sessionTimeoutMillis, Path dir, Timeline timeline)
            throws IOException {
        String path = "/qapi4j-colo-demo/" + ProcessHandle.current().pid() + "-" + System.currentTimeMillis();
        EmbeddedZooKeeper zooKeeper = null;
        String servers;
        if (choice.kind() == ArbiterChoice.Kind.EMBEDDED) {
            zooKeeper = EmbeddedZooKeeper.start(dir.resolve("zookeeper"));
            servers = zooKeeper.connectString();
            timeline.add("demo", "ZooKeeper " + EmbeddedZooKeeper.version() + " started in this JVM on " + servers
                    + " (tick " + EmbeddedZooKeeper.TICK_MILLIS + " ms), for the arbiter");
        } else {
            servers = String.join(",", choice.servers());
        }
        String url = "zookeeper://" + servers + path + "?session-timeout-ms=" + sessionTimeoutMillis;
        timeline.add("demo", "both VMMs get --colo-arbiter " + url + ": the primary holds the lease " + path
                + "/lease while it lives; the secondary takes the lease once ZooKeeper expired the primary's session, and"
                + " then takes over");
        return new ArbiterTakeover(zooKeeper, url, sessionTimeoutMillis, timeline);
    }

    @Override
    public List<String> vmmArgs() {
        return List.of("--colo-arbiter", arbiterUrl);
    }

    @Override
    public long expectedOutageMillis() {
        return sessionTimeoutMillis;
    }

    /**
     * Twice the session timeout and 5 s: an ensemble may grant a longer session than asked (at
     * least two of its ticks) and expires sessions on tick boundaries; the takeover itself takes
     * some tens of milliseconds.
     */
    @Override
    public long waitMillis() {
        return 2L * sessionTimeoutMillis + 5000;
    }

    @Override
    public boolean afterKill(ColoPair pair, EventRecorder events, Consumer<String> problem) throws InterruptedException {
        long kill = timeline.firstMicros(text -> text.startsWith(Demonstration.KILL_LINE));
        timeline.add("demo", "the primary is gone; no x-colo-lost-heartbeat: the arbiter decides (the secondary takes"
                + " over once the primary's " + sessionTimeoutMillis + " ms session expired and it holds the lease)");
        long deadline = System.nanoTime() + waitMillis() * 1_000_000;
        while (events.survivorResumedMicros(kill) < 0) {
            if (System.nanoTime() > deadline) {
                problem.accept("the secondary did not take over within " + waitMillis() + " ms of the SIGKILL");
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    @Override
    public void addToTimeline(ColoPair pair) throws IOException {
        addReports(ColoPair.PRIMARY, pair.primary().output());
        addReports(ColoPair.SECONDARY, pair.secondary().output());
    }

    private void addReports(String side, String output) {
        for (String line : output.split("\n")) {
            Matcher report = REPORT.matcher(line);
            if (report.find()) {
                timeline.add(Long.parseLong(report.group(2)) * 1000, side, "arbiter: " + report.group(1));
            }
        }
    }

    @Override
    public String summary(Timeline timeline, EventRecorder events) {
        long kill = timeline.firstMicros(text -> text.startsWith(Demonstration.KILL_LINE));
        if (kill < 0) {
            return null;
        }
        long leaseGone = timeline.firstMicros(text -> text.startsWith("arbiter: " + LEASE_GONE));
        long resumed = events.survivorResumedMicros(kill);
        long firstAnswer = timeline.firstMicros(text -> text.startsWith(KvWriter.FIRST_ANSWER_LINE));
        return String.format("failover by the arbiter (session timeout %d ms): SIGKILL at %.1f ms; after it, the"
                + " secondary saw the primary's lease gone %s, its RESUME %s, the first client answer %s",
                sessionTimeoutMillis, timeline.millis(kill), after(leaseGone, kill), after(resumed, kill),
                after(firstAnswer, kill));
    }

    private static String after(long micros, long origin) {
        return micros < 0 ? "never" : String.format("%.1f ms", (micros - origin) / 1000.0);
    }

    @Override
    public void close() throws IOException {
        if (zooKeeper != null) {
            zooKeeper.close();
        }
    }
}

package org.qapi4j.qmp.client.qemu72;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.qapi4j.qmp.client.QemuLab;
import org.qapi4j.qmp.client.QemuScenario;
import org.qapi4j.qmp.client.QmpBlockingClient;
import org.qapi4j.qmp.client.QmpConnection;
import org.qapi4j.qmp.client.QmpEventListener;

/**
 * A live migration between two real QEMU 7.2 processes ({@code -M pc -m 64 -S}), driven by
 * the generated typed client: the destination waits with {@code -incoming defer} and is told
 * where to listen by {@code migrate-incoming}; both turn on the {@code events} migration
 * capability; the source's guest is started ({@code cont}) so there are pages to copy and a
 * STOP; then {@code migrate}, and the test waits for the MIGRATION events saying
 * {@code completed} on both sides, never polling {@code query-migrate}.
 */
public final class MigrationScenario implements QemuScenario {
    private static final Duration MIGRATION_TIMEOUT = Duration.ofSeconds(90);

    /** An event and when the listener got it. */
    record Seen(Event event, Instant at) {}

    @Override
    public void run(QemuLab lab) throws Exception {
        migrate(lab, "a", true);
        migrate(lab, "b", false);
    }

    /**
     * Migrates a source whose guest runs (after {@code cont}) or was never started
     * ({@code prelaunch}, no STOP then) to a destination started with {@code -S}.
     */
    private static void migrate(QemuLab lab, String name, boolean startSource) throws Exception {
        String[] machine = {"-M", "pc", "-m", "64", "-S", "-nodefaults", "-display", "none"};
        lab.report("migration %s: source %s", name, startSource ? "running (cont after -S)" : "left in prelaunch (-S)");
        Path sourceSocket = lab.start(name + "src", machine);
        List<String> destinationArgs = new ArrayList<>(List.of(machine));
        destinationArgs.addAll(List.of("-incoming", "defer"));
        Path destinationSocket = lab.start(name + "dst", destinationArgs.toArray(new String[0]));
        Path channel = lab.dir().resolve(name + "mig.sock");

        BlockingQueue<Seen> sourceEvents = new LinkedBlockingQueue<>();
        BlockingQueue<Seen> destinationEvents = new LinkedBlockingQueue<>();
        try (QmpConnection src = lab.connect(sourceSocket)
                        .eventListener(QmpEventListener.typed(Event::decode, e -> sourceEvents.add(new Seen(e, Instant.now()))))
                        .connect().get(15, TimeUnit.SECONDS);
                QmpConnection dst = lab.connect(destinationSocket)
                        .eventListener(QmpEventListener.typed(Event::decode, e -> destinationEvents.add(new Seen(e, Instant.now()))))
                        .connect().get(15, TimeUnit.SECONDS)) {
            QmpBlockingClient source = new QmpBlockingClient(src);
            QmpBlockingClient destination = new QmpBlockingClient(dst);
            QmpClient s = new QmpClient(src);
            QmpClient d = new QmpClient(dst);

            assertThat(source.await(s.queryStatus()).status()).isEqualTo(RunState.PRELAUNCH);
            assertThat(destination.await(d.queryStatus()).status()).isEqualTo(RunState.INMIGRATE);

            MigrateSetCapabilitiesArguments events = new MigrateSetCapabilitiesArguments(
                    List.of(new MigrationCapabilityStatus(MigrationCapability.EVENTS, true)));
            destination.await(d.migrateSetCapabilities(events));
            destination.await(d.migrateIncoming(new MigrateIncomingArguments("unix:" + channel)));
            source.await(s.migrateSetCapabilities(events));

            if (startSource) {
                // The source's guest runs: SeaBIOS, with nothing to boot, but its pages are real.
                source.await(s.cont());
                assertThat(sourceEvents.poll().event()).isInstanceOf(Event.Resume.class);
                assertThat(source.await(s.queryStatus()).status()).isEqualTo(RunState.RUNNING);
            }

            Instant started = Instant.now();
            source.await(s.migrate(MigrateArguments.builder().uri("unix:" + channel).build()));
            List<Seen> fromSource = awaitCompleted(sourceEvents, "source");
            Instant sourceDone = Instant.now();
            List<Seen> fromDestination = awaitCompleted(destinationEvents, "destination");
            Duration took = Duration.between(started, sourceDone);

            // The order QEMU 7.2 reports a migration of a running guest in.
            List<String> names = new ArrayList<>();
            for (Seen seen : fromSource) {
                names.add(describe(seen.event()));
            }
            lab.report("source events, in order: %s", names);
            assertThat(names.get(0)).isEqualTo("MIGRATION setup");
            if (startSource) {
                assertThat(names).containsSubsequence("MIGRATION setup", "MIGRATION_PASS 1", "MIGRATION active", "STOP",
                        "MIGRATION completed");
            } else {
                // Nothing to stop.
                assertThat(names).containsSubsequence("MIGRATION setup", "MIGRATION_PASS 1", "MIGRATION active",
                        "MIGRATION completed").doesNotContain("STOP");
            }
            assertThat(names.get(names.size() - 1)).isEqualTo("MIGRATION completed");
            long lastPass = 0;
            for (Seen seen : fromSource) {
                if (seen.event() instanceof Event.MigrationPass pass) {
                    assertThat(pass.pass()).isEqualTo(lastPass + 1);
                    lastPass = pass.pass();
                }
            }
            List<String> destinationNames = new ArrayList<>();
            for (Seen seen : fromDestination) {
                destinationNames.add(describe(seen.event()));
            }
            lab.report("destination events, in order: %s", destinationNames);
            assertThat(destinationNames).containsSubsequence("MIGRATION active", "MIGRATION completed");

            MigrationInfo info = source.await(s.queryMigrate());
            assertThat(info.status()).isEqualTo(MigrationStatus.COMPLETED);
            lab.report("migration %s of a 64 MiB guest over a unix socket: %d ms from migrate to the completed event "
                    + "(QEMU: total-time %d ms, downtime %d ms, %d passes, %,d bytes transferred)", name, took.toMillis(),
                    info.totalTime(), info.downtime(), lastPass, info.ram() == null ? -1 : info.ram().transferred());

            // Where each side ends. QEMU's migration thread sends the completed event and only
            // then leaves finish-migrate for postmigrate, with no event for that: give it a moment.
            RunState sourceState = source.await(s.queryStatus()).status();
            for (int i = 0; i < 500 && sourceState == RunState.FINISH_MIGRATE; i++) {
                Thread.sleep(10);
                sourceState = source.await(s.queryStatus()).status();
            }
            RunState destinationState = destination.await(d.queryStatus()).status();
            lab.report("run states after migration: source %s, destination %s", sourceState.wireName(),
                    destinationState.wireName());
            assertThat(sourceState).isEqualTo(RunState.POSTMIGRATE);
            // The destination was started with -S (no autostart): a guest that ran on the source
            // arrives paused; one that never ran arrives in the source's state, prelaunch. Both
            // run on cont.
            assertThat(destinationState).isEqualTo(startSource ? RunState.PAUSED : RunState.PRELAUNCH);
            destination.await(d.cont());
            assertThat(destinationEvents.poll().event()).isInstanceOf(Event.Resume.class);
            assertThat(destination.await(d.queryStatus()).status()).isEqualTo(RunState.RUNNING);
            lab.report("destination after cont: running (RESUME received)");
        }
    }

    /** Events until MIGRATION completed; fails on failed or cancelled, or when none comes in time. */
    private static List<Seen> awaitCompleted(BlockingQueue<Seen> queue, String side) throws InterruptedException {
        List<Seen> seen = new ArrayList<>();
        long deadline = System.nanoTime() + MIGRATION_TIMEOUT.toNanos();
        while (true) {
            Seen next = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (next == null) {
                throw new AssertionError("no MIGRATION completed on the " + side + " within " + MIGRATION_TIMEOUT
                        + "; events so far: " + seen);
            }
            seen.add(next);
            if (next.event() instanceof Event.Migration m) {
                if (m.status().equals(MigrationStatus.COMPLETED)) {
                    return seen;
                }
                if (m.status().equals(MigrationStatus.FAILED) || m.status().equals(MigrationStatus.CANCELLED)) {
                    throw new AssertionError("migration " + m.status().wireName() + " on the " + side + ": " + seen);
                }
            }
        }
    }

    private static String describe(Event event) {
        if (event instanceof Event.Migration m) {
            return "MIGRATION " + m.status().wireName();
        }
        if (event instanceof Event.MigrationPass p) {
            return "MIGRATION_PASS " + p.pass();
        }
        return event.eventName();
    }
}

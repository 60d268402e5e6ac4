package org.qapi4j.qmp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.qapi4j.qmp.dispatch.CommandContext;
import org.qapi4j.qmp.dispatch.CommandDispatcher;
import org.qapi4j.qmp.dispatch.CommandSpec;
import org.qapi4j.qmp.event.EventBroadcaster;
import org.qapi4j.qmp.event.EventRateLimits;
import org.qapi4j.qmp.json.Json;
import org.qapi4j.qmp.loop.MainLoop;
import org.qapi4j.qmp.testing.LineClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The machine owns the main loop and the event channel, and hands both to the server: its own
 * tasks and in-band commands take turns on the loop, and events it emits from its own threads
 * reach every monitor in order, throttled as QEMU throttles them.
 */
class MachineLoopTest {
    private static final Duration WINDOW = Duration.ofMillis(300);

    /** Serves {@code x-touch}: marks the machine state busy for a while, as a machine task does. */
    private static final class Touch implements CommandDispatcher {
        final AtomicBoolean busy = new AtomicBoolean();
        final AtomicInteger overlaps = new AtomicInteger();

        @Override
        public Map<String, CommandSpec> commands() {
            return Map.of("x-touch", new CommandSpec("x-touch", false, false, true, false, false, false));
        }

        @Override
        public CompletionStage<JsonNode> dispatch(String name, @Nullable ObjectNode arguments, CommandContext context) {
            occupy();
            return CompletableFuture.completedFuture(Json.object());
        }

        /** Holds the state for 20 µs; counts any other holder met meanwhile. */
        void occupy() {
            if (!busy.compareAndSet(false, true)) {
                overlaps.incrementAndGet();
                return;
            }
            long end = System.nanoTime() + 20_000;
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
            busy.set(false);
        }
    }

    @Test
    void machineTasksAndInBandCommandsNeverRunAtTheSameTime() throws Exception {
        MainLoop loop = MainLoop.start("machine-main-loop");
        Touch touch = new Touch();
        Path dir = Files.createTempDirectory("qmp-machine");
        try (QmpServer server = QmpServer.builder(touch).mainLoop(loop).unix(dir.resolve("qmp.sock")).start()) {
            assertThat(server.mainLoop()).isSameAs(loop);
            int tasks = 2000;
            CountDownLatch tasksDone = new CountDownLatch(tasks);
            Thread machine = new Thread(() -> {
                for (int i = 0; i < tasks; i++) {
                    loop.execute(() -> {
                        assertThat(loop.inLoop()).isTrue();
                        touch.occupy();
                        tasksDone.countDown();
                    });
                }
            }, "device");
            try (LineClient client = LineClient.negotiated(dir.resolve("qmp.sock"))) {
                machine.start();
                for (int i = 0; i < 2000; i++) {
                    assertThat(client.call("{\"execute\": \"x-touch\"}")).isEqualTo("{\"return\": {}}");
                }
            }
            assertThat(tasksDone.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(touch.overlaps.get()).as("a task and a command that ran at the same time").isZero();
        } finally {
            loop.shutdown();
            Files.deleteIfExists(dir);
        }
        // The server leaves the machine's loop running: it is the machine's to stop.
    }

    @Test
    @SuppressWarnings("try") // the server only has to run, and close, around the clients
    void eventsFromAMachineThreadReachEveryMonitorInOrderAndThrottled() throws Exception {
        MainLoop loop = MainLoop.start("machine-main-loop");
        EventBroadcaster events = new EventBroadcaster(loop, EventRateLimits.qemu(WINDOW));
        Path dir = Files.createTempDirectory("qmp-machine");
        try (QmpServer server = QmpServer.builder(new Touch()).mainLoop(loop).events(events)
                .unix(dir.resolve("qmp.sock")).start();
                LineClient first = LineClient.negotiated(dir.resolve("qmp.sock"));
                LineClient second = LineClient.negotiated(dir.resolve("qmp.sock"))) {
            Thread device = new Thread(() -> {
                for (int i = 0; i < 100; i++) {
                    events.emit(TestCommands.event("DEVICE_TICK", data("n", i)));
                    if (i % 20 == 0) {
                        // RTC_CHANGE is throttled: the first goes at once, the last of the
                        // window when it ends, the ones between never.
                        events.emit(TestCommands.event("RTC_CHANGE", data("offset", i / 20)));
                    }
                }
            }, "device");
            long start = System.nanoTime();
            device.start();
            device.join();
            for (LineClient client : List.of(first, second)) {
                List<String> seen = new ArrayList<>();
                for (int i = 0; i < 102; i++) {
                    JsonNode event = Json.parse(client.readLine());
                    JsonNode data = event.get("data");
                    String name = event.get("event").stringValue();
                    seen.add(name + " " + data.properties().iterator().next().getValue().asInt());
                }
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    expected.add("DEVICE_TICK " + i);
                    if (i == 0) {
                        expected.add("RTC_CHANGE 0");
                    }
                }
                expected.add("RTC_CHANGE 4");
                assertThat(seen).isEqualTo(expected);
                // The held one is sent when the window ends (with the timestamp of its emit, as QEMU).
                assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(WINDOW.toNanos() - 10_000_000);
            }
        } finally {
            loop.shutdown();
            Files.deleteIfExists(dir);
        }
    }

    private static ObjectNode data(String member, int value) {
        ObjectNode data = Json.object();
        data.put(member, value);
        return data;
    }
}

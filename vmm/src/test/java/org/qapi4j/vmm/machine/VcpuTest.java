package org.qapi4j.vmm.machine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.qapi4j.vmm.machine.device.GuestClock;
import org.qapi4j.vmm.machine.program.StepResult;

class VcpuTest {
    private final GuestClock clock = new GuestClock();
    private final Vcpu vcpu = new Vcpu(clock);

    @AfterEach
    void close() {
        vcpu.close();
    }

    private void start(Supplier<StepResult> step) {
        vcpu.start(step, () -> {}, failure -> {});
    }

    @Test
    void pauseReturnsOnlyOnceNoStepExecutes() throws Exception {
        AtomicBoolean inStep = new AtomicBoolean();
        AtomicLong steps = new AtomicLong();
        start(() -> {
            inStep.set(true);
            long until = System.nanoTime() + 3_000_000; // a 3 ms step: a pause nearly always lands inside one
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            steps.incrementAndGet();
            inStep.set(false);
            return StepResult.CONTINUE;
        });
        for (int i = 0; i < 30; i++) {
            vcpu.resume();
            Thread.sleep(1 + i % 4);
            vcpu.pause();
            assertThat(inStep.get()).as("a step was executing when pause returned").isFalse();
            long stepsAtPause = steps.get();
            Thread.sleep(8);
            assertThat(steps.get()).as("a step ran after pause returned").isEqualTo(stepsAtPause);
            assertThat(inStep.get()).isFalse();
        }
        assertThat(steps.get()).isGreaterThan(10);
    }

    @Test
    void theGuestClockRunsOnlyWhileTheVcpuRuns() throws Exception {
        AtomicLong largestGapSeen = new AtomicLong();
        AtomicLong lastSeen = new AtomicLong(-1);
        start(() -> {
            long now = clock.nanos();
            if (lastSeen.get() >= 0) {
                largestGapSeen.accumulateAndGet(now - lastSeen.get(), Math::max);
            }
            lastSeen.set(now);
            return StepResult.haltUntil(now + 1_000_000);
        });
        assertThat(clock.nanos()).isZero();
        vcpu.resume();
        Thread.sleep(50);
        vcpu.pause();
        long paused = clock.nanos();
        assertThat(paused).isGreaterThanOrEqualTo(50_000_000L);
        Thread.sleep(200);
        assertThat(clock.nanos()).as("frozen while paused").isEqualTo(paused);
        vcpu.resume();
        Thread.sleep(50);
        vcpu.pause();
        assertThat(clock.nanos()).isGreaterThanOrEqualTo(paused + 50_000_000L).isLessThan(paused + 190_000_000L);
        assertThat(largestGapSeen.get()).as("the guest never saw the 200 ms pause").isLessThan(100_000_000L);
    }

    @Test
    void aHaltedVcpuWakesAtItsGuestTime() throws Exception {
        AtomicLong steps = new AtomicLong();
        start(() -> {
            steps.incrementAndGet();
            return StepResult.haltUntil(clock.nanos() + 50_000_000);
        });
        vcpu.resume();
        Thread.sleep(330);
        vcpu.pause();
        assertThat(steps.get()).isBetween(4L, 9L);
    }

    @Test
    void anInterruptWakesAVcpuWaitingForAnEvent() throws Exception {
        AtomicLong steps = new AtomicLong();
        start(() -> {
            steps.incrementAndGet();
            return StepResult.WAIT_FOR_EVENT;
        });
        vcpu.resume();
        assertThat(TestMachines.await(() -> steps.get() == 1)).isTrue();
        Thread.sleep(100);
        assertThat(steps.get()).as("halted until an event").isEqualTo(1);
        vcpu.kick();
        assertThat(TestMachines.await(() -> steps.get() == 2)).isTrue();
    }

    @Test
    void shutdownStopsTheVcpuThenReportsOnItsThread() throws Exception {
        CompletableFuture<String> reported = new CompletableFuture<>();
        AtomicBoolean runningWhenReported = new AtomicBoolean(true);
        vcpu.start(() -> StepResult.SHUTDOWN, () -> {
            runningWhenReported.set(vcpu.isRunning());
            vcpu.pause(); // a listener may pause (and must not deadlock doing so)
            reported.complete(Thread.currentThread().getName());
        }, failure -> {});
        vcpu.resume();
        assertThat(reported.get(10, TimeUnit.SECONDS)).isEqualTo("vmm-vcpu");
        assertThat(runningWhenReported.get()).isFalse();
        assertThat(vcpu.isRunning()).isFalse();
        assertThat(clock.isRunning()).isFalse();
    }

    @Test
    void aFailingStepStopsTheVcpuAndIsReported() throws Exception {
        AtomicReference<Throwable> reported = new AtomicReference<>();
        IllegalStateException bug = new IllegalStateException("guest bug");
        vcpu.start(() -> {
            throw bug;
        }, () -> {}, reported::set);
        vcpu.resume();
        assertThat(TestMachines.await(() -> reported.get() != null)).isTrue();
        assertThat(reported.get()).isSameAs(bug);
        assertThat(vcpu.isRunning()).isFalse();
    }

    @Test
    void closeWaitsForTheStepInProgress() throws Exception {
        AtomicBoolean inStep = new AtomicBoolean();
        start(() -> {
            inStep.set(true);
            try {
                Thread.sleep(30);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inStep.set(false);
            return StepResult.CONTINUE;
        });
        vcpu.resume();
        assertThat(TestMachines.await(inStep::get)).isTrue();
        vcpu.close();
        assertThat(inStep.get()).isFalse();
    }
}

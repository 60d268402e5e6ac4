package org.qapi4j.colo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The COLO fault matrix in CI: at every step, the primary SIGKILLed, the secondary SIGKILLed
 * ({@link FaultTrials}), and the link between them cut without and with the arbiter ({@link
 * LinkCutTrials}; every step but the failovers): three or four seeded trials a step, one a
 * cell, about six minutes on 2 cores. The seed is printed; {@code -Dcolo.faults.seed=S} repeats
 * a run, {@code -Dcolo.faults.only=ID} runs one cell (the ID is in the test's name, e.g. {@code
 * primary:7} or {@code link+zk:3}: the victim and the step's place in its list). The soak ({@code bin/soak-colo}) runs every cell many times.
 */
class ColoFaultMatrixTest {
    private static final long SEED = Long.getLong("colo.faults.seed", System.currentTimeMillis() % 100_000);
    private static final String ONLY = System.getProperty("colo.faults.only", "");

    @TestFactory
    Stream<DynamicTest> killEitherSideAtEveryStep() {
        System.out.println("ColoFaultMatrixTest: seed " + SEED + " (repeat with -Dcolo.faults.seed=" + SEED + ")");
        List<DynamicTest> tests = new ArrayList<>();
        int index = 0;
        for (Object[] cell : FaultTrials.matrix()) {
            FaultTrials.Side victim = (FaultTrials.Side) cell[0];
            FaultTrials.Step step = (FaultTrials.Step) cell[1];
            long trialSeed = SEED + index;
            String id = victim.name().toLowerCase(Locale.ROOT) + ":" + FaultTrials.steps().indexOf(step);
            index++;
            if (ONLY.isEmpty() || ONLY.equals(id)) {
                tests.add(DynamicTest.dynamicTest("kill " + victim + " at " + step + " (" + id + ")",
                        () -> check(FaultTrials.run(victim, step, trialSeed))));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> cutTheLinkAtEveryStep() {
        List<DynamicTest> tests = new ArrayList<>();
        int index = 0;
        for (Object[] cell : LinkCutTrials.matrix()) {
            boolean arbiter = (Boolean) cell[0];
            FaultTrials.Step step = (FaultTrials.Step) cell[1];
            long trialSeed = SEED + 1000 + index;
            String id = LinkCutTrials.victim(arbiter).toLowerCase(Locale.ROOT) + ":" + LinkCutTrials.steps().indexOf(step);
            index++;
            if (ONLY.isEmpty() || ONLY.equals(id)) {
                tests.add(DynamicTest.dynamicTest("cut the link" + (arbiter ? " (arbiter)" : "") + " at " + step
                        + " (" + id + ")", () -> check(LinkCutTrials.run(step, arbiter, trialSeed))));
            }
        }
        return tests.stream();
    }

    private static void check(FaultTrials.Result result) {
        System.out.printf("%-9s %-52s %5.1f s  acks %d  %s%n", result.victim(), result.step(), result.seconds(),
                result.acks(), result.ok() ? "ok" : "FAILED " + result.repro() + ": " + result.failure());
        assertThat(result.failure()).as(result.repro()).isNull();
    }
}

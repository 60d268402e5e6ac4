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
 * LinkCutTrials}; every step but the failovers), seeded trials: three per kill cell ({@code
 * -Dcolo.faults.trials}) and two per link cell ({@code -Dcolo.faults.link-trials}), so each step
 * gets three kills of each side and four cuts, 172 trials, about 11 minutes on 2 quiet cores. The
 * seed is printed (kill trial k gets seed + k, cut trial k seed + 1000 + k); {@code -Dcolo.faults.seed=S} repeats
 * a run, {@code -Dcolo.faults.only=ID} runs one cell (the ID is in the test's name, e.g. {@code
 * primary:7} or {@code link+zk:3}: the victim and the step's place in its list). The soak ({@code bin/soak-colo}) runs every cell many times.
 */
class ColoFaultMatrixTest {
    private static final long SEED = Long.getLong("colo.faults.seed", System.currentTimeMillis() % 100_000);
    private static final String ONLY = System.getProperty("colo.faults.only", "");
    /** Trials per kill cell: three per step for each victim. */
    private static final int KILL_TRIALS = Integer.getInteger("colo.faults.trials", 3);
    /** Trials per link cell: a cut trial takes about twice as long, and each step has two link cells. */
    private static final int LINK_TRIALS = Integer.getInteger("colo.faults.link-trials", 2);

    @TestFactory
    Stream<DynamicTest> killEitherSideAtEveryStep() {
        System.out.println("ColoFaultMatrixTest: seed " + SEED + " (repeat with -Dcolo.faults.seed=" + SEED + ")");
        List<DynamicTest> tests = new ArrayList<>();
        int index = 0;
        for (Object[] cell : FaultTrials.matrix()) {
            FaultTrials.Side victim = (FaultTrials.Side) cell[0];
            FaultTrials.Step step = (FaultTrials.Step) cell[1];
            String id = victim.name().toLowerCase(Locale.ROOT) + ":" + FaultTrials.steps().indexOf(step);
            for (int trial = 1; trial <= KILL_TRIALS; trial++) {
                long trialSeed = SEED + index++;
                if (ONLY.isEmpty() || ONLY.equals(id)) {
                    tests.add(DynamicTest.dynamicTest("kill " + victim + " at " + step + " (" + id + ", trial " + trial
                            + ")", () -> check(FaultTrials.run(victim, step, trialSeed))));
                }
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
            String id = LinkCutTrials.victim(arbiter).toLowerCase(Locale.ROOT) + ":" + LinkCutTrials.steps().indexOf(step);
            for (int trial = 1; trial <= LINK_TRIALS; trial++) {
                long trialSeed = SEED + 1000 + index++;
                if (ONLY.isEmpty() || ONLY.equals(id)) {
                    tests.add(DynamicTest.dynamicTest("cut the link" + (arbiter ? " (arbiter)" : "") + " at " + step
                            + " (" + id + ", trial " + trial + ")", () -> check(LinkCutTrials.run(step, arbiter, trialSeed))));
                }
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

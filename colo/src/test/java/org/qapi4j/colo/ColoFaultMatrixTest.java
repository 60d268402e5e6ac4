package org.qapi4j.colo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The COLO fault matrix in CI ({@link FaultTrials}): the primary, then the secondary, SIGKILLed
 * at every step of both sides, one seeded trial each. 36 cells at about 4.5 s each do not fit
 * CI's 3 minutes on 2 cores with room to spare, so each run takes two cells in three, rotating
 * with the seed it prints (every cell in any three consecutive seeds); {@code
 * -Dcolo.faults.all=true} runs them all, {@code -Dcolo.faults.seed=S} repeats a run, {@code
 * -Dcolo.faults.only=victim:index} runs one cell. The soak ({@code bin/soak-colo}) runs every
 * cell many times.
 */
class ColoFaultMatrixTest {
    @TestFactory
    Stream<DynamicTest> everyStepOfBothSides() {
        long seed = Long.getLong("colo.faults.seed", System.currentTimeMillis() % 100_000);
        String only = System.getProperty("colo.faults.only", "");
        boolean all = Boolean.getBoolean("colo.faults.all");
        System.out.println("ColoFaultMatrixTest: seed " + seed + " (repeat with -Dcolo.faults.seed=" + seed + "); "
                + (all ? "every cell" : "two cells in three, those with (index - seed) % 3 != 0: the next two seeds"
                + " cover the rest; -Dcolo.faults.all=true runs every cell"));
        List<DynamicTest> tests = new ArrayList<>();
        int index = 0;
        for (Object[] cell : FaultTrials.matrix()) {
            FaultTrials.Side victim = (FaultTrials.Side) cell[0];
            FaultTrials.Step step = (FaultTrials.Step) cell[1];
            long trialSeed = seed + index;
            String id = victim.name().toLowerCase(java.util.Locale.ROOT) + ":" + index;
            index++;
            if (!only.isEmpty() ? !only.equals(id) : !all && Math.floorMod(index - 1 - seed, 3) == 0) {
                continue;
            }
            tests.add(DynamicTest.dynamicTest("kill " + victim + " at " + step + " (" + id + ")", () -> {
                FaultTrials.Result result = FaultTrials.run(victim, step, trialSeed);
                System.out.printf("%-9s %-52s %5.1f s  acks %d  %s%n", victim, step, result.seconds(), result.acks(),
                        result.ok() ? "ok" : "FAILED " + result.repro() + ": " + result.failure());
                assertThat(result.failure()).as(result.repro()).isNull();
            }));
        }
        return tests.stream();
    }
}

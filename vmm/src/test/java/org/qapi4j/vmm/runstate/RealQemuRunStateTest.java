package org.qapi4j.vmm.runstate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.qmp.client.QmpBlockingClient;
import org.qapi4j.qmp.client.QmpConnection;
import org.qapi4j.qmp.json.Json;
import org.qapi4j.vmm.api.Event;
import org.qapi4j.vmm.api.RunState;
import org.qapi4j.vmm.process.Lab;
import org.qapi4j.vmm.runstate.RunStateRules.RebootAction;
import org.qapi4j.vmm.runstate.RunStateRules.ShutdownAction;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The rules against QEMU itself: the same commands are sent to {@code qemu-system-x86_64} 7.2
 * (machine {@code none}, started with {@code -S}) and given to a {@link RunStateMachine}; after
 * each, the answer (success or error class and text), the events sent before the next reply and
 * {@code query-status} must be the same. Skipped, saying so, where QEMU is not installed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RealQemuRunStateTest {
    private Lab lab;

    @BeforeEach
    void requireQemu() throws IOException {
        Lab.assumeQemu("run states were not compared with QEMU 7.2");
        lab = new Lab();
    }

    @AfterEach
    void cleanUp() throws IOException {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void pausedRunningPrelaunchResetsAndPowerdown() throws Exception {
        Pair pair = start(new RunStateRules(), "-S");
        pair.expectStatus("prelaunch");
        pair.step("stop", null, RunStateRules::stop);
        pair.step("cont", null, RunStateRules::cont);
        pair.step("cont", null, RunStateRules::cont);
        pair.step("stop", null, RunStateRules::stop);
        pair.step("stop", null, RunStateRules::stop);
        pair.step("system_reset", null, RunStateRules::systemReset);
        pair.expectStatus("prelaunch");
        pair.step("cont", null, RunStateRules::cont);
        pair.step("system_reset", null, RunStateRules::systemReset);
        pair.expectStatus("running");
        pair.step("system_powerdown", null, RunStateRules::systemPowerdown);
        pair.step("migrate-incoming", args("uri", "tcp:127.0.0.1:0"), (rules, s) -> rules.migration().migrateIncoming(s));
        pair.step("stop", null, RunStateRules::stop);
        pair.step("system_powerdown", null, RunStateRules::systemPowerdown);
        pair.step("system_reset", null, RunStateRules::systemReset);
        pair.quit(0);
    }

    @Test
    void waitingForAnIncomingMigration() throws Exception {
        Pair pair = start(new RunStateRules(), "-S", "-incoming", "defer");
        pair.model.execute(pair.model.rules()::incomingOnCommandLine, pair.effects);
        pair.expectStatus("inmigrate");
        pair.step("stop", null, RunStateRules::stop);
        pair.step("cont", null, RunStateRules::cont);
        assertThat(pair.model.autostart()).isTrue();
        pair.step("stop", null, RunStateRules::stop);
        assertThat(pair.model.autostart()).isFalse();
        pair.step("system_reset", null, RunStateRules::systemReset);
        pair.step("system_powerdown", null, RunStateRules::systemPowerdown);
        pair.step("migrate", args("uri", "tcp:127.0.0.1:1"), (rules, s) -> rules.migration().migrate(s));
        pair.expectStatus("inmigrate");
        pair.quit(0);
    }

    @Test
    void shutdownUnderNoShutdownAndNoRebootThenResetOutOfIt() throws Exception {
        Pair pair = start(new RunStateRules(ShutdownAction.PAUSE, RebootAction.SHUTDOWN), "-S", "-no-shutdown",
                "-no-reboot");
        pair.step("cont", null, RunStateRules::cont);
        pair.step("system_reset", null, RunStateRules::systemReset);
        pair.expectStatus("shutdown");
        pair.step("cont", null, RunStateRules::cont);
        pair.step("stop", null, RunStateRules::stop);
        pair.step("system_powerdown", null, RunStateRules::systemPowerdown);
        pair.step("system_reset", null, RunStateRules::systemReset);
        pair.expectStatus("shutdown");
        // QEMU's set-action (not in our schema) makes resets reset again: the model's system_reset
        // uses rules with that reboot action from here on.
        pair.qemu.execute("set-action", args("reboot", "reset"));
        RunStateRules resetting = new RunStateRules(ShutdownAction.PAUSE, RebootAction.RESET);
        pair.step("system_reset", null, s -> resetting.systemReset(s));
        pair.expectStatus("prelaunch");
        pair.step("cont", null, RunStateRules::cont);
        pair.quit(0);
    }

    private static ObjectNode args(String name, String value) {
        ObjectNode args = Json.object();
        args.put(name, value);
        return args;
    }

    private Pair start(RunStateRules rules, String... qemuArgs) throws Exception {
        List<String> args = new ArrayList<>(List.of("-machine", "none"));
        args.addAll(List.of(qemuArgs));
        Lab.Node qemu = lab.qemu("qemu", args.toArray(String[]::new));
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        QmpConnection.Builder builder = QmpConnection.builder().unix(qemu.qmpSocket())
                .connectTimeout(Duration.ofSeconds(10)).commandTimeout(Duration.ofSeconds(20))
                .eventListener(message -> events.add(message.data().isEmpty() ? message.name()
                        : message.name() + " " + message.data()));
        QmpBlockingClient client = QmpBlockingClient.connect(builder);
        return new Pair(qemu.process(), client, events, new RunStateMachine(rules, false));
    }

    /** A QEMU and a model of it, fed the same commands. */
    private static final class Pair {
        final Process process;
        final QmpBlockingClient qemu;
        final List<String> qemuEvents;
        final RunStateMachine model;
        final List<String> modelEvents = new ArrayList<>();
        final RunStateEffects effects = event -> modelEvents.add(Outcomes.describe(event));
        final List<String> transcript = new ArrayList<>();

        Pair(Process process, QmpBlockingClient qemu, List<String> qemuEvents, RunStateMachine model) {
            this.process = process;
            this.qemu = qemu;
            this.qemuEvents = qemuEvents;
            this.model = model;
        }

        /** Sends {@code command} to both and compares answer, events and status. */
        void step(String command, ObjectNode arguments, java.util.function.BiFunction<RunStateRules, Situation, Outcome> rule)
                throws Exception {
            qemuEvents.clear();
            modelEvents.clear();
            String qemuAnswer;
            try {
                qemu.execute(command, arguments);
                qemuAnswer = "ok";
            } catch (QmpException e) {
                qemuAnswer = e.error().errorClass() + ": " + e.error().description();
            }
            JsonNode qemuStatus = status();
            List<String> qemuSaw = List.copyOf(qemuEvents);

            RunState.Known before = model.state();
            Outcome outcome = model.execute(s -> rule.apply(model.rules(), s), effects);
            String modelAnswer = outcome.isOk() ? "ok"
                    : outcome.error().errorClass() + ": " + outcome.error().description();
            assertThat(model.processRequests(effects)).isEmpty();

            String line = before.wireName() + " " + command + ": " + modelAnswer + " " + modelEvents + " -> "
                    + model.state().wireName();
            transcript.add(line);
            assertThat(modelAnswer).as(line).isEqualTo(qemuAnswer);
            assertThat(modelEvents).as(line).isEqualTo(qemuSaw);
            // Compared as JSON objects: QEMU's member order is its dictionary's, not the schema's.
            assertThat((Object) model.status().toJson()).as(line).isEqualTo(qemuStatus);
        }

        /** {@code step} for a rule that does not need the machine's rules. */
        void step(String command, ObjectNode arguments, Function<Situation, Outcome> rule) throws Exception {
            step(command, arguments, (rules, s) -> rule.apply(s));
        }

        void expectStatus(String state) {
            assertThat(model.state().wireName()).isEqualTo(state);
            assertThat(status().get("status").asString()).isEqualTo(state);
        }

        JsonNode status() {
            return qemu.execute("query-status");
        }

        /** quit: QEMU answers, sends SHUTDOWN and exits with {@code status}; so does the model. */
        void quit(int status) throws Exception {
            qemuEvents.clear();
            modelEvents.clear();
            qemu.execute("quit");
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("QEMU exits after quit").isTrue();
            qemu.connection().closeFuture().get(10, TimeUnit.SECONDS);
            model.execute(model.rules()::quit, effects).orThrow();
            assertThat(model.processRequests(effects)).hasValue(status);
            assertThat(process.exitValue()).isEqualTo(status);
            assertThat(modelEvents).isEqualTo(List.copyOf(qemuEvents));
            qemu.close();
            writeReport(String.join("\n  ", transcript) + "\n  quit: " + modelEvents);
        }
    }

    /**
     * Appends a scenario's transcript to {@code target/test-reports/real-qemu-run-states.txt}: the
     * details stay out of the build's output, which says only where they are.
     */
    private static synchronized void writeReport(String transcript) throws IOException {
        Path report = Path.of("target", "test-reports", "real-qemu-run-states.txt");
        Files.createDirectories(report.getParent());
        if (!reportStarted) {
            Files.writeString(report, "");
            reportStarted = true;
            System.out.println("[QEMU 7.2 run states] what QEMU and the rules did, step by step: " + report);
        }
        Files.writeString(report, "[scenario] " + transcript + "\n", java.nio.file.StandardOpenOption.APPEND);
    }

    private static boolean reportStarted;
}

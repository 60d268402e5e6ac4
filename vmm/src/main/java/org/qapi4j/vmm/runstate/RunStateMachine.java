package org.qapi4j.vmm.runstate;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.qapi4j.vmm.api.RunState;
import org.qapi4j.vmm.api.StatusInfo;

/**
 * The machine's run state, with QEMU's other run state globals ({@code autostart}, the pending
 * requests of the main loop), safe to use from any thread.
 *
 * <p>A new machine is in {@code prelaunch}, as QEMU's is. {@link #transition} changes the state
 * as QEMU's {@code runstate_set} does; {@link #execute} follows an {@link Outcome} of {@link
 * RunStateRules}, which is how commands change it:
 *
 * <pre>{@code
 * RunStateMachine runState = new RunStateMachine(new RunStateRules(), !options.startPaused());
 * RunStateEffects effects = RunStateEffects.events(eventSink);
 * runState.execute(runState.rules()::cont, effects).orThrow();   // in the cont handler
 * runState.processRequests(effects);                              // in the main loop, after each task
 * }</pre>
 *
 * <p>One lock guards everything, as QEMU's big lock does: a rule reads the state and its steps
 * are applied without another thread changing the state in between. Listeners and {@link
 * RunStateEffects} are called while the lock is held, on the calling thread, and must neither
 * block nor change the run state (a listener that calls {@link #transition} or {@link #execute}
 * gets an {@link IllegalStateException}). Reading ({@link #state()} and the predicates) does not
 * wait for the lock.
 */
public final class RunStateMachine {
    /** A rule of {@link RunStateRules}, such as {@code rules::stop}. */
    @FunctionalInterface
    public interface Rule {
        /** What to do in {@code situation}. */
        Outcome decide(Situation situation);
    }

    private final RunStateRules rules;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<RunStateListener> listeners = new CopyOnWriteArrayList<>();

    private volatile RunState.Known state = RunState.Known.PRELAUNCH;
    private volatile boolean autostart;
    private volatile Runnable onRequest = () -> { };
    private boolean notifying;

    private Request.@Nullable Shutdown shutdownRequested;
    private Request.@Nullable Reset resetRequested;
    private boolean powerdownRequested;
    private RunState.@Nullable Known vmStopRequested;

    /** A machine with QEMU's default rules, that starts on its own (no {@code -S}). */
    public RunStateMachine() {
        this(new RunStateRules(), true);
    }

    /**
     * A machine in {@code prelaunch}.
     *
     * @param rules the rules that {@link #processRequests} follows
     * @param autostart whether the guest starts on its own: false for {@code -S}
     */
    public RunStateMachine(RunStateRules rules, boolean autostart) {
        this.rules = Objects.requireNonNull(rules, "rules");
        this.autostart = autostart;
    }

    /** The rules this machine follows for requests. */
    public RunStateRules rules() {
        return rules;
    }

    /** The current state. */
    public RunState.Known state() {
        return state;
    }

    /** {@code runstate_check}: whether the current state is {@code expected}. */
    public boolean checkState(RunState expected) {
        return state == expected;
    }

    /** {@code runstate_is_running}: whether the guest runs. */
    public boolean isRunning() {
        return RunStateRules.isRunning(state);
    }

    /** {@code runstate_needs_reset}: whether the state is {@code internal-error} or {@code shutdown}. */
    public boolean needsReset() {
        return RunStateRules.needsReset(state);
    }

    /** Whether the guest starts on its own after an incoming migration (QEMU's {@code autostart}). */
    public boolean autostart() {
        return autostart;
    }

    /** {@code query-status}'s answer ({@code qmp_query_status}); we never single-step. */
    public StatusInfo status() {
        RunState.Known now = state;
        return new StatusInfo(now == RunState.Known.RUNNING, false, now);
    }

    /** The state, autostart and pending stop, read together. */
    public Situation situation() {
        lock.lock();
        try {
            return new Situation(state, autostart, vmStopRequested);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Registers {@code listener} for every later change; closing the result unregisters it.
     * Listeners are called in the order they were added.
     */
    public AutoCloseable addListener(RunStateListener listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /**
     * Called, outside the lock, after each {@link #post}: the main loop's wake-up (QEMU's {@code
     * qemu_notify_event}), so that it calls {@link #processRequests} soon.
     */
    public void onRequest(Runnable wakeUp) {
        this.onRequest = Objects.requireNonNull(wakeUp, "wakeUp");
    }

    /**
     * {@code runstate_set}: enters {@code to}. Nothing happens when the machine is already in it.
     *
     * @return whether the state changed
     * @throws IllegalRunStateTransition if {@link RunStateTable} has no such transition: the
     *     state stays, and the VMM has a bug (QEMU aborts)
     * @throws IllegalArgumentException if {@code to} is a value this schema does not know
     */
    public boolean transition(RunState to) {
        Objects.requireNonNull(to, "to");
        if (!(to instanceof RunState.Known target)) {
            throw new IllegalArgumentException("unknown run state '" + to.wireName() + "'");
        }
        lock.lock();
        try {
            return set(target);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Decides with {@code rule} on the current situation and, if it succeeds, applies its steps in
     * order, all under the lock: state changes (listeners are told at once), autostart, events
     * and the other effects through {@code effects}, requests kept for {@link #processRequests}.
     * An {@link Step.Exit} is not acted on: the caller ends the process when {@link
     * Outcome#exitStatus()} says so, after it has answered the command.
     *
     * @return the outcome, whose error a command handler answers ({@link Outcome#orThrow()})
     * @throws IllegalRunStateTransition if a step asks for a transition outside the table: a bug
     */
    public Outcome execute(Rule rule, RunStateEffects effects) {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(effects, "effects");
        boolean posted;
        Outcome outcome;
        lock.lock();
        try {
            checkNotNotifying();
            outcome = rule.decide(new Situation(state, autostart, vmStopRequested));
            posted = apply(outcome, effects);
        } finally {
            lock.unlock();
        }
        if (posted) {
            onRequest.run();
        }
        return outcome;
    }

    /**
     * Leaves {@code request} for the main loop, from any thread (a virtual CPU's, a signal
     * handler's), replacing a pending request of the same kind, then runs the wake-up given to
     * {@link #onRequest}.
     */
    public void post(Request request) {
        Objects.requireNonNull(request, "request");
        lock.lock();
        try {
            keep(request);
        } finally {
            lock.unlock();
        }
        onRequest.run();
    }

    /** Whether a request waits for {@link #processRequests}. */
    public boolean hasPendingRequests() {
        lock.lock();
        try {
            return shutdownRequested != null || resetRequested != null || powerdownRequested
                    || vmStopRequested != null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Acts on the pending requests in QEMU's order ({@code main_loop_should_exit}): shutdown,
     * reset, power-down, then a virtual CPU's stop, each by its rule in {@link RunStateRules},
     * each consumed. A shutdown that ends the process stops there.
     *
     * @return the exit status when the process is to exit now; empty otherwise
     */
    public OptionalInt processRequests(RunStateEffects effects) {
        Objects.requireNonNull(effects, "effects");
        lock.lock();
        try {
            checkNotNotifying();
            Request.Shutdown shutdown = shutdownRequested;
            if (shutdown != null) {
                shutdownRequested = null;
                Outcome outcome = rules.processShutdown(situationLocked(), shutdown);
                apply(outcome, effects);
                OptionalInt exit = outcome.exitStatus();
                if (exit.isPresent()) {
                    return exit;
                }
            }
            Request.Reset reset = resetRequested;
            if (reset != null) {
                resetRequested = null;
                apply(rules.processReset(situationLocked(), reset), effects);
            }
            if (powerdownRequested) {
                powerdownRequested = false;
                apply(rules.processPowerdown(situationLocked()), effects);
            }
            RunState.Known stop = vmStopRequested;
            if (stop != null) {
                vmStopRequested = null;
                apply(rules.processVmStop(situationLocked(), new Request.VmStop(stop)), effects);
            }
            return OptionalInt.empty();
        } finally {
            lock.unlock();
        }
    }

    private Situation situationLocked() {
        return new Situation(state, autostart, vmStopRequested);
    }

    /** Applies the steps; returns whether one posted a request. Caller holds the lock. */
    private boolean apply(Outcome outcome, RunStateEffects effects) {
        boolean posted = false;
        for (Step step : outcome.steps()) {
            if (step instanceof Step.SetState set) {
                set(set.to());
            } else if (step instanceof Step.Emit emit) {
                effects.emit(emit.event());
            } else if (step instanceof Step.SetAutostart setAutostart) {
                autostart = setAutostart.autostart();
            } else if (step instanceof Step.Post post) {
                keep(post.request());
                posted = true;
            } else if (step instanceof Step.DropVmStopRequest) {
                vmStopRequested = null;
            } else if (step instanceof Step.ResetMachine reset) {
                effects.resetMachine(reset.cause());
            } else if (step instanceof Step.PowerButton) {
                effects.pressPowerButton();
            } else if (step instanceof Step.Exit) {
                // the caller exits, after it has answered
            } else {
                throw new AssertionError(step);
            }
        }
        return posted;
    }

    private void keep(Request request) {
        if (request instanceof Request.Shutdown shutdown) {
            shutdownRequested = shutdown;
        } else if (request instanceof Request.Reset reset) {
            resetRequested = reset;
        } else if (request instanceof Request.Powerdown) {
            powerdownRequested = true;
        } else if (request instanceof Request.VmStop stop) {
            vmStopRequested = stop.state();
        } else {
            throw new AssertionError(request);
        }
    }

    /** The state change and the listeners. Caller holds the lock. */
    private boolean set(RunState.Known to) {
        checkNotNotifying();
        RunState.Known from = state;
        if (from == to) {
            return false;
        }
        if (!RunStateTable.allows(from, to)) {
            throw new IllegalRunStateTransition(from, to);
        }
        state = to;
        notifying = true;
        RuntimeException failure = null;
        try {
            for (RunStateListener listener : listeners) {
                try {
                    listener.runStateChanged(from, to);
                } catch (RuntimeException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
        } finally {
            notifying = false;
        }
        if (failure != null) {
            throw failure;
        }
        return true;
    }

    private void checkNotNotifying() {
        if (notifying && lock.isHeldByCurrentThread()) {
            throw new IllegalStateException("a run state listener must not change the run state");
        }
    }
}

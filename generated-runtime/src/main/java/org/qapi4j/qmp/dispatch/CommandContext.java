package org.qapi4j.qmp.dispatch;

import org.qapi4j.qmp.codec.CompatPolicy;
import org.qapi4j.qmp.types.QmpEvent;

/**
 * What a command handler can reach while it runs: the monitor that sent the command, and the
 * machine's event channel.
 *
 * <p>The dispatcher contract, in one place:
 * <ul>
 *   <li><b>Shape.</b> Each schema module has a generated handler interface ({@code
 *       MigrationCommands}, {@code RunStateCommands}, ...) with one abstract method per
 *       command, and a dispatcher made from an implementation ({@code
 *       MigrationCommands.dispatcher(handlers)}). A machine serves the modules it implements:
 *       it gives their dispatchers to the server (or composes them, {@link
 *       CommandDispatcher#compose}); a command of the schema that none serves answers {@code
 *       CommandNotFound}, as a name the schema does not have. The generated {@code
 *       QmpCommands} extends every module interface, for a server that implements them all.
 *   <li><b>Built in.</b> Given the schema ({@code SchemaIntrospection.schema()}), the runtime
 *       serves {@code qmp_capabilities}, {@code query-commands} and {@code query-qmp-schema}
 *       itself; handlers written for them are never called.
 *   <li><b>Answering.</b> A handler returns a {@code CompletionStage} of its command's return
 *       type ({@code Void} for commands without {@code returns}). A stage that is already
 *       complete is answered at once, on the calling thread; one that completes later is
 *       answered when it does, and the monitor's next in-band command waits for it, as in QEMU.
 *       {@link Replies} has the two one-liners for the common cases.
 *   <li><b>Failing.</b> Throw (or complete the stage with) a {@link org.qapi4j.qmp.QmpException}
 *       carrying QEMU's error class and text. Any other exception is a bug in the handler: it
 *       is answered as a {@code GenericError} and logged, and the monitor stays usable.
 *   <li><b>Threads.</b> In-band commands run one at a time, in order, on the machine's main
 *       loop ({@link org.qapi4j.qmp.loop.MainLoop}: the machine creates it and hands it to the
 *       server's builder), the same thread the machine runs its own tasks and timers on, so
 *       handlers and the machine need no locks among themselves. Out-of-band commands (schema
 *       {@code 'allow-oob': true}, sent with {@code exec-oob}) run at once on the connection's
 *       I/O thread: their handlers must be thread-safe and must not block.
 *   <li><b>Events.</b> {@link #emit} sends an event to every monitor that has completed
 *       negotiation, with QEMU's rate limits for the events QEMU throttles. An event emitted
 *       before a handler answers reaches the clients before the answer, as QEMU's STOP does
 *       before the reply to {@code stop}. Code outside handlers (a device thread, a timer)
 *       emits through the machine's {@link org.qapi4j.qmp.event.EventSink}, from any thread.
 *   <li><b>Arguments.</b> The generated dispatcher decodes them strictly against the schema
 *       before the handler runs; bad arguments never reach a handler, and get QEMU's errors.
 *   <li><b>Transports.</b> The same contract holds for a socket monitor ({@code QmpServer})
 *       and an in-process one ({@code InProcessMonitor}): both are monitors of one {@code
 *       MonitorHub}, which holds everything QMP does.
 * </ul>
 */
public interface CommandContext {
    /** The monitor (connection) the command arrived on. */
    Monitor monitor();

    /** Whether the command was sent with {@code exec-oob}. */
    boolean outOfBand();

    /** Sends {@code event} to every negotiated monitor. */
    void emit(QmpEvent event);

    /**
     * The server's policy for deprecated and unstable input, which the generated dispatcher
     * applies to arguments and enum values as it decodes them ({@link
     * org.qapi4j.qmp.codec.QapiReader#strict(tools.jackson.databind.JsonNode, CompatPolicy)}).
     * Everything is accepted unless the server was told otherwise.
     */
    default CompatPolicy compatPolicy() {
        return CompatPolicy.ACCEPT_ALL;
    }
}

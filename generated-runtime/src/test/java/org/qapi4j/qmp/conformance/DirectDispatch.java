package org.qapi4j.qmp.conformance;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.qapi4j.qmp.QmpError;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.qmp.codec.CompatPolicy;
import org.qapi4j.qmp.dispatch.CommandContext;
import org.qapi4j.qmp.dispatch.CommandDispatcher;
import org.qapi4j.qmp.dispatch.Monitor;
import org.qapi4j.qmp.types.QmpEvent;

/**
 * Runs an {@link ArgumentErrorCase} through a generated dispatcher directly, without a
 * monitor: argument decoding is the dispatcher's alone, so nothing else can change its answer.
 */
final class DirectDispatch {
    private DirectDispatch() {}

    /** What our dispatcher answers to {@code c}: its error, or null when it accepted. */
    static @Nullable QmpError ourError(CommandDispatcher dispatcher, ArgumentErrorCase c) {
        return ourError(dispatcher, c, CompatPolicy.ACCEPT_ALL);
    }

    /** {@link #ourError(CommandDispatcher, ArgumentErrorCase)} on a server with compatibility policy {@code policy}. */
    static @Nullable QmpError ourError(CommandDispatcher dispatcher, ArgumentErrorCase c, CompatPolicy policy) {
        CompletionStage<?> answer;
        try {
            answer = dispatcher.dispatch(c.command(), c.arguments(), context(policy));
        } catch (QmpException e) {
            return e.error();
        }
        try {
            answer.toCompletableFuture().join();
            return null;
        } catch (CompletionException e) {
            if (e.getCause() instanceof QmpException) {
                return ((QmpException) e.getCause()).error();
            }
            throw e;
        }
    }

    /** How a report shows an answer. */
    static String show(@Nullable QmpError error) {
        return error == null ? "(accepted)" : error.errorClass() + ": " + error.description();
    }

    private static final Monitor MONITOR = new Monitor() {
        @Override
        public String id() {
            return "conformance-test";
        }

        @Override
        public boolean oobEnabled() {
            return false;
        }
    };

    private static CommandContext context(CompatPolicy policy) {
        return new CommandContext() {
            @Override
            public Monitor monitor() {
                return MONITOR;
            }

            @Override
            public boolean outOfBand() {
                return false;
            }

            @Override
            public void emit(QmpEvent event) {
                throw new AssertionError("a command with bad arguments emitted " + event);
            }

            @Override
            public CompatPolicy compatPolicy() {
                return policy;
            }
        };
    }
}

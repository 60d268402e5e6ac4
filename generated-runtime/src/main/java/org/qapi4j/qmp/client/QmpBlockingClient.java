package org.qapi4j.qmp.client;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Waiting calls over a {@link QmpConnection}, for scripts and tests:
 *
 * <pre>{@code
 * QmpBlockingClient qmp = new QmpBlockingClient(connection);
 * JsonNode status = qmp.execute("query-status");
 * StatusInfo typed = qmp.await(new QmpClient(connection).queryStatus());
 * }</pre>
 *
 * <p>Every call waits at most the command's timeout (plus a little, so that the connection's
 * own {@link QmpTimeoutException} wins) and throws what the future failed with, unwrapped:
 * {@link org.qapi4j.qmp.QmpException} for the server's errors, {@link QmpClientException} and
 * its subclasses for the rest. Calling it on the connection's callback thread (from an event
 * listener, say) would wait for itself: it throws {@link IllegalStateException} instead.
 */
public final class QmpBlockingClient implements AutoCloseable {
    private static final Duration GRACE = Duration.ofSeconds(1);

    private final QmpConnection connection;

    public QmpBlockingClient(QmpConnection connection) {
        this.connection = Objects.requireNonNull(connection, "connection");
    }

    /** Connects and negotiates, waiting at most the builder's connect timeout. */
    public static QmpBlockingClient connect(QmpConnection.Builder builder) {
        return new QmpBlockingClient(waitFor(builder.connect(), null));
    }

    public QmpConnection connection() {
        return connection;
    }

    public QmpGreeting greeting() {
        return connection.greeting();
    }

    /** Runs {@code command} without arguments; returns its {@code return} value. */
    public JsonNode execute(String command) {
        return execute(command, null);
    }

    /** Runs {@code command}; returns its {@code return} value. */
    public JsonNode execute(String command, @Nullable ObjectNode arguments) {
        return execute(command, arguments, connection.commandTimeout());
    }

    /** Runs {@code command} with its own timeout; returns its {@code return} value. */
    public JsonNode execute(String command, @Nullable ObjectNode arguments, Duration timeout) {
        checkThread();
        return waitFor(connection.execute(command, arguments, timeout), timeout.plus(GRACE));
    }

    /**
     * Waits for a future of this connection, e.g. of a generated {@code QmpClient} over it, at
     * most the connection's command timeout.
     */
    public <T> T await(CompletableFuture<T> future) {
        checkThread();
        return waitFor(future, connection.commandTimeout().plus(GRACE));
    }

    /** Closes the connection. */
    @Override
    public void close() {
        connection.close();
    }

    private void checkThread() {
        if (connection.onCallbackThread()) {
            throw new IllegalStateException("waiting for a reply on the connection's callback thread would wait "
                    + "forever: use the asynchronous QmpConnection there");
        }
    }

    private static <T> T waitFor(Future<T> future, @Nullable Duration timeout) {
        try {
            return timeout == null ? future.get() : future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QmpClientException("interrupted while waiting for a reply", e);
        } catch (TimeoutException e) {
            throw new QmpClientException("no reply within " + QmpTimeoutException.millis(timeout), e);
        } catch (CancellationException e) {
            throw new QmpClientException("the command was cancelled", e);
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        }
    }

    private static RuntimeException unwrap(Throwable cause) {
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new QmpClientException(String.valueOf(cause), cause);
    }
}

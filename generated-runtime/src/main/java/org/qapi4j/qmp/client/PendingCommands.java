package org.qapi4j.qmp.client;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.qapi4j.qmp.ErrorClass;
import org.qapi4j.qmp.QmpError;
import org.qapi4j.qmp.QmpException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The commands of one connection that wait for replies: their ids, the bound on how many may
 * wait, and their timeouts. Replies may come in any order; each is matched by its id, and
 * whoever settles a command first (its reply, its timeout, the connection's close, the
 * caller's cancel) wins. Thread-safe: commands are opened on the callers' threads and
 * answered on the event loop.
 */
final class PendingCommands {
    private final Map<Long, Pending> waiting = new ConcurrentHashMap<>();
    private final int max;
    private final Semaphore free;
    private final AtomicLong nextId = new AtomicLong();
    private final CallbackExecutor callbacks;

    PendingCommands(int max, CallbackExecutor callbacks) {
        this.max = max;
        this.free = new Semaphore(max);
        this.callbacks = callbacks;
    }

    int max() {
        return max;
    }

    /** Commands sent and not yet settled. */
    int inFlight() {
        return max - free.availablePermits();
    }

    /**
     * Takes a place and an id for {@code command}; null when {@link #max()} commands wait
     * already. The place is freed when the command's future completes, however it does.
     */
    @Nullable Pending open(String command, boolean noReply, boolean wholeReply) {
        if (!free.tryAcquire()) {
            return null;
        }
        Pending p = new Pending(nextId.getAndIncrement(), command, noReply, wholeReply);
        // Also when the caller cancels the future.
        p.future.whenComplete((value, error) -> settle(p));
        return p;
    }

    /**
     * Makes {@code p} wait for its reply, failing it with {@link QmpTimeoutException} if none
     * comes within {@code timeout}; the timer runs on the channel's {@code loop}.
     */
    void await(Pending p, EventLoop loop, Duration timeout) {
        waiting.put(p.id, p);
        p.timer = loop.schedule(() -> {
            if (waiting.remove(p.id, p)) {
                fail(p, new QmpTimeoutException(p.command, p.id, timeout));
            }
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Takes {@code p} out of the waiting, if it still waits: true when the caller now settles it. */
    boolean remove(Pending p) {
        return waiting.remove(p.id, p);
    }

    /**
     * Settles the command {@code reply} answers: its future completes with the value of
     * {@code return}, or fails with a {@link QmpException} carrying the server's class and
     * text, unchanged; a command opened for its whole reply completes with the reply itself,
     * error or not. False when no command waits for it: no id (QEMU's answer to input it
     * could not parse), or a command that timed out.
     */
    boolean answer(ObjectNode reply) {
        JsonNode id = reply.get("id");
        Pending p = id != null && id.isIntegralNumber() && id.canConvertToLong() ? waiting.remove(id.asLong()) : null;
        if (p == null) {
            return false;
        }
        if (p.wholeReply) {
            complete(p, reply);
            return true;
        }
        JsonNode error = reply.get("error");
        if (error != null) {
            JsonNode errorClass = error.path("class");
            JsonNode desc = error.path("desc");
            fail(p, new QmpException(new QmpError(
                    new ErrorClass(errorClass.isString() ? errorClass.asString() : "GenericError"),
                    desc.isString() ? desc.asString() : error.toString())));
        } else {
            complete(p, reply.get("return"));
        }
        return true;
    }

    /** Takes out every command still waiting, for the connection's close to fail them. */
    List<Pending> drain() {
        List<Pending> all = new ArrayList<>();
        for (Pending p : new ArrayList<>(waiting.values())) {
            if (waiting.remove(p.id, p)) {
                all.add(p);
            }
        }
        return all;
    }

    void complete(Pending p, JsonNode value) {
        callbacks.deliver(() -> {
            settle(p);
            p.future.complete(value);
        });
    }

    void fail(Pending p, Throwable error) {
        callbacks.deliver(() -> {
            settle(p);
            p.future.completeExceptionally(error);
        });
    }

    /**
     * Forgets {@code p} and frees its place, once, before its future completes: whoever sees it
     * complete may send the next command at once.
     */
    private void settle(Pending p) {
        if (!p.settled.compareAndSet(false, true)) {
            return;
        }
        waiting.remove(p.id, p);
        ScheduledFuture<?> timer = p.timer;
        if (timer != null) {
            try {
                timer.cancel(false);
            } catch (RejectedExecutionException loopGone) {
                // The connection closed and its own event loop has shut down: the timer is
                // cancelled and cannot fire, only the loop can no longer take it off its queue.
            }
        }
        free.release();
    }

    /** One command sent, or about to be. */
    static final class Pending {
        final long id;
        final String command;
        final boolean noReply;
        /** Completes with the whole reply message rather than its {@code return}. */
        final boolean wholeReply;
        final CompletableFuture<JsonNode> future = new CompletableFuture<>();
        final AtomicBoolean settled = new AtomicBoolean();
        volatile @Nullable ScheduledFuture<?> timer;

        Pending(long id, String command, boolean noReply, boolean wholeReply) {
            this.id = id;
            this.command = command;
            this.noReply = noReply;
            this.wholeReply = wholeReply;
        }
    }
}

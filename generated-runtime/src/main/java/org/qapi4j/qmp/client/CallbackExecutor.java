package org.qapi4j.qmp.client;

import io.netty.channel.Channel;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * Where a connection's futures complete and its listeners run: one thread of the
 * connection's own, or, with {@code callbacksOnEventLoop}, the channel's event loop. Either
 * way one thread, so callbacks run in the order the messages came off the wire: an event
 * that came before a reply reaches every listener before that reply's future completes.
 */
final class CallbackExecutor {
    /** The connection's own thread; null when callbacks run on the event loop. */
    private final @Nullable ExecutorService own;
    private volatile @Nullable Thread ownThread;
    /** The channel's event loop, once known, when callbacks run there. */
    private volatile @Nullable Executor eventLoop;

    CallbackExecutor(String threadName, boolean onEventLoop) {
        if (onEventLoop) {
            own = null;
        } else {
            own = Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, threadName);
                thread.setDaemon(true);
                ownThread = thread;
                return thread;
            });
        }
    }

    /** Learns the channel, whose event loop runs callbacks when the connection has no thread. */
    void adopt(Channel channel) {
        if (own == null) {
            eventLoop = channel.eventLoop();
        }
    }

    /** Runs {@code task} where callbacks run, in order; inline once those threads are gone. */
    void deliver(Runnable task) {
        Executor e = own != null ? own : eventLoop;
        if (e != null) {
            try {
                e.execute(task);
                return;
            } catch (RejectedExecutionException shutDown) {
                // closed: run it here
            }
        }
        task.run();
    }

    /** Whether the calling thread runs callbacks, or the I/O of {@code channel}. */
    boolean isCallbackThread(@Nullable Channel channel) {
        return Thread.currentThread() == ownThread || (channel != null && channel.eventLoop().inEventLoop());
    }

    /** Ends the own thread once the tasks given so far have run. */
    void shutdown() {
        if (own != null) {
            own.shutdown();
        }
    }
}

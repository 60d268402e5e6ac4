package org.qapi4j.vmm;

import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.IntConsumer;
import org.qapi4j.qmp.server.ServerPreload;
import org.qapi4j.vmm.spi.ColoProvider;

/**
 * The start-up work that needs neither the command line nor the machine, on a thread of its own
 * while {@code main} reads the options and builds the machine: start-up is otherwise one
 * thread's work, and the hosts we measure have a second core. In the order it is needed: the
 * handlers of the terminating signals (made through a generated proxy class), the JDK's logging
 * set-up (a service lookup that opens every jar on the class path, then java.util.logging's),
 * the lookup of the COLO module, then what the QMP server runs first ({@link ServerPreload}). Nothing here opens a file or socket of the VMM's, so a start-up that
 * fails leaves nothing behind, whenever it fails.
 */
final class StartupPrefetch {
    private final CompletableFuture<Optional<ColoProvider>> colo = new CompletableFuture<>();
    /** Done once the signal handlers are installed: null, or why they could not be. */
    private final CompletableFuture<String> signals = new CompletableFuture<>();
    private volatile IntConsumer onSignal = TerminationSignals::asTheJvmDoes;

    private StartupPrefetch() {}

    /** Starts the work on a daemon thread (one that never keeps the JVM alive). */
    static StartupPrefetch start() {
        StartupPrefetch prefetch = new StartupPrefetch();
        Thread thread = new Thread(prefetch::run, "vmm-prefetch");
        thread.setDaemon(true);
        thread.start();
        return prefetch;
    }

    private void run() {
        try {
            // The handlers act as the JVM would until main takes the signals (takeSignals).
            signals.complete(TerminationSignals.install(number -> onSignal.accept(number)));
        } catch (Throwable t) {
            signals.completeExceptionally(t);
        }
        try {
            // First, as the machine's classes ask for their loggers first: the JDK's logger
            // finder is itself a service lookup through every jar, then java.util.logging's set-up.
            System.getLogger(StartupPrefetch.class.getName());
        } catch (RuntimeException | LinkageError e) {
            // Only a head start: the first class that asks for a logger meets the same failure.
        }
        try {
            colo.complete(lookUpColo());
        } catch (Throwable t) {
            colo.completeExceptionally(t);
        }
        try {
            ServerPreload.run();
        } catch (RuntimeException | LinkageError e) {
            // Only a head start: the server's start runs the same code and meets the same failure.
        }
    }

    /**
     * From now on the terminating signals go to {@code handler}; returns once the handlers are
     * in place, having printed why they cannot be if they cannot.
     */
    void takeSignals(IntConsumer handler) {
        onSignal = handler;
        String failure = join(signals);
        if (failure != null) {
            System.err.println(failure);
        }
    }

    /** COLO, when its module is on the class path; it serves its commands and wraps the disk. */
    static Optional<ColoProvider> lookUpColo() {
        return ServiceLoader.load(ColoProvider.class).findFirst();
    }

    /**
     * The COLO provider, once the lookup is done; what the lookup threw is thrown here, as it
     * would have been had {@code main} looked itself.
     */
    Optional<ColoProvider> colo() {
        return join(colo);
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }
}

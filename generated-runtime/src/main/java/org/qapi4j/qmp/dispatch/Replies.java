package org.qapi4j.qmp.dispatch;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The answers most handlers give: done at once, with or without a value. */
public final class Replies {
    private static final CompletionStage<Void> DONE = CompletableFuture.completedStage(null);

    private Replies() {}

    /** Done, nothing to return ({@code {"return": {}}} on the wire). */
    public static CompletionStage<Void> done() {
        return DONE;
    }

    /** Done, returning {@code value}. */
    public static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedStage(value);
    }
}

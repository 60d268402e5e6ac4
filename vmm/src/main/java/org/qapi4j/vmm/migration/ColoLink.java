package org.qapi4j.vmm.migration;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import org.qapi4j.vmm.migration.stream.StreamReader;
import org.qapi4j.vmm.migration.stream.StreamWriter;

/**
 * A migration's connection as COLO takes it over ({@link ColoHook.Link}), either side: the
 * stream's reader and writer as the migration left them, how to get the extra connections, and
 * the migration's steps COLO triggers.
 */
public final class ColoLink implements ColoHook.Link {
    /** Opens (the primary) or accepts (the secondary) another connection to the migration's address. */
    @FunctionalInterface
    public interface ExtraChannels {
        SocketChannel next() throws IOException;
    }

    private final SocketChannel channel;
    private final StreamReader in;
    private final StreamWriter out;
    private final ExtraChannels extra;
    private final Runnable completion;
    private final Runnable passes;
    private final Runnable start;

    /**
     * @param completion moves the migration's status from {@code colo} to {@code completed}
     * @param passes sends MIGRATION_PASS for a checkpoint's sync (the primary; nothing on the secondary)
     * @param start starts the secondary's guest (nothing on the primary)
     */
    public ColoLink(SocketChannel channel, StreamReader in, StreamWriter out, ExtraChannels extra, Runnable completion,
            Runnable passes, Runnable start) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.in = Objects.requireNonNull(in, "in");
        this.out = Objects.requireNonNull(out, "out");
        this.extra = Objects.requireNonNull(extra, "extra");
        this.completion = Objects.requireNonNull(completion, "completion");
        this.passes = Objects.requireNonNull(passes, "passes");
        this.start = Objects.requireNonNull(start, "start");
    }

    @Override
    public SocketChannel channel() {
        return channel;
    }

    @Override
    public StreamReader in() {
        return in;
    }

    @Override
    public StreamWriter out() {
        return out;
    }

    @Override
    public SocketChannel extraChannel() throws IOException {
        return extra.next();
    }

    @Override
    public void complete() {
        completion.run();
    }

    @Override
    public void synced() {
        passes.run();
    }

    @Override
    public void startGuest() {
        start.run();
    }
}

package org.qapi4j.qmp.server;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The socket half of a server's warm-up (the hub warms up QMP itself): one connection to the
 * server's own first listener, which waits for the greeting and leaves. It loads and runs
 * what a connection costs the first time (Netty's accept, the pipeline, the first write)
 * before a client has to wait for it. The connection never negotiates, so it receives no
 * events, and it is gone before {@link QmpServer#start()} returns.
 */
final class SocketWarmUp {
    private SocketWarmUp() {}

    // The watchdog closes the channel from another thread while the try-with-resources owns it.
    @SuppressWarnings("try")
    static void run(SocketAddress address) {
        try (SocketChannel channel = SocketChannel.open(address instanceof UnixDomainSocketAddress
                ? StandardProtocolFamily.UNIX : StandardProtocolFamily.INET)) {
            // Never hold start() up for long: a watchdog ends a read that gets no answer.
            CompletableFuture.delayedExecutor(2, TimeUnit.SECONDS).execute(() -> {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // Closed already.
                }
            });
            channel.connect(address);
            ByteBuffer greeting = ByteBuffer.allocate(512);
            while (channel.read(greeting) > 0 && greeting.get(greeting.position() - 1) != '\n') {
                // Until the whole greeting is in.
            }
        } catch (IOException e) {
            QmpServer.LOG.log(System.Logger.Level.DEBUG, () -> "warm-up connection to " + address + ": " + e);
        }
    }
}

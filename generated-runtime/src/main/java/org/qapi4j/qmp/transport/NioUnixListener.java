package org.qapi4j.qmp.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A Unix-socket listener on the JDK's NIO, which binds and listens in one call: there is no
 * moment between the two to make the socket owner-only. So it is made where nobody else can
 * reach it, a private (0700) directory beside the target, made 0600 there and renamed into
 * place. The rename also replaces a stale socket atomically.
 *
 * <p>The price: the kernel keeps the name the socket was bound under, so {@code ss -x} and
 * {@code /proc/net/unix} report the temporary path, which is gone. The epoll listener
 * ({@link EpollUnixListener}) has no such limit; this one serves where epoll is not there.
 */
final class NioUnixListener {
    private NioUnixListener() {}

    static Channel bind(ServerBootstrap bootstrap, Path socket) throws IOException {
        Path privateDir = Files.createTempDirectory(socket.getParent(), ".qmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path temporary = privateDir.resolve("s");
        try {
            ServerBootstrap b = bootstrap.clone().channel(NioServerDomainSocketChannel.class);
            Channel channel = UnixSocketFile.await(b.bind(UnixDomainSocketAddress.of(temporary)), socket);
            try {
                Files.setPosixFilePermissions(temporary, UnixSocketFile.OWNER_ONLY);
                Files.move(temporary, socket, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException | RuntimeException e) {
                channel.close().awaitUninterruptibly();
                throw e;
            }
            UnixSocketFile.removeOnClose(channel, socket);
            return channel;
        } finally {
            Files.deleteIfExists(temporary);
            Files.deleteIfExists(privateDir);
        }
    }
}

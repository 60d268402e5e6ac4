package org.qapi4j.qmp.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.Socket;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Unix-socket listener on Netty's epoll transport, bound at its real path.
 *
 * <p>Netty's own {@code bind} makes the socket, binds and listens in one step, and the file
 * the bind creates has the process's umask, not 0600. Done by hand instead, the three steps
 * have a gap where it matters: bind (the file appears, perhaps open to all), chmod 0600, and
 * only then listen. On Linux a connect to a socket that is bound but not listening is refused
 * ({@code ECONNREFUSED}), so nobody gets in before the file is owner-only; and since the
 * socket was bound under its real name, {@code ss -x -l} and {@code /proc/net/unix} show that
 * name, which readiness checks look for. The listening socket then becomes a Netty channel
 * through the constructor that adopts a file descriptor.
 *
 * <p>A stale socket at the path is removed just before the bind (as QEMU does); if another
 * process creates the file in between, the bind fails with "Address already in use" rather
 * than taking it over.
 *
 * <p>Only {@link Transport#EPOLL} loads this class, so the epoll classes it names are needed
 * only where epoll is used.
 */
final class EpollUnixListener {
    private EpollUnixListener() {}

    /**
     * @param beforeListen runs between the chmod and the listen; tests use it to see that the
     *     socket is 0600 and refuses connections there
     */
    static Channel bind(ServerBootstrap bootstrap, Path socket, IoRunnable beforeListen) throws IOException {
        Epoll.ensureAvailability(); // the native socket calls below need the library
        Socket fd = Socket.newSocketDomain();
        EpollServerDomainSocketChannel listener;
        try {
            listen(fd, socket, backlog(bootstrap), beforeListen);
            // Active from the start: registering it fires channelActive and starts accepting.
            listener = new EpollServerDomainSocketChannel(fd.intValue(), true);
        } catch (IOException e) {
            fd.close();
            throw UnixSocketFile.cannotListen(socket, e);
        } catch (RuntimeException e) {
            fd.close();
            throw e;
        }
        Channel channel;
        try {
            channel = UnixSocketFile.await(bootstrap.clone().channelFactory(() -> listener).register(), socket);
        } catch (IOException e) {
            listener.close().awaitUninterruptibly();
            Files.deleteIfExists(socket);
            throw e;
        }
        UnixSocketFile.removeOnClose(channel, socket);
        return channel;
    }

    /** Bind, chmod, listen; on failure, no file of ours stays behind. */
    private static void listen(Socket fd, Path socket, int backlog, IoRunnable beforeListen) throws IOException {
        Files.deleteIfExists(socket);
        fd.bind(new DomainSocketAddress(socket.toString()));
        try {
            Files.setPosixFilePermissions(socket, UnixSocketFile.OWNER_ONLY);
            beforeListen.run();
            fd.listen(backlog);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(socket);
            throw e;
        }
    }

    /** The bootstrap's {@code SO_BACKLOG}, else Netty's default (the kernel's somaxconn). */
    private static int backlog(ServerBootstrap bootstrap) {
        Object backlog = bootstrap.config().options().get(ChannelOption.SO_BACKLOG);
        return backlog instanceof Integer b ? b : NetUtil.SOMAXCONN;
    }

    /** A step that may fail with an {@link IOException}. */
    @FunctionalInterface
    interface IoRunnable {
        void run() throws IOException;
    }
}

package org.qapi4j.qmp.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The socket layer QMP's event loops use, server and client alike: Netty's native epoll
 * transport on Linux, where its library loads, and the JDK's NIO everywhere else.
 *
 * <p>Why epoll when NIO works: a QMP exchange is small messages, so what a round trip costs is
 * mostly the system calls and wake-ups around it, and the native transport makes fewer of both
 * (edge-triggered readiness, no selected-key sets, an eventfd to wake the loop). It also lets
 * {@link #bindUnix} create a Unix socket at its real path with no moment in which another user
 * could connect. The system property {@value #PROPERTY} = {@code nio} forces NIO, to compare
 * or to rule the native code out.
 *
 * <p>An event loop group runs one transport, and a channel only registers with a group of its
 * own transport: take the group's factory and the channel classes from the same constant
 * ({@link #of(EventLoopGroup)} says which one a given group runs).
 *
 * <p>The epoll classes are touched only through {@link #EPOLL}, and only once {@link #best()}
 * found the native library; an application that leaves the epoll jars out gets NIO.
 */
public enum Transport {
    /** Netty's native epoll transport (Linux). */
    EPOLL {
        @Override
        public IoHandlerFactory ioHandlerFactory() {
            return EpollIoHandler.newFactory();
        }

        @Override
        public Class<? extends ServerChannel> unixServerChannel() {
            return EpollServerDomainSocketChannel.class;
        }

        @Override
        public Class<? extends ServerChannel> tcpServerChannel() {
            return EpollServerSocketChannel.class;
        }

        @Override
        public Class<? extends Channel> unixChannel() {
            return EpollDomainSocketChannel.class;
        }

        @Override
        public Class<? extends Channel> tcpChannel() {
            return EpollSocketChannel.class;
        }

        @Override
        public SocketAddress unixAddress(Path path) {
            return new DomainSocketAddress(path.toString());
        }

        @Override
        public Channel bindUnix(ServerBootstrap bootstrap, Path path) throws IOException {
            return EpollUnixListener.bind(UnixSocketFile.unbound(bootstrap), UnixSocketFile.target(path), () -> {});
        }

        @Override
        Class<? extends IoHandler> ioHandler() {
            return EpollIoHandler.class;
        }
    },
    /** The JDK's NIO: everywhere, and with {@code -Dqapi4j.qmp.transport=nio}. */
    NIO {
        @Override
        public IoHandlerFactory ioHandlerFactory() {
            return NioIoHandler.newFactory();
        }

        @Override
        public Class<? extends ServerChannel> unixServerChannel() {
            return NioServerDomainSocketChannel.class;
        }

        @Override
        public Class<? extends ServerChannel> tcpServerChannel() {
            return NioServerSocketChannel.class;
        }

        @Override
        public Class<? extends Channel> unixChannel() {
            return NioDomainSocketChannel.class;
        }

        @Override
        public Class<? extends Channel> tcpChannel() {
            return NioSocketChannel.class;
        }

        @Override
        public SocketAddress unixAddress(Path path) {
            return UnixDomainSocketAddress.of(path);
        }

        @Override
        public Channel bindUnix(ServerBootstrap bootstrap, Path path) throws IOException {
            return NioUnixListener.bind(UnixSocketFile.unbound(bootstrap), UnixSocketFile.target(path));
        }

        @Override
        Class<? extends IoHandler> ioHandler() {
            return NioIoHandler.class;
        }
    };

    /** The system property that, set to {@code nio}, forces the JDK's transport. */
    public static final String PROPERTY = "qapi4j.qmp.transport";

    /** Makes the I/O handlers of an event loop group of this transport. */
    public abstract IoHandlerFactory ioHandlerFactory();

    /** The listening channel for Unix sockets. */
    public abstract Class<? extends ServerChannel> unixServerChannel();

    /** The listening channel for TCP. */
    public abstract Class<? extends ServerChannel> tcpServerChannel();

    /** The connecting channel for Unix sockets. */
    public abstract Class<? extends Channel> unixChannel();

    /** The connecting channel for TCP. */
    public abstract Class<? extends Channel> tcpChannel();

    /**
     * The address this transport's Unix channels take for {@code path}: Netty's
     * {@link DomainSocketAddress} for epoll, the JDK's {@link UnixDomainSocketAddress} for NIO.
     */
    public abstract SocketAddress unixAddress(Path path);

    /**
     * Listens on the Unix socket {@code path} with {@code bootstrap} (its group, which must run
     * this transport, its options and child handler), and returns the listening channel once it
     * accepts. The bootstrap must have no channel class or factory set: this method chooses
     * how the listening channel is made, and Netty allows that to be set only once. The
     * bootstrap itself is not changed (a clone binds), so one may serve several paths. Blocks:
     * not to be called on an event loop.
     *
     * <ul>
     * <li>The socket file is owner-only (0600), and nobody can connect before it is.
     * <li>A socket file already at {@code path} (a stale one) is replaced; a regular file or a
     *     directory is not: "will not replace PATH: not a socket".
     * <li>{@link #EPOLL}: the socket is bound at {@code path} itself, so {@code ss -x -l} and
     *     {@code /proc/net/unix} name {@code path} from the moment it listens. It is bound, made
     *     0600, and only then listens: on Linux a connect to a bound socket that does not listen
     *     yet is refused, so the moment in which the file is still open to others lets nobody in.
     * <li>{@link #NIO}: the JDK binds and listens in one step, so the socket is made in a
     *     private (0700) directory beside {@code path}, made 0600 there and renamed into place.
     *     The kernel keeps the name it was bound under: {@code ss} and {@code /proc/net/unix}
     *     report that temporary name, and a readiness check that looks for {@code path} there
     *     never succeeds (look for the file, or connect, instead).
     * <li>Closing the channel removes the socket file, unless another socket has taken its
     *     place by then.
     * <li>The channel's {@code localAddress()} does not name {@code path}: it is null on epoll
     *     (the channel adopts a descriptor and is not told the path) and the temporary name on
     *     NIO. The address to report is {@code UnixDomainSocketAddress.of(path)}, absolute.
     * </ul>
     *
     * @throws IOException when the socket cannot be made; "cannot listen on PATH: why"
     * @throws IllegalArgumentException when {@code bootstrap} has a channel set already
     */
    public abstract Channel bindUnix(ServerBootstrap bootstrap, Path path) throws IOException;

    /** The class of I/O handler a group of this transport runs. */
    abstract Class<? extends IoHandler> ioHandler();

    /** Epoll where it is available and not turned off by {@value #PROPERTY}; NIO otherwise. */
    public static Transport best() {
        String wanted = System.getProperty(PROPERTY, "").toLowerCase(Locale.ROOT);
        if (!wanted.equals("nio") && isEpollAvailable()) {
            return EPOLL;
        }
        return NIO;
    }

    /**
     * The transport {@code group} runs, so that channels made for it register: empty when it
     * is a group of another kind (Netty's io_uring, a test double).
     */
    public static Optional<Transport> of(EventLoopGroup group) {
        if (group instanceof IoEventLoopGroup io) {
            if (io.isIoType(NioIoHandler.class)) {
                return Optional.of(NIO);
            }
            // Asked only when the native library loads: EpollIoHandler's class needs it.
            if (isEpollAvailable() && io.isIoType(EpollIoHandler.class)) {
                return Optional.of(EPOLL);
            }
        }
        return Optional.empty();
    }

    private static boolean isEpollAvailable() {
        try {
            return Epoll.isAvailable();
        } catch (LinkageError e) {
            // The epoll jars are not on the class path (a user excluded them): NIO serves.
            return false;
        }
    }
}

package org.qapi4j.qmp.server;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The socket layer the server's event loops use: Netty's native epoll transport on Linux, where
 * its library loads, and the JDK's NIO everywhere else.
 *
 * <p>Why epoll when NIO works: a QMP exchange is small messages, so what a round trip costs is
 * mostly the system calls and wake-ups around it, and the native transport makes fewer of both
 * (edge-triggered readiness, no selected-key sets, an eventfd to wake the loop). The system
 * property {@value #PROPERTY} = {@code nio} forces NIO, to compare or to rule the native code out.
 */
enum ServerTransport {
    EPOLL {
        @Override
        IoHandlerFactory ioHandlerFactory() {
            return EpollIoHandler.newFactory();
        }

        @Override
        Class<? extends ServerChannel> unixServerChannel() {
            return EpollServerDomainSocketChannel.class;
        }

        @Override
        Class<? extends ServerChannel> tcpServerChannel() {
            return EpollServerSocketChannel.class;
        }

        @Override
        SocketAddress unixAddress(Path path) {
            return new DomainSocketAddress(path.toString());
        }
    },
    NIO {
        @Override
        IoHandlerFactory ioHandlerFactory() {
            return NioIoHandler.newFactory();
        }

        @Override
        Class<? extends ServerChannel> unixServerChannel() {
            return NioServerDomainSocketChannel.class;
        }

        @Override
        Class<? extends ServerChannel> tcpServerChannel() {
            return NioServerSocketChannel.class;
        }

        @Override
        SocketAddress unixAddress(Path path) {
            return UnixDomainSocketAddress.of(path);
        }
    };

    /** {@code nio} forces the JDK's transport. */
    static final String PROPERTY = "qapi4j.qmp.transport";

    abstract IoHandlerFactory ioHandlerFactory();

    abstract Class<? extends ServerChannel> unixServerChannel();

    abstract Class<? extends ServerChannel> tcpServerChannel();

    abstract SocketAddress unixAddress(Path path);

    /** Epoll where it is available and not turned off; NIO otherwise. */
    static ServerTransport best() {
        String wanted = System.getProperty(PROPERTY, "").toLowerCase(Locale.ROOT);
        if (!wanted.equals("nio") && isEpollAvailable()) {
            return EPOLL;
        }
        return NIO;
    }

    private static boolean isEpollAvailable() {
        try {
            return Epoll.isAvailable();
        } catch (LinkageError e) {
            // The native jar is not on the class path (a user excluded it): NIO serves.
            return false;
        }
    }
}
